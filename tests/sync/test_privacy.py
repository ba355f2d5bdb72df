"""A private site's view of its entries: no document number, zone, phone, vehicle, address,
employer or date of birth left anywhere in it, names and ids kept. Each beside its near miss."""

from __future__ import annotations

import copy
import dataclasses
import json
import re
from pathlib import Path
from typing import Annotated

import msgspec
import pytest
from recorded_entries import recorded

from gatewatch.core.bounded import Id, Name, Text
from gatewatch.sync.marks import KeyProblem, marks_of
from gatewatch.sync.privacy import FREE_TEXT, WITHHELD, free_text_of, withhold
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
    assert view["note"] == WITHHELD  # a guard's words are withheld whole, not only the identifiers found in them
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


# --- free text: withheld whole on a private site -------------------------------------------------

SAID = "passport JX1940817, phone 07700 900123, car AB12CDE"
SAID_PARTS = ("JX1940817", "1940817", "07700 900123", "07700900123", "900123", "AB12CDE")
"""What a guard's words give away, however it is looked for."""
REASON = "his brother-in-law, passport JX1940817, phone 07700 900123, car AB12CDE, vouched for at the gate " * 3
WORDED = f"""
- {{id: p1, at: "2024-06-03T08:55", type: post, post: gate, on_duty: [g1]}}
- {{id: o1, at: "09:00", type: observe, person: vic, by: g1, indicators: [nervous], note: "{SAID}"}}
- {{id: c1, at: "09:01", type: concern, person: vic, by: lead, open: true, note: "{SAID}"}}
- {{id: a1, at: "09:02", type: arrive, people: [vic], door: outer}}
- {{id: r1, at: "09:02", type: request, door: outer, by: g1, for: [vic]}}
- {{id: x1, at: "09:03", type: override, request: r1, by: g1, approved_by: lead, reason: "{SAID}"}}
- {{id: k1, at: "09:04", type: case_open, case: c9, person: vic, by: lead, reason: "{SAID}"}}
- {{id: k2, at: "09:05", type: case_close, case: c9, by: lead, reason: "{REASON}"}}
- {{id: n1, at: "09:06", type: invite, by: res, person: vic, purpose: "{SAID}"}}
- {{id: b1, at: "09:07", type: observe, person: vic, by: g1, indicators: [nervous], note: "   "}}
"""


def leaked(value: object) -> list[str]:
    shown = encoded(value).casefold()
    return [part for part in SAID_PARTS if part.casefold() in shown]


@pytest.fixture
def worded(tmp_path: Path) -> dict[str, object]:
    return dict(recorded(tmp_path, WORDED, on=site("country: GB")))


@pytest.mark.parametrize("event_id", ["o1", "c1", "x1", "k1", "k2", "n1"])
def test_free_text_with_identifiers_in_it_is_withheld_whole_and_leaks_none_of_them(worded: dict, event_id: str) -> None:
    entry = worded[event_id]
    assert leaked(entry.payload) != []  # there to withhold
    view = withhold(entry, KEY, "GB")
    assert view is not None
    assert leaked(view) == []
    free = [name for name in ("note", "reason", "purpose") if entry.payload.get(name) is not None]
    assert free and all(view[name] == WITHHELD for name in free)
    kept = {name: value for name, value in entry.payload.items() if name not in free}
    assert {name: view[name] for name in kept} == kept  # ids, people, times, doors, enumerations as written


def test_an_observe_keeps_who_saw_whom_and_what_and_says_nothing_of_the_note(worded: dict) -> None:
    view = withhold(worded["o1"], KEY, "GB")
    assert view == {**worded["o1"].payload, "note": WITHHELD}
    assert (view["person"], view["by"], view["indicators"], view["type"]) == ("vic", "g1", ["nervous"], "observe")


def test_near_miss_a_blank_note_or_none_needs_no_view(worded: dict) -> None:
    assert withhold(worded["b1"], KEY, "GB") is None
    assert withhold(worded["a1"], KEY, "GB") is None and withhold(worded["p1"], KEY, "GB") is None


