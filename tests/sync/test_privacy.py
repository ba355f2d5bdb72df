"""A private site's view of its entries: no document number, zone, phone, vehicle, address,
employer or date of birth left anywhere in it, names and ids kept. Each beside its near miss."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import msgspec
import pytest
from recorded_entries import recorded

from gatewatch.sync.marks import KeyProblem, marks_of
from gatewatch.sync.privacy import WITHHELD, withhold
from support import site

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))
KEYED = re.compile(r"^k:[0-9a-f]{64}$")
MRZ = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10")

IDENTIFIED = f"""
- id: i1
  at: "2024-06-03T09:00"
  type: identify
  person: mornard
  name: Jacques Mornard
  document: {{kind: passport, country: BE, number: "JX 1940817", expiry: 2030-01-31}}
  phone: "020 7946 0958"
  vehicle: "LD-21 XKZ"
  address: 12 Rue de Rivoli, Paris
  employer: Compagnie Lumière
  birth_date: 1962-03-01
  note: "gave jx-1940817 at the gate, called from 020 7946 0958 (+44 20 7946 0958); car ld21xkz"
- id: i2
  at: "09:00:30"
  type: identify
  person: eriksson
  document: {{kind: passport, country: UTO, number: L898902C3, mrz: ["{MRZ[0]}", "{MRZ[1]}"]}}
- id: w1
  at: "09:01"
  type: watchlist_check
  screened_by: ada
  names: [Jacques Mornard]
  person: mornard
  birth_date: 1962-03-01
  documents: ["JX 1940817"]
  lists: [{{list: court orders, version: 3}}]
  candidates:
    - {{list: court orders, entry: co-17, name: Ramón Mercader, alias: Jacques Mornard, against: Jacques Mornard,
        score: 1.0, reasons: ["document number JX1940817 is on the entry", "born 1962-03-01, as the entry (1962)"]}}
- {{id: a1, at: "09:05", type: arrive, people: mornard, door: outer}}
- {{id: r1, at: "09:06", type: register, person: {{id: v2, role: visitor, name: Vera Visitor}}}}
"""
WRITTEN = [
    "JX 1940817",
    "JX1940817",
    "L898902C3",
    "jx-1940817",
    *MRZ,
    "020 7946 0958",
    "+442079460958",
    "+44 20 7946 0958",
    "LD-21 XKZ",
    "LD21XKZ",
    "ld21xkz",
    "12 Rue de Rivoli",
    "Rivoli",
    "Compagnie Lumière",
    "1962-03-01",
]
"""Every identifier the events give, as they give it and as it is said again."""


@pytest.fixture
def entries(tmp_path: Path) -> dict[str, object]:
    return dict(recorded(tmp_path, IDENTIFIED, on=site("country: GB")))


def encoded(view: object) -> str:
    return json.dumps(view, ensure_ascii=False)


@pytest.mark.parametrize("event_id", ["i1", "i2", "w1"])
def test_no_identifier_is_left_anywhere_in_the_view(entries: dict, event_id: str) -> None:
    entry = entries[event_id]
    assert any(written.casefold() in encoded(entry.payload).casefold() for written in WRITTEN)  # there to withhold
    view = withhold(entry, KEY, "GB")
    assert view is not None
    shown = encoded(view).casefold()
    assert [written for written in WRITTEN if written.casefold() in shown] == []


def test_names_ids_and_what_is_not_an_identifier_stay(entries: dict) -> None:
    view = withhold(entries["i1"], KEY, "GB")
    assert view is not None
    assert (view["id"], view["type"], view["person"], view["name"]) == ("i1", "identify", "mornard", "Jacques Mornard")
    assert (view["document"]["kind"], view["document"]["country"], view["document"]["expiry"]) == (
        "passport",
        "BE",
        "2030-01-31",
    )
    assert view["at"] == entries["i1"].payload["at"]
    assert view["note"] == f"gave {WITHHELD} at the gate, called from {WITHHELD} (+{WITHHELD}); car {WITHHELD}"
    check = withhold(entries["w1"], KEY, "GB")
    assert check is not None
    (candidate,) = check["candidates"]
    assert (check["names"], check["person"], candidate["name"], candidate["against"]) == (
        ["Jacques Mornard"],
        "mornard",
        "Ramón Mercader",
        "Jacques Mornard",
    )
    assert candidate["reasons"] == [
        f"document number {WITHHELD} is on the entry",
        f"born {WITHHELD}, as the entry (1962)",
    ]


def test_each_identifier_is_a_keyed_hash_and_a_link_s_mark_is_the_one_in_the_view(entries: dict) -> None:
    view, zone = withhold(entries["i1"], KEY, "GB"), withhold(entries["i2"], KEY, "GB")
    assert view is not None and zone is not None
    hashed = [view[f] for f in ("phone", "vehicle", "address", "employer", "birth_date")]
    hashed += [view["document"]["number"], zone["document"]["number"], *zone["document"]["mrz"]]
    assert all(KEYED.fullmatch(value) for value in hashed) and len(set(hashed)) == len(hashed)
    marks = marks_of(entries["i1"], "GB", KEY)
    assert [m.mark for m in marks if m.kind == "document"] == [view["document"]["number"]]
    assert [m.mark for m in marks if m.kind == "vehicle"] == [view["vehicle"]]
    assert view["phone"] in [m.mark for m in marks if m.kind == "phone"]


def test_near_miss_another_key_gives_another_view(entries: dict) -> None:
    mine, theirs = withhold(entries["i1"], KEY, "GB"), withhold(entries["i1"], OTHER_KEY, "GB")
    assert mine is not None and theirs is not None
    assert mine["document"]["number"] != theirs["document"]["number"] and mine["name"] == theirs["name"]


def test_the_entry_itself_is_left_as_recorded(entries: dict) -> None:
    before = copy.deepcopy(entries["i1"].payload)
    withhold(entries["i1"], KEY, "GB")
    assert entries["i1"].payload == before


@pytest.mark.parametrize("event_id", ["a1", "r1"])
def test_near_miss_an_entry_without_identity_fields_is_sent_whole(entries: dict, event_id: str) -> None:
    assert withhold(entries[event_id], KEY, "GB") is None


def test_a_redacted_entry_has_nothing_to_withhold(tmp_path: Path) -> None:
    redacted = recorded(tmp_path, IDENTIFIED, redact=("i1",))["i1"]
    assert redacted.payload is None and withhold(redacted, KEY) is None


def test_a_key_of_another_size_is_refused(entries: dict) -> None:
    with pytest.raises(KeyProblem, match="32 bytes"):
        withhold(entries["i1"], b"short")


LINKED_HERE = """
- id: l1
  at: "2024-06-03T09:00"
  type: identify
  person: jacson
  name: Frank Jacson
  document: {kind: passport, country: CA, number: "JX 1940817"}
