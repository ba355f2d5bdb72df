"""Cases as the API answers and the console shows them: a list, a case's file, its notes opened.

The file is the record's: every event of the case in order (who opened, updated, noted, read and
closed it), the events it links, and its notes without their words; the words are given only by
a read of the notes, which is recorded (``gatewatch.service.cases``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from gatewatch.core import limits, wording
from gatewatch.core.state import CaseRecord, State
from gatewatch.store.chain import Entry

EventId = Annotated[str, Field(min_length=1, max_length=limits.ID_CHARS)]
PersonId = Annotated[str, Field(min_length=1, max_length=limits.ID_CHARS)]
Words = Annotated[str, Field(max_length=limits.TEXT_CHARS)]
Links = Annotated[list[EventId], Field(max_length=limits.CASE_LINKS)]
Status = Literal["open", "investigating", "monitoring"]


# --- what a client sends ---------------------------------------------------------------------


class CaseOpenIn(BaseModel):
    """A case to open: ``id`` names the case and the event that opens it (a resend is recorded once)."""

    id: EventId = Field(description="The case's id, chosen by the client: a resend is recorded once")
    person: PersonId = Field(description="The person the case is on: they are of concern while it is open")
    assignee: PersonId | None = Field(default=None, description="One of the site's own people")
    review: date | None = Field(default=None, description="When the case is to be reviewed (YYYY-MM-DD)")
    reason: Words | None = Field(default=None, description="Why the case is opened")
    links: Links = Field(default_factory=list, description="Recorded events the case starts from")


class CaseUpdateIn(BaseModel):
    id: EventId = Field(description="The update's event id, chosen by the client: a resend is recorded once")
    status: Status | None = None
    assignee: PersonId | None = None
    review: date | None = None
    links: Links = Field(default_factory=list, description="Recorded events to link (earlier links stay)")


class NoteIn(BaseModel):
    id: EventId = Field(description="The note's event id, chosen by the client: a resend is recorded once")
    text: Annotated[str, Field(min_length=1, max_length=limits.TEXT_CHARS)] = Field(
        description="The note's words: sealed before they are recorded"
    )


class CloseIn(BaseModel):
    id: EventId = Field(description="The closing event's id, chosen by the client: a resend is recorded once")
    reason: Annotated[str, Field(min_length=1, max_length=limits.TEXT_CHARS)] = Field(
        description="Why the case is closed"
    )


# --- what is answered ------------------------------------------------------------------------


class CaseOut(BaseModel):
    id: str
    person: str
    name: str = Field(description="The person's name as the site knows it")
    status: str = Field(description="open, investigating, monitoring or closed")
    open: bool
    assignee: str | None
    review: str | None
    opened: str = Field(description="The case_open event")
    opened_at: str
    opened_by: str
    opened_by_name: str = Field(description="Who opened it, by the name the site knows them by")
    closed: str | None = Field(description="The case_close event, once closed")
    notes: int = Field(description="Notes written (their words are read at /v1/cases/{id}/notes)")


class LinkOut(BaseModel):
    event: str
    recorded: bool
    seq: int | None = None
    type: str | None = None
    at: str | None = None
    linked_by: str
    linked_at: str


class CaseEventOut(BaseModel):
    seq: int
    event: str
    type: str
    at: str
    by: str | None
    submitted_by: str
    said: str = Field(description="What it did, in plain words (never a note's words)")


class NoteHeld(BaseModel):
    """A note as the file lists it: who wrote it and when, not its words."""

    note: str
    at: str
    by: str
    reads: int = Field(description="Times it has been read")


class CaseFileOut(CaseOut):
    reason: str | None
    closed_reason: str | None
    closed_at: str | None = Field(default=None, description="When it was closed, once closed")
    closed_by: str | None = Field(default=None, description="Who closed it (a person's id), once closed")
    closed_by_name: str | None = Field(default=None, description="Who closed it, by the name the site knows them by")
    links: list[LinkOut]
    events: list[CaseEventOut]
    notes_held: list[NoteHeld]


class CaseAlertOut(BaseModel):
    code: str
    severity: str
    message: str


class CaseActedOut(BaseModel):
    event: str = Field(description="The recorded event")
    seq: int
    duplicate: bool
    alerts: list[CaseAlertOut]
    case: CaseOut | None = Field(description="The case after it (none if the event changed nothing: see the alerts)")


class NoteOut(BaseModel):
    note: str = Field(description="The case_note event")
    at: str
    by: str
    text: str
    read: str = Field(description="The note_read event that recorded this read")


class NotesOut(BaseModel):
    case: str
    notes: list[NoteOut]
    altered: list[str] = Field(description="Notes that would not open with their key: altered in the record")


# --- building them ---------------------------------------------------------------------------


def case_view(state: State, case: str, record: CaseRecord) -> CaseOut:
    return CaseOut(
        id=case,
        person=record.person,
        name=wording.person(state, record.person),
        status=record.status,
        open=record.is_open,
        assignee=record.assignee,
        review=record.review.isoformat() if record.review else None,
        opened=record.opened,
        opened_at=record.at.isoformat(),
        opened_by=record.by,
        opened_by_name=wording.person(state, record.by),
        closed=record.closed,
        notes=record.notes,
    )


def acted(decided_outcome: dict[str, Any], seq: int, duplicate: bool, case: CaseOut | None) -> CaseActedOut:
    """An action's answer: the event recorded, its alerts (as the viewer is shown them), the case after it."""
    alerts = [
        CaseAlertOut(code=a["code"], severity=a["severity"], message=a["message"])
        for a in decided_outcome.get("alerts", [])
    ]
    return CaseActedOut(event=decided_outcome["event"], seq=seq, duplicate=duplicate, alerts=alerts, case=case)


