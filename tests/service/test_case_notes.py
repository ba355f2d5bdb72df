"""Case notes sealed at rest: unreadable in the database file, read only with their own key, every
read recorded, and nothing lost when the key is missing or wrong."""

from __future__ import annotations

import base64
import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from gatewatch.core.errors import InvalidInput
from gatewatch.service import cases
from gatewatch.service.case_notes import NoteAltered, NoteKey, NotesKeyError, fingerprint, seal, unseal
from gatewatch.service.desk import Desk
from gatewatch.service.permissions import Actor, Refused, UserRole
from gatewatch.store.log import EventLog
from support import site, start_state

RECEIVED = datetime(2024, 6, 3, 12, 0, tzinfo=UTC)
LEAD = Actor("lena", UserRole.LEAD, "lead")
ANALYST = Actor("ada", UserRole.ANALYST, "aide")
GUARD = Actor("gus", UserRole.GUARD, "g1")
WORDS = "He wore a raincoat on a hot day; his sister says he keeps an ice axe in the car."
REASON = "Waited at the gate three Sundays running"


class Office:
    """A desk on a SQLite file, with the notes' key in a folder of its own."""

    def __init__(self, folder: Path) -> None:
        self.database = folder / "gatewatch.db"
        known = start_state(people=[{"id": "vic", "name": "Victor Visitor", "role": "visitor"}])  # a case's person
        self.desk = Desk(site(), EventLog.open(f"sqlite:///{self.database}"), known)
        self.key = NoteKey(folder / "keys" / "notes.key", self.desk.log)

    def open_case(self) -> None:
        cases.open_case(self.desk, UTC, LEAD, RECEIVED, case="c1", person="vic", reason=REASON)

    def note(self, event_id: str, text: str = WORDS, user: Actor = ANALYST) -> None:
        cases.add_note(self.desk, UTC, self.key, user, RECEIVED, case="c1", event_id=event_id, text=text)

    def read(self, user: Actor = LEAD) -> cases.NotesRead:
        return cases.read_notes(self.desk, UTC, self.key, user, RECEIVED, case="c1")

    def reads_recorded(self) -> list[str]:
        return [str((e.payload or {})["note"]) for e in self.desk.log.entries_of_types(("note_read",))]


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Office]:
    made = Office(tmp_path)
    made.open_case()
    yield made
    made.desk.close()


def stored_bytes(database: Path) -> bytes:
    """Everything SQLite holds on disk for the database: the file, its journal and write-ahead log."""
    return b"".join(path.read_bytes() for path in sorted(database.parent.glob(database.name + "*")))


def test_the_words_are_not_in_the_database_file(office: Office) -> None:
    office.note("n1")
    office.desk.close()
    held = stored_bytes(office.database)
    assert REASON.encode() in held  # the file is read whole: what is not sealed is there to be found
    assert WORDS.encode() not in held and b"ice axe" not in held
    payload = office.desk.log.find("n1").payload  # type: ignore[union-attr]
    assert payload is not None and payload["sealed"]["key"] == fingerprint(
        base64.b64decode(office.key.path.read_text())
    )


def test_the_key_is_made_on_first_use_for_its_owner_alone(office: Office) -> None:
    assert not office.key.path.exists()
    office.note("n1")
    assert stat.S_IMODE(office.key.path.stat().st_mode) == 0o600


def test_reading_records_a_read_of_each_note_before_the_words(office: Office) -> None:
    office.note("n1")
    office.note("n2", "Second thoughts.", LEAD)
    read = office.read()
    assert [(n.note, n.by, n.text) for n in read.notes] == [("n1", "aide", WORDS), ("n2", "lead", "Second thoughts.")]
    assert office.reads_recorded() == ["n1", "n2"]
    recorded = {e.event_id: e for e in office.desk.log.entries_of_types(("note_read",))}
    assert {n.read for n in read.notes} == set(recorded)
    assert all(e.submitted_by == "lena" and (e.payload or {})["by"] == "lead" for e in recorded.values())


def test_a_wrong_key_is_a_clear_error_and_loses_nothing(office: Office) -> None:
    office.note("n1")
    right = office.key.path.read_bytes()
    sealed = office.desk.log.find("n1").payload  # type: ignore[union-attr]
    other = os.urandom(32)
    office.key.path.write_text(base64.b64encode(other).decode())
    expected = fingerprint(base64.b64decode(right))
    for attempt in (office.read, lambda: office.note("n2")):
        with pytest.raises(NotesKeyError) as error:
            attempt()
        said = error.value.problem
        assert f"sealed with key {expected}" in said and f"the key at {office.key.path} is {fingerprint(other)}" in said
    assert office.reads_recorded() == [] and office.desk.log.find("n2") is None
    assert office.desk.log.find("n1").payload == sealed  # type: ignore[union-attr]
    office.key.path.write_bytes(right)
    assert [n.text for n in office.read().notes] == [WORDS]