def test_an_alert_that_quotes_free_text_whole_or_cut_short_is_sent_without_it(worded: dict) -> None:
    from gatewatch.hq.chain_watch import Accept, SiteWatch
    from gatewatch.sync import wire
    from gatewatch.sync.privacy import withhold_outcome

    quoted = {"x1": "approved an override for", "k2": "closed by"}
    for event_id, stays in quoted.items():
        entry = worded[event_id]
        assert leaked(entry.outcome) != []  # the site's own alert quotes the reason
        outcome = withhold_outcome(entry, KEY, "GB")
        assert outcome is not None and leaked(outcome) == []
        (alert,) = outcome["alerts"]
        assert stays in alert["message"] and WITHHELD in alert["message"]
        assert alert["subjects"] == entry.outcome["alerts"][0]["subjects"]
    (cut,) = withhold_outcome(worded["k2"], KEY, "GB")["alerts"]
    assert f"({WITHHELD}…)" in cut["message"]  # the reason was shown cut short, and is withheld as far as shown
    watch = SiteWatch(site().id)
    for entry in sorted(worded.values(), key=lambda entry: entry.seq):
        shipped = wire.ship(
            entry, site().id, "2024-06-03T09:30:00+00:00", (), withhold(entry, KEY), withhold_outcome(entry, KEY)
        )
        assert leaked(wire.encode(shipped).decode()) == [], entry.event_id
        assert isinstance(watch.take(shipped), Accept), entry.event_id


def test_near_miss_an_outcome_that_quotes_no_free_text_is_sent_whole(worded: dict) -> None:
    from gatewatch.sync.privacy import withhold_outcome

    for event_id in ("o1", "c1", "k1", "n1", "a1"):
        assert leaked(worded[event_id].outcome) == []
        assert withhold_outcome(worded[event_id], KEY, "GB") is None, event_id


class Remark(msgspec.Struct):
    said: Text
    by: Id


class Made(msgspec.Struct):
    """A structure as a later event might hold: free text in a list of structures, and beside names and ids."""

    remarks: Annotated[tuple[Remark, ...], msgspec.Meta(max_length=3)] = ()
    summary: Text | None = None
    title: Name | None = None
    for_: Id = msgspec.field(default="x", name="for")


def test_free_text_fields_are_found_from_the_types_however_deep() -> None:
    assert free_text_of(Made) == {"remarks": {"said": True}, "summary": True}
    assert free_text_of(Remark) == {"said": True} and free_text_of(Name) is None
    assert FREE_TEXT["device"] == {"note": True, "detail": True}
    assert FREE_TEXT["note_read"] == {}  # its note names the case_note event: an id, kept


def test_near_miss_a_note_read_s_note_is_an_event_id_and_stays(tmp_path: Path) -> None:
    from gatewatch.store.chain import Entry

    entry = Entry(
        seq=1,
        event_id="nr1",
        type="note_read",
        at="2024-06-03T09:00:00+00:00",
        received="2024-06-03T09:00:01+00:00",
        submitted_by="lena",
        payload={
            "type": "note_read",
            "id": "nr1",
            "at": "2024-06-03T09:00:00+00:00",
            "case": "c1",
            "note": "cn1",
            "by": "lead",
        },
        payload_digest="0" * 64,
        outcome={},
        prev_hash="0" * 64,
        hash="0" * 64,
    )
    assert withhold(entry, KEY) is None
    unknown = dataclasses.replace(entry, type="later_kind", payload={**entry.payload, "reason": SAID, "note": SAID})
    view = withhold(unknown, KEY)
    assert view is not None and view["reason"] == view["note"] == WITHHELD and view["case"] == "c1"


def test_a_private_site_ships_an_observe_s_note_withheld_and_a_site_not_private_ships_it_whole(
    nats_url: str, office: object, tmp_path: Path
) -> None:
    import asyncio
    import secrets

    from sync_support import SyncSite, jetstream, stored

    from gatewatch.sync.publisher import Publisher

    async def shipped(site: SyncSite, private: bool) -> object:
        site.submit({"type": "observe", "person": "vic", "by": "g1", "indicators": ["nervous"], "note": SAID})
        client, js = await jetstream(nats_url)
        try:
            key = secrets.token_bytes(32)
            log = site.services.log
            publisher = Publisher(client, log, site.id, office, country="GB", key=key, private=private)
            assert await publisher.run_once() == 1
            (found,) = [s.shipped for s in await stored(js, office, site.id)]
        finally:
            await client.close()
        return found

    north, south = SyncSite(tmp_path, "north", country="GB"), SyncSite(tmp_path, "south", country="GB")
    try:
        private, whole = asyncio.run(shipped(north, True)), asyncio.run(shipped(south, False))
    finally:
        north.close()
        south.close()
    assert private.withheld and private.payload["note"] == WITHHELD and leaked(wire_text(private)) == []
    assert (private.payload["person"], private.payload["by"], private.payload["indicators"]) == (
        "vic",
        "g1",
        ["nervous"],
    )
    assert not whole.withheld and whole.payload["note"] == SAID  # the near miss: a site not private sends it whole


def wire_text(shipped: object) -> str:
    from gatewatch.sync import wire

    assert isinstance(shipped, wire.Shipped)
    return wire.encode(shipped).decode()