- {id: l2, at: "09:10", type: register, person: {id: mornard, role: visitor, name: Jacques Mornard}}
- id: l3
  at: "09:20"
  type: identify
  person: mornard
  name: Jacques Mornard
  document: {kind: passport, country: CA, number: "JX 1940817"}
"""


def test_an_alert_that_repeats_a_document_number_is_sent_without_it_and_its_chain_still_holds(
    tmp_path: Path,
) -> None:
    from gatewatch.hq.chain_watch import Accept, SiteWatch
    from gatewatch.sync import wire
    from gatewatch.sync.privacy import withhold_outcome

    entries = sorted(recorded(tmp_path, LINKED_HERE).values(), key=lambda entry: entry.seq)
    said = json.dumps(entries[-1].outcome)
    assert "1940817" in said  # the site's own alert names the passport it was shown twice
    watch = SiteWatch(site().id)
    for entry in entries:
        outcome_view = withhold_outcome(entry, KEY)
        shipped = wire.ship(entry, site().id, "2024-06-03T09:30:00+00:00", (), withhold(entry, KEY), outcome_view)
        assert "1940817" not in json.dumps(wire.encode(shipped).decode())
        assert isinstance(watch.take(shipped), Accept), entry.seq
    assert withhold_outcome(entries[1], KEY) is None  # a register says no identifier: sent whole


def test_an_altered_outcome_view_with_its_digest_changed_is_caught(tmp_path: Path) -> None:
    from gatewatch.hq.chain_watch import Accept, Break, SiteWatch
    from gatewatch.sync import wire
    from gatewatch.sync.privacy import withhold_outcome

    entries = sorted(recorded(tmp_path, LINKED_HERE).values(), key=lambda entry: entry.seq)
    watch = SiteWatch(site().id)
    for entry in entries[:-1]:
        assert isinstance(watch.take(wire.ship(entry, site().id, "2024-06-03T09:30:00+00:00")), Accept)
    last = wire.ship(entries[-1], site().id, "2024-06-03T09:30:00+00:00", (), None, withhold_outcome(entries[-1], KEY))
    assert isinstance(watch.take(msgspec.structs.replace(last, outcome_digest="0" * 64)), Break)
