"""Cases: opened on a person, updated, given sealed notes, read, and closed, all as events.

Opening, updating and closing a case go through the intake like any event a client sends (the
same checks, and who may: ``permissions``). A note is sealed here (``case_notes``) before it
becomes a ``case_note`` event: the desk, the record and the engine never see its words. Reading
a case's notes opens them in memory, records one ``note_read`` event per note read, and only
then gives the words back: a read that cannot be recorded shows nothing.
"""

from __future__ import annotations

import heapq
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

import msgspec

from gatewatch.core import events as ev
from gatewatch.core import limits
from gatewatch.core.bounded import refuse_unreadable
from gatewatch.core.errors import InvalidInput, unknown
from gatewatch.core.rules import case_action
from gatewatch.core.state import CaseRecord, State
from gatewatch.service import intake
from gatewatch.service.case_notes import NoteAltered, NoteKey, RecordedNote, recorded_note, seal, unseal
from gatewatch.service.desk import Decided, Desk
from gatewatch.service.name_parts import prepare
from gatewatch.service.permissions import Actor, Refused, check_written
from gatewatch.store.chain import Entry
from gatewatch.store.log import EventLog, IdConflict

CASE_TYPES = ("case_open", "case_update", "case_note", "case_close", "note_read")
NOTES_READ_MOST = 200
"""Notes opened by one read (the newest): each is recorded as read before the words are shown."""
CASES_LISTED = 100
"""Cases one list gives unless asked for more (the newest first)."""
CASES_LISTED_MOST = 1_000
"""Cases one list gives at most."""


@dataclass(frozen=True, slots=True)
class OpenedNote:
    """A note opened for a reader, and the ``note_read`` event that recorded the read."""

    note: str
    at: str
    by: str
    text: str
    read: str


@dataclass(frozen=True, slots=True)
class NotesRead:
    """What a read of a case's notes gave: the notes opened, and those that would not open."""

    case: str
    notes: tuple[OpenedNote, ...]
    altered: tuple[str, ...] = ()


def _person(user: Actor) -> str:
    if user.person is None:
        raise Refused(f"{user.name} is no person on the site, so cannot work on a case: a case names who acted", "by")
    return user.person


def open_case(
    desk: Desk,
    zone: tzinfo,
    user: Actor,
    received: datetime,
    *,
    case: str,
    person: str,
    assignee: str | None = None,
    review: date | None = None,
    reason: str | None = None,
    links: Iterable[str] = (),
) -> Decided:
    """Open a case on ``person``; its id is also the id of the event that opens it."""
    raw: dict[str, Any] = {"id": case, "type": "case_open", "case": case, "person": person, "by": _person(user)}
    raw |= _given(assignee=assignee, review=review, reason=reason, links=list(links))
    return intake.submit(desk, zone, user, raw, received)


def update_case(
    desk: Desk,
    zone: tzinfo,
    user: Actor,
    received: datetime,
    *,
    case: str,
    event_id: str,
    status: str | None = None,
    assignee: str | None = None,
    review: date | None = None,
    links: Iterable[str] = (),
) -> Decided:
    raw: dict[str, Any] = {"id": event_id, "type": "case_update", "case": case, "by": _person(user)}
    raw |= _given(status=status, assignee=assignee, review=review, links=list(links))
    return intake.submit(desk, zone, user, raw, received)


def close_case(
    desk: Desk, zone: tzinfo, user: Actor, received: datetime, *, case: str, event_id: str, reason: str
) -> Decided:
    raw = {"id": event_id, "type": "case_close", "case": case, "by": _person(user), "reason": reason}
    return intake.submit(desk, zone, user, raw, received)


def _given(**fields: object) -> dict[str, object]:
    return {
        name: value.isoformat() if isinstance(value, date) else value
        for name, value in fields.items()
        if value not in (None, [], "")
    }


def add_note(
    desk: Desk, zone: tzinfo, key: NoteKey, user: Actor, received: datetime, *, case: str, event_id: str, text: str
) -> Decided:
    """Seal the note's words for this case and event, and record it as a ``case_note``.

    A resend of a recorded note returns what was recorded (it is not sealed again)."""
    by = _person(user)
    earlier = desk.log.find(event_id)
    if earlier is not None:
        if earlier.type != "case_note" or earlier.payload is None or earlier.payload.get("case") != case:
            raise IdConflict(event_id)
        return desk.submit(ev.from_payload(earlier.payload), user.name, received, stamped=True)
    _check_words(text, event_id)
    _note_fits(desk, user, case, event_id, by, received)
    sealed = seal(key.for_sealing(), case, event_id, text)
    raw = {"id": event_id, "type": "case_note", "case": case, "by": by, "sealed": msgspec.to_builtins(sealed)}
    return _write(desk, zone, user, raw, received)