def test_a_missing_key_is_a_clear_error_and_is_not_made_again(office: Office) -> None:
    office.note("n1")
    right = office.key.path.read_bytes()
    office.key.path.unlink()
    for attempt in (office.read, lambda: office.note("n2")):
        with pytest.raises(NotesKeyError, match=f"there is no key at {office.key.path}") as error:
            attempt()
        assert fingerprint(base64.b64decode(right)) in error.value.problem
    assert not office.key.path.exists() and office.reads_recorded() == []
    assert "no key at" in office.key.problem()
    office.key.path.write_bytes(right)
    assert office.key.problem() == ""
    assert [n.text for n in office.read().notes] == [WORDS]


def test_a_key_file_that_is_not_a_key_is_named(office: Office) -> None:
    office.key.path.parent.mkdir(parents=True)
    office.key.path.write_text("not a key at all")
    with pytest.raises(NotesKeyError, match=f"{office.key.path} cannot be read"):
        office.note("n1")


def test_a_sealed_text_moved_to_another_note_or_case_does_not_open() -> None:
    key = os.urandom(32)
    sealed = seal(key, "c1", "n1", WORDS)
    assert unseal(key, "c1", "n1", sealed) == WORDS
    for case, note in (("c1", "n2"), ("c2", "n1")):
        with pytest.raises(NoteAltered):
            unseal(key, case, note, sealed)


def test_a_note_sent_twice_is_recorded_once(office: Office) -> None:
    office.note("n1")
    again = cases.add_note(office.desk, UTC, office.key, ANALYST, RECEIVED, case="c1", event_id="n1", text=WORDS)
    assert again.duplicate and office.desk.state.cases["c1"].notes == 1


def test_a_note_on_a_closed_case_is_refused_before_anything_is_sealed(office: Office) -> None:
    cases.close_case(office.desk, UTC, LEAD, RECEIVED, case="c1", event_id="k9", reason="done")
    with pytest.raises(InvalidInput, match="was closed") as error:
        office.note("n1")
    assert error.value.field == "case" and not office.key.path.exists()


def test_a_guard_may_neither_write_nor_read_notes(office: Office) -> None:
    office.note("n1")
    with pytest.raises(Refused, match="a guard may not work on cases"):
        office.note("n2", user=GUARD)
    with pytest.raises(Refused, match="a guard may not work on cases"):
        office.read(GUARD)
    assert office.reads_recorded() == []


def test_a_blank_or_unwritable_note_is_refused_naming_the_text(office: Office) -> None:
    for text in ("   ", "a\x00b", "x" * 4_001):
        with pytest.raises(InvalidInput) as error:
            office.note("n1", text)
        assert error.value.field == "text"


def test_a_key_place_that_cannot_hold_a_file_is_named(tmp_path: Path) -> None:
    """A key path under a file (not a folder) can be neither read nor made: a clear error, not a crash."""
    office = Office(tmp_path)
    office.open_case()
    (tmp_path / "keys").write_text("a file where the key's folder should be")
    with pytest.raises(NotesKeyError, match=f"{office.key.path}") as error:
        office.note("n1")
    assert f"file exists: {tmp_path / 'keys'}" in error.value.problem and "nothing was written" in error.value.problem
    assert office.desk.state.cases["c1"].notes == 0
    office.desk.close()


def test_a_folder_at_the_key_s_path_is_named(office: Office) -> None:
    office.key.path.mkdir(parents=True)
    with pytest.raises(NotesKeyError, match="is not a file"):
        office.note("n1")
    assert "is not a file" in office.key.problem()


def test_a_key_path_the_system_refuses_is_a_problem_said_not_a_crash(tmp_path: Path) -> None:
    """What the server says at start-up: a path it may not look at (here, a name too long for
    the file system) is a problem in words, and the server starts."""
    desk = Desk(site(), EventLog.open(f"sqlite:///{tmp_path / 'gatewatch.db'}"), start_state())
    key = NoteKey(tmp_path / ("k" * 300) / "notes.key", desk.log)
    assert "cannot" in key.problem() and str(key.path) in key.problem()
    with pytest.raises(NotesKeyError):
        key.for_sealing()
    desk.close()


def test_a_key_file_far_too_long_is_not_read_whole(office: Office) -> None:
    office.key.path.parent.mkdir(parents=True)
    office.key.path.write_bytes(base64.b64encode(os.urandom(32)) + b"\n" + b" " * 1_000_000)
    with pytest.raises(NotesKeyError, match="not a notes key"):
        office.note("n1")
