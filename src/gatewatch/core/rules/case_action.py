"""NOT_PERMITTED for cases: a case's event changes nothing unless it fits the case as it stands.

Procedure: cases are worked by the site's own people, never by a visitor. A case id names one
case: it is opened once, on a person the site knows (a visitor, or one of its own people: a
case on a guard is an insider case), and assigned (if at all) to one of the site's own people;
it stands in a web address as it is (the case's page, its routes), so it has no slash and is
not dots alone; it is updated, given notes and closed only while it is open; an update changes
something; a review is set for the day the case opened or later; a case is closed with its
reason. Its notes may be read after it is closed (an investigator reads an old file).

The desk's intake refuses such an event from a client with the problem (``problem``), before
anything is decided. Given one anyway (a drill, an imported record), the engine changes
nothing and records a warning that says what was wrong. (The engine meets everyone an event
names before deciding it, so a stranger's case is refused at the intake alone.)
"""

from __future__ import annotations

from datetime import date, datetime

from gatewatch.core import events as ev
from gatewatch.core import wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.errors import InvalidInput, did_you_mean, unknown
from gatewatch.core.state import State

CODE = AlertCode.NOT_PERMITTED

CaseEvent = ev.CaseOpen | ev.CaseUpdate | ev.CaseNote | ev.CaseClose | ev.NoteRead
CASE_EVENTS = (ev.CaseOpen, ev.CaseUpdate, ev.CaseNote, ev.CaseClose, ev.NoteRead)

ACTIONS = {
    "case_open": "open case {case}",
    "case_update": "update case {case}",
    "case_note": "add a note to case {case}",
    "case_close": "close case {case}",
    "note_read": "read a note of case {case}",
}


def problem(state: State, event: CaseEvent) -> InvalidInput | None:
    """What is wrong with the event against the cases as they stand (``None``: nothing)."""
    where = f"event {event.id}"
    found = state.cases.get(event.case)
    if isinstance(event, ev.CaseOpen):
        return _opening(state, event, where)
    if found is None:
        return InvalidInput(unknown("case", event.case, state.cases), where=where, field="case")
    if found.closed is not None and not isinstance(event, ev.NoteRead):
        return InvalidInput(
            f'case "{event.case}" was closed at {found.closed}: a closed case takes no more updates, notes or '
            "closing; open a new case",
            where=where,
            field="case",
        )
    if isinstance(event, ev.CaseUpdate):
        if event.status is None and event.assignee is None and event.review is None and not event.links:
            return InvalidInput(
                "an update changes the status, the assignee or the review date, or links events",
                where=where,
                field="status",
            )
        return _review(event.review, found.at, where) or _assignee(state, event.assignee, where)
    if isinstance(event, ev.CaseClose) and not event.reason.strip():
        return InvalidInput("say why the case is closed", where=where, field="reason")
    return None


def _opening(state: State, event: ev.CaseOpen, where: str) -> InvalidInput | None:
    if "/" in event.case or not event.case.strip("."):
        return InvalidInput(
            f'case "{event.case}": a case id stands in a web address (its page, its notes), so it has no "/" '
            'and is not "." or ".." alone: say 2024-17 for 2024/17',
            where=where,
            field="case",
        )
    found = state.cases.get(event.case)
    if found is not None:
        then = f"closed at {found.closed}" if found.closed else f"open since {found.opened}"
        return InvalidInput(
            f'case "{event.case}" was opened already (at {found.opened}, on {found.person}; {then}): '
            "a case id names one case",
            where=where,
            field="case",
        )
    if event.person not in state.people:
        return InvalidInput(
            f'"{event.person}" is not known on this site: a case is opened on a person it knows'
            f"{did_you_mean(event.person, state.people)}",
            where=where,
            field="person",
        )
    return _review(event.review, event.at, where) or _assignee(state, event.assignee, where)


def _review(review: date | None, opened: datetime, where: str) -> InvalidInput | None:
    """A review falls on the day the case opened (at the site) or later."""
    if review is None or review >= opened.date():
        return None
    return InvalidInput(
        f"review on {review.isoformat()} is before the case was opened ({opened.date().isoformat()}): "
        "set a review for that day or later",
        where=where,
        field="review",
    )


def _assignee(state: State, assignee: str | None, where: str) -> InvalidInput | None:
    if assignee is None:
        return None
    person = state.people.get(assignee)
    if person is None or person.is_visitor:
        said = "is a visitor" if person is not None else "is not known on this site"
        return InvalidInput(
            f'"{assignee}" {said}: a case is assigned to one of the site\'s own people',
            where=where,
            field="assignee",
        )
    return None


def check(state: State, event: CaseEvent) -> Alert | None:
    """The warning for a case event that cannot take effect, or ``None``."""
    action = ACTIONS[event.type].format(case=event.case)
    actor = state.people.get(event.by)
    if actor is None or actor.is_visitor:
        return _refused(state, event.by, action, "a visitor may not work on cases: only the site's own people may")
    wrong = problem(state, event)
    if wrong is None:
        return None
    return _refused(state, event.by, action, wrong.problem)


def _refused(state: State, actor: str, action: str, why: str) -> Alert:
    return Alert(
        CODE,
        Severity.WARNING,
        f"{wording.person(state, actor)} tried to {action}, which has no effect ({why}); tell the head of the guard",
        people=(actor,),
    )