def _check_words(text: str, event_id: str) -> None:
    where = f"event {event_id}"
    if not text.strip():
        raise InvalidInput("write the note: it is blank", where=where, field="text")
    if len(text) > limits.TEXT_CHARS:
        raise InvalidInput(f"at most {limits.TEXT_CHARS} characters", where=where, field="text")
    try:
        refuse_unreadable(text, where=where, field="note")
    except InvalidInput as error:
        raise InvalidInput(error.problem, where=where, field="text") from None


def _note_fits(desk: Desk, user: Actor, case: str, event_id: str, by: str, received: datetime) -> None:
    """Who may, and whether the case takes a note, before anything is sealed."""
    unsealed = ev.SealedNote(key="0" * 16, nonce="A" * 16, text="A")
    event = ev.CaseNote(id=event_id, at=received, case=case, by=by, sealed=unsealed)
    check_written(user, event)
    wrong = case_action.problem(desk.state, event)
    if wrong is not None:
        raise wrong


def _write(desk: Desk, zone: tzinfo, user: Actor, raw: dict[str, Any], received: datetime) -> Decided:
    """An event the service writes for ``user``: read as the intake reads any, then decided."""
    event = intake.read_event(raw, desk.state, zone, received).event
    if not isinstance(event, ev.CaseNote | ev.NoteRead):
        raise InvalidInput("the service writes only notes and reads of notes", field="type")
    check_written(user, event)
    intake.check_case(event, desk)
    prepare(desk.state, event)
    return desk.submit(event, user.name, received, stamped=True)


def read_notes(
    desk: Desk,
    zone: tzinfo,
    key: NoteKey,
    user: Actor,
    received: datetime,
    *,
    case: str,
    most: int = NOTES_READ_MOST,
) -> NotesRead:
    """Open the case's newest ``most`` notes, record each read, then give back the words."""
    by = _person(user)
    if case not in desk.state.cases:
        raise InvalidInput(unknown("case", case, desk.state.cases), field="case")
    check_written(user, ev.NoteRead(id="read", at=received, case=case, note="note", by=by))
    notes = notes_of(desk.log, case)[-max(1, most) :]
    if not notes:
        return NotesRead(case, ())
    opening = key.for_opening(notes)
    opened: list[tuple[RecordedNote, str]] = []
    altered: list[str] = []
    for note in notes:
        try:
            opened.append((note, unseal(opening, note.case, note.event, note.sealed)))
        except NoteAltered:
            altered.append(note.event)
    shown = []
    for note, text in opened:
        read_id = f"note-read-{uuid.uuid4().hex}"
        raw = {"id": read_id, "type": "note_read", "case": case, "note": note.event, "by": by}
        _write(desk, zone, user, raw, received)
        shown.append(OpenedNote(note.event, note.at, note.by, text, read_id))
    return NotesRead(case, tuple(shown), tuple(altered))


def case_entries(log: EventLog, case: str) -> Iterator[Entry]:
    """Every recorded event of the case (whose payload is held), oldest first."""
    for entry in log.entries_of_types(CASE_TYPES):
        if entry.payload is not None and entry.payload.get("case") == case:
            yield entry


def notes_of(log: EventLog, case: str) -> tuple[RecordedNote, ...]:
    """The case's sealed notes, oldest first."""
    found = []
    for entry in log.entries_of_types(("case_note",)):
        if entry.payload is not None and entry.payload.get("case") == case:
            note = recorded_note(entry.seq, entry.payload)
            if note is not None:
                found.append(note)
    return tuple(found)


def cases_in(
    state: State, person: str | None = None, status: str | None = None, limit: int = CASES_LISTED
) -> list[tuple[str, CaseRecord]]:
    """The newest ``limit`` cases, newest first; of one person, or in one status (``open`` for
    every case still open)."""
    chosen = (
        ((case, state.cases[case]) for case in _cases_of(state, person)) if person is not None else state.cases.items()
    )
    found = [
        (case, record)
        for case, record in chosen
        if status is None or record.status == status or (status == "open" and record.is_open)
    ]
    return heapq.nlargest(max(1, min(limit, CASES_LISTED_MOST)), found, key=lambda item: (item[1].at, item[0]))


def _cases_of(state: State, person: str) -> list[str]:
    return [case for case, record in state.cases.items() if record.person == person]