Finder = Callable[[str], Entry | None]


def case_file(state: State, case: str, record: CaseRecord, entries: Iterable[Entry], find: Finder) -> CaseFileOut:
    """The case's file from its recorded events; ``find`` looks up a linked event in the record."""
    events: list[CaseEventOut] = []
    links: list[LinkOut] = []
    reads: dict[str, int] = {}
    notes: list[NoteHeld] = []
    reason = closed_reason = closed_at = closed_by = None
    for entry in entries:
        payload = entry.payload or {}
        events.append(
            CaseEventOut(
                seq=entry.seq,
                event=entry.event_id,
                type=entry.type,
                at=entry.at,
                by=_text(payload.get("by")),
                submitted_by=entry.submitted_by,
                said=said(entry.type, payload),
            )
        )
        if entry.type == "case_open":
            reason = _text(payload.get("reason"))
        elif entry.type == "case_close":
            closed_reason, closed_at, closed_by = _text(payload.get("reason")), entry.at, _text(payload.get("by"))
        elif entry.type == "case_note":
            notes.append(NoteHeld(note=entry.event_id, at=entry.at, by=_text(payload.get("by")) or "", reads=0))
        elif entry.type == "note_read":
            note = _text(payload.get("note")) or ""
            reads[note] = reads.get(note, 0) + 1
        for link in payload.get("links", ()) if entry.type in ("case_open", "case_update") else ():
            links.append(_link(str(link), entry, find))
    return CaseFileOut(
        **case_view(state, case, record).model_dump(),
        reason=reason,
        closed_reason=closed_reason,
        closed_at=closed_at,
        closed_by=closed_by,
        closed_by_name=wording.person(state, closed_by) if closed_by else None,
        links=links,
        events=events,
        notes_held=[n.model_copy(update={"reads": reads.get(n.note, 0)}) for n in notes],
    )


def _link(event_id: str, entry: Entry, find: Finder) -> LinkOut:
    found = find(event_id)
    by = _text((entry.payload or {}).get("by")) or entry.submitted_by
    if found is None:
        return LinkOut(event=event_id, recorded=False, linked_by=by, linked_at=entry.at)
    return LinkOut(
        event=event_id, recorded=True, seq=found.seq, type=found.type, at=found.at, linked_by=by, linked_at=entry.at
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def said(kind: str, payload: dict[str, Any]) -> str:
    """A case event in plain words; a note is said to be sealed, never what it says."""
    parts: list[str] = []
    if kind == "case_open":
        parts.append(f"opened on {payload.get('person')}")
    elif kind == "case_note":
        parts.append("a note, sealed")
    elif kind == "note_read":
        parts.append(f"read note {payload.get('note')}")
    elif kind == "case_close":
        parts.append(f"closed: {payload.get('reason')}")
    for field, label in (("status", "status"), ("assignee", "assigned to"), ("review", "review on")):
        if payload.get(field):
            parts.append(f"{label} {payload[field]}")
    if kind == "case_open" and payload.get("reason"):
        parts.append(f"because: {payload['reason']}")
    if payload.get("links") and kind in ("case_open", "case_update"):
        parts.append(f"links {', '.join(str(link) for link in payload['links'])}")
    return " · ".join(parts) or kind
