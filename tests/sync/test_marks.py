"""The marks head office compares across sites: made as the site links identifiers, keyed when the
sites share a key, none for a redacted entry; and the identity key's file. Each beside its near miss."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from recorded_entries import recorded

from gatewatch.core import events as ev
from gatewatch.core.events import to_payload
from gatewatch.store.chain import GENESIS
from gatewatch.store.log import Submission, prepare_entry
from gatewatch.sync.marks import KeyProblem, load_key, make_key, marks_of
from gatewatch.sync.wire import Mark
from support import START, site

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))
KEYED = re.compile(r"^k:[0-9a-f]{64}$")

TWO_SPELLINGS = """
- {id: i1, at: "2024-06-03T09:00", type: identify, person: mornard, name: Jacques Mornard,
   document: {kind: passport, country: BE, number: "JX 1940817"}}
- {id: i2, at: "09:10", type: identify, person: jacson, name: Frank Jacson,
   document: {kind: passport, country: BEL, number: jx1940817}}
- {id: i3, at: "09:20", type: identify, person: other, document: {kind: passport, country: CA, number: JX1940817}}
"""


def documents(marks: tuple[Mark, ...]) -> list[str]:
    return [m.mark for m in marks if m.kind == "document"]


def test_the_same_passport_however_written_gives_the_same_mark(tmp_path: Path) -> None:
    entries = recorded(tmp_path, TWO_SPELLINGS)
    first, second = (marks_of(entries[i], None, None) for i in ("i1", "i2"))
    assert first == (Mark(kind="document", mark="document:BE:JX1940817", person="mornard"),)
    assert documents(second) == documents(first) and second[0].person == "jacson"


def test_near_miss_the_same_number_from_another_country_is_another_mark(tmp_path: Path) -> None:
    entries = recorded(tmp_path, TWO_SPELLINGS)
    assert documents(marks_of(entries["i3"], None, None)) != documents(marks_of(entries["i1"], None, None))


def test_with_a_key_marks_are_keyed_hashes_the_same_for_both_spellings(tmp_path: Path) -> None:
    entries = recorded(tmp_path, TWO_SPELLINGS)
    first, second = (documents(marks_of(entries[i], None, KEY)) for i in ("i1", "i2"))
    assert first == second and KEYED.fullmatch(first[0])
    assert first != documents(marks_of(entries["i1"], None, None))


def test_near_miss_another_key_gives_other_marks(tmp_path: Path) -> None:
    entry = recorded(tmp_path, TWO_SPELLINGS)["i1"]
    assert documents(marks_of(entry, None, KEY)) != documents(marks_of(entry, None, OTHER_KEY))


def test_a_redacted_entry_has_no_marks(tmp_path: Path) -> None:
    entries = recorded(tmp_path, TWO_SPELLINGS, redact=("i1",))
    assert entries["i1"].payload is None and entries["i1"].redacted
    assert marks_of(entries["i1"], None, KEY) == () and marks_of(entries["i1"], None, None) == ()
    assert marks_of(entries["i2"], None, None) != ()  # near miss: the entry beside it keeps its marks


PHONES = """
- {id: i1, at: "2024-06-03T09:00", type: identify, person: p1, phone: "020 7946 0958"}
- {id: i2, at: "09:10", type: identify, person: p2, phone: "+44 20 7946 0958"}
"""


def phones(marks: tuple[Mark, ...]) -> set[str]:
    return {m.mark for m in marks if m.kind == "phone"}


def test_a_phone_written_nationally_at_a_gb_site_and_internationally_gives_the_same_mark(tmp_path: Path) -> None:
    entries = recorded(tmp_path, PHONES, on=site("country: GB"))
    national, international = (phones(marks_of(entries[i], "GB", None)) for i in ("i1", "i2"))
    assert national & international == {"phone:+442079460958"}
    keyed_national, keyed_international = (phones(marks_of(entries[i], "GB", KEY)) for i in ("i1", "i2"))
    assert len(keyed_national & keyed_international) == 1


def test_near_miss_read_without_the_site_s_country_the_national_number_meets_nothing(tmp_path: Path) -> None:
    entries = recorded(tmp_path, PHONES)
    assert phones(marks_of(entries["i1"], None, None)) & phones(marks_of(entries["i2"], None, None)) == set()


def test_a_vehicle_is_a_mark_an_address_or_an_employer_is_not(tmp_path: Path) -> None:
    entries = recorded(
        tmp_path,
        '- {id: i1, at: "2024-06-03T09:00", type: identify, person: p1, vehicle: "LD-21 XKZ",'
        " address: 12 Rue de Rivoli, employer: Acme}\n"
        '- {id: a1, at: "09:05", type: arrive, people: p1, door: outer}\n',
    )
    assert marks_of(entries["i1"], None, None) == (Mark(kind="vehicle", mark="vehicle:LD21XKZ", person="p1"),)
    assert marks_of(entries["a1"], None, None) == ()


def test_a_payload_that_is_not_its_event_is_refused_naming_the_entry() -> None:
    entry = prepare_entry(
        Submission(
            "i1", "identify", START.isoformat(), {"type": "identify", "id": "i1"}, {}, "lena", START.isoformat()
        ),
        4,
        GENESIS,
    )
    with pytest.raises(ValueError, match=r"entry 4 \(identify\): its payload does not read as the event"):
        marks_of(entry, None, None)


def test_a_key_of_another_size_is_refused(tmp_path: Path) -> None:
    entry = recorded(tmp_path, TWO_SPELLINGS)["i1"]
    with pytest.raises(KeyProblem, match="an identity key is 32 bytes, not 16"):
        marks_of(entry, None, bytes(16))


# --- the key's file ------------------------------------------------------------------------


def test_a_new_key_is_read_back_from_its_file(tmp_path: Path) -> None:
    made = make_key()
    assert re.fullmatch(r"[0-9a-f]{64}", made) and made != make_key()
    (tmp_path / "identity.key").write_text(made + "\n")
    assert load_key(tmp_path / "identity.key") == bytes.fromhex(made)


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("ab" * 31, "64 hex digits expected, the file holds 62 characters"),
        ("zz" * 32, "64 hex digits expected (0-9, a-f), found others"),
        ("ab " * 21 + "a", "64 hex digits expected (0-9, a-f), found others"),
        ("ab" * 600, "more than 1024 bytes, not a key file"),
        ("", "the file holds 0 characters"),
    ],
)
def test_a_file_that_is_not_a_key_is_refused_without_saying_what_it_holds(
    tmp_path: Path, content: str, said: str
) -> None:
    path = tmp_path / "identity.key"
    path.write_text(content)
    with pytest.raises(KeyProblem, match=re.escape(said)) as refused:
        load_key(path)
    assert str(path) in str(refused.value)
    assert content[:8] not in str(refused.value) or not content


def test_a_missing_or_unreadable_key_file_is_refused_naming_it(tmp_path: Path) -> None:
    with pytest.raises(KeyProblem, match="no such file"):
        load_key(tmp_path / "missing.key")
    with pytest.raises(KeyProblem, match="a directory, not a key file"):
        load_key(tmp_path)
    if os.geteuid() != 0:  # root reads any file
        locked = tmp_path / "locked.key"
        locked.write_text(make_key())
        locked.chmod(0)
        with pytest.raises(KeyProblem, match="cannot be read"):
            load_key(locked)


# --- properties ----------------------------------------------------------------------------


def _identifier(text: str) -> bool:
    """Six letters and digits or more, one a letter hex has not (so no hash can hold it by chance)."""
    return sum(ch.isalnum() for ch in text) >= 6 and any(ch.isalpha() for ch in text)


NUMBERS = st.text(alphabet="GHJKLMNPQRSTUVWXYZ0123456789 -", min_size=6, max_size=20).filter(_identifier)
PHONES_WRITTEN = st.from_regex(r"\A(\+|00)?[1-9][0-9]{7,11}\Z")
VEHICLES = st.text(alphabet="GHJKLMNPQRSTUVWXYZ0123456789 ", min_size=6, max_size=10).filter(_identifier)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    number=NUMBERS,
    country=st.sampled_from(["FR", "BE", "BEL", "GB", "MX", "XK"]),
    phone=st.none() | PHONES_WRITTEN,
    vehicle=st.none() | VEHICLES,
    site_country=st.sampled_from([None, "GB", "FR"]),
    key=st.binary(min_size=32, max_size=32),
)
def test_marks_are_deterministic_and_keyed_ones_never_hold_the_identifier(
    number: str, country: str, phone: str | None, vehicle: str | None, site_country: str | None, key: bytes
) -> None:
    event = ev.Identify(
        id="i1",
        at=START,
        person="p1",
        document=ev.Document(kind="passport", country=country, number=number),
        phone=phone,
        vehicle=vehicle,
    )
    submission = Submission("i1", "identify", START.isoformat(), to_payload(event), {}, "lena", START.isoformat())
    entry = prepare_entry(submission, 1, GENESIS)
    again = prepare_entry(submission, 1, GENESIS)
    assert marks_of(entry, site_country, key) == marks_of(again, site_country, key)
    assert marks_of(entry, site_country, None) == marks_of(again, site_country, None)
    keyed = marks_of(entry, site_country, key)
    plain = marks_of(entry, site_country, None)
    assert len(keyed) == len(plain) >= 1
    raw = [number, "".join(ch for ch in number if ch.isalnum()), *(p.mark for p in plain)]
    raw += [phone, "".join(ch for ch in phone if ch.isdigit())] if phone else []
    raw += [vehicle, "".join(ch for ch in vehicle if ch.isalnum())] if vehicle else []
    for mark in keyed:
        assert KEYED.fullmatch(mark.mark)
        assert not any(text in mark.mark for text in raw), mark
