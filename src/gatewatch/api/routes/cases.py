"""Cases: open one on a person, list them, a case's file, update, add a note, read the notes, close.

Leads, analysts and admins only: a guard is refused (403). Each action is an event in the
record. A note is sealed before it is recorded; reading the notes records each read first. With
the notes' key missing or not the notes' own, a note can be neither written nor read (503,
naming the key's path and fingerprints); everything else goes on.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query

from gatewatch.api.access import needs
from gatewatch.bootstrap import Services
from gatewatch.core import limits
from gatewatch.http.access import Wired
from gatewatch.service import cases
from gatewatch.service.case_notes import NoteKey, NotesKeyError
from gatewatch.service.desk import Decided
from gatewatch.service.permissions import Actor, UserRole
from gatewatch.views import cases as views
from gatewatch.views.discretion import outcome_for

router = APIRouter(tags=["cases"])

CaseWorker = Annotated[Actor, Depends(needs(UserRole.LEAD, UserRole.ANALYST, UserRole.ADMIN))]
CaseId = Annotated[str, Path(min_length=1, max_length=limits.ID_CHARS, description="The case's id")]
KEY_PROBLEM: dict[int | str, dict[str, Any]] = {
    503: {"description": "The notes' key is missing or is not the notes' own: the problem is named"}
}


def _key(wired: Services) -> NoteKey:
    if wired.notes is None:
        raise HTTPException(
            503, "no key for case notes is configured: start the server with --notes-key PATH (or --data DIR)"
        )
    return wired.notes


def _case(wired: Services, case: str) -> views.CaseOut:
    record = wired.desk.state.cases.get(case)
    if record is None:
        raise HTTPException(404, f'no case "{case}" is recorded')
    return views.case_view(wired.desk.state, case, record)


def _acted(wired: Services, decided: Decided, case: str, user: Actor) -> views.CaseActedOut:
    """The answer to an action: ``case`` is absent when the engine let the event change nothing."""
    outcome = outcome_for(decided.outcome, user)
    record = wired.desk.state.cases.get(case)
    after = views.case_view(wired.desk.state, case, record) if record is not None else None
    return views.acted(outcome, decided.seq, decided.duplicate, after)


@router.post("/cases", summary="Open a case on a person", response_model=views.CaseActedOut)
def open_case(body: views.CaseOpenIn, user: CaseWorker, wired: Wired) -> views.CaseActedOut:
    """Records a ``case_open`` event: the person is of concern while the case is open."""
    decided = cases.open_case(
        wired.desk,
        wired.zone,
        user,
        wired.clock(),
        case=body.id,
        person=body.person,
        assignee=body.assignee,
        review=body.review,
        reason=body.reason,
        links=body.links,
    )
    return _acted(wired, decided, body.id, user)


@router.get("/cases", summary="The cases, newest first", response_model=list[views.CaseOut])
def list_cases(
    user: CaseWorker,
    wired: Wired,
    person: Annotated[str | None, Query(max_length=limits.ID_CHARS, description="Only this person's cases")] = None,
    status: Annotated[
        Literal["open", "investigating", "monitoring", "closed"] | None,
        Query(description="Only cases in this status (open: every case not closed)"),
    ] = None,
    limit: Annotated[
        int, Query(ge=1, le=cases.CASES_LISTED_MOST, description="At most this many (the newest)")
    ] = cases.CASES_LISTED,
) -> list[views.CaseOut]:
    state = wired.desk.state
    return [views.case_view(state, case, record) for case, record in cases.cases_in(state, person, status, limit)]


@router.get("/cases/{case_id}", summary="A case's file", response_model=views.CaseFileOut)
def case_file(case_id: CaseId, user: CaseWorker, wired: Wired) -> views.CaseFileOut:
    """Status, assignee, review date, linked events, every event of the case in order, and its
    notes without their words (read them at ``/v1/cases/{id}/notes``, which is recorded)."""
    state = wired.desk.state
    record = state.cases.get(case_id)
    if record is None:
        raise HTTPException(404, f'no case "{case_id}" is recorded')
    return views.case_file(state, case_id, record, cases.case_entries(wired.log, case_id), wired.log.find)


@router.patch("/cases/{case_id}", summary="Update an open case", response_model=views.CaseActedOut)
def update_case(case_id: CaseId, body: views.CaseUpdateIn, user: CaseWorker, wired: Wired) -> views.CaseActedOut:
    """Records a ``case_update`` event: its status, assignee or review date, or events linked."""
    _case(wired, case_id)
    decided = cases.update_case(
        wired.desk,
        wired.zone,
        user,
        wired.clock(),
        case=case_id,
        event_id=body.id,
        status=body.status,
        assignee=body.assignee,
        review=body.review,
        links=body.links,
    )
    return _acted(wired, decided, case_id, user)


@router.post(
    "/cases/{case_id}/notes",
    summary="Add a note to an open case",
    response_model=views.CaseActedOut,
    responses=KEY_PROBLEM,
)
def add_note(case_id: CaseId, body: views.NoteIn, user: CaseWorker, wired: Wired) -> views.CaseActedOut:
    """Seals the words with the notes' key and records them as a ``case_note`` event."""
    _case(wired, case_id)
    key = _key(wired)
    try:
        decided = cases.add_note(
            wired.desk, wired.zone, key, user, wired.clock(), case=case_id, event_id=body.id, text=body.text
        )
    except NotesKeyError as error:
        raise HTTPException(503, error.problem) from None
    return _acted(wired, decided, case_id, user)


@router.get(
    "/cases/{case_id}/notes",
    summary="Read a case's notes (each read is recorded)",
    response_model=views.NotesOut,
    responses=KEY_PROBLEM,
)
def read_notes(
    case_id: CaseId,
    user: CaseWorker,
    wired: Wired,
    most: Annotated[int, Query(ge=1, le=cases.NOTES_READ_MOST, description="The newest notes to read")] = (
        cases.NOTES_READ_MOST
    ),
) -> views.NotesOut:
    """Opens the newest notes, records a ``note_read`` event for each, then gives their words."""
    _case(wired, case_id)
    key = _key(wired)
    try:
        read = cases.read_notes(wired.desk, wired.zone, key, user, wired.clock(), case=case_id, most=most)
    except NotesKeyError as error:
        raise HTTPException(503, error.problem) from None
    return views.NotesOut(
        case=read.case,
        notes=[views.NoteOut(note=n.note, at=n.at, by=n.by, text=n.text, read=n.read) for n in read.notes],
        altered=list(read.altered),
    )


@router.post("/cases/{case_id}/close", summary="Close a case, saying why", response_model=views.CaseActedOut)
def close_case(case_id: CaseId, body: views.CloseIn, user: CaseWorker, wired: Wired) -> views.CaseActedOut:
    """Records a ``case_close`` event: the concern it gave clears unless another case on the person stays open."""
    _case(wired, case_id)
    decided = cases.close_case(
        wired.desk, wired.zone, user, wired.clock(), case=case_id, event_id=body.id, reason=body.reason
    )
    return _acted(wired, decided, case_id, user)
