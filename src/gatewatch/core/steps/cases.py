"""Cases: opened on a person, updated, given sealed notes, read, and closed with a reason.

Procedure: opening a case makes its person of concern ("case C opened by B at E"), as a lead's
open concern does. Closing it ends that: when no other case on them stays open, the concern is
cleared, as a lead clears one, and an info alert (CASE_CLOSED) says the case closed, why, and
that they are no longer of concern; when another stays open, only this case's reason goes, and
the alert says which case keeps them of concern (a lead's clear of the concern leaves standing
what an open case gives, ``rules.case_keeps_concern``; in a record made before that rule the
clear may have taken it, and the case still keeps the person of concern). A note reaches the
engine sealed: it counts the case's notes and never sees their words. A read of notes changes
nothing here; it is in the record. An event that does not fit the case changes nothing
(``rules.case_action``).
"""

from __future__ import annotations

from msgspec.structs import replace

from gatewatch.core import consequences, wording
from gatewatch.core import events as ev
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.outcome import Effect
from gatewatch.core.rules import case_action
from gatewatch.core.state import CaseRecord, State

REASON_SHOWN = 200
"""Characters of a closing reason an alert repeats (the record keeps it whole)."""


def opened_because(case: str, by: str, event_id: str) -> str:
    """The concern a case gives its person, as ``state.concerns`` says it."""
    return f"case {case} opened by {by} at {event_id}"


def open_case(state: State, event: ev.CaseOpen) -> Effect:
    refusal = case_action.check(state, event)
    if refusal is not None:
        return Effect(state, (refusal,))
    record = CaseRecord(
        person=event.person,
        opened=event.id,
        at=event.at,
        by=event.by,
        assignee=event.assignee,
        review=event.review,
    )
    others = state.open_cases.get(event.person, ())
    state = replace(
        state,
        cases=state.cases.set(event.case, record),
        open_cases=state.open_cases.set(event.person, (*others, event.case)),
    )
    return Effect(consequences.mark_concern(state, event.person, opened_because(event.case, event.by, event.id)))


def update_case(state: State, event: ev.CaseUpdate) -> Effect:
    refusal = case_action.check(state, event)
    if refusal is not None:
        return Effect(state, (refusal,))
    record = state.cases[event.case]
    changed = replace(
        record,
        status=event.status or record.status,
        assignee=event.assignee or record.assignee,
        review=event.review or record.review,
    )
    return Effect(replace(state, cases=state.cases.set(event.case, changed)))


def add_note(state: State, event: ev.CaseNote) -> Effect:
    refusal = case_action.check(state, event)
    if refusal is not None:
        return Effect(state, (refusal,))
    record = state.cases[event.case]
    return Effect(replace(state, cases=state.cases.set(event.case, replace(record, notes=record.notes + 1))))


def note_read(state: State, event: ev.NoteRead) -> Effect:
    refusal = case_action.check(state, event)
    return Effect(state, (refusal,) if refusal is not None else ())


def close_case(state: State, event: ev.CaseClose) -> Effect:
    refusal = case_action.check(state, event)
    if refusal is not None:
        return Effect(state, (refusal,))
    record = state.cases[event.case]
    person = record.person
    others = tuple(case for case in state.open_cases.get(person, ()) if case != event.case)
    still_open = state.open_cases.set(person, others) if others else state.open_cases.delete(person)
    state = replace(
        state,
        cases=state.cases.set(event.case, replace(record, status="closed", closed=event.id)),
        open_cases=still_open,
    )
    concerns = state.concerns
    if others:
        mine = opened_because(event.case, record.by, record.opened)
        kept = tuple(why for why in concerns.get(person, ()) if why != mine) or concern_given(state, others)
        concerns = concerns.set(person, kept)
    elif person in concerns:
        concerns = concerns.delete(person)
    return Effect(replace(state, concerns=concerns), (_closed(state, event, person, others),))


def concern_given(state: State, cases: tuple[str, ...]) -> tuple[str, ...]:
    """The concern these open cases give their person, as ``state.concerns`` says it."""
    return tuple(opened_because(case, state.cases[case].by, state.cases[case].opened) for case in cases)


def _closed(state: State, event: ev.CaseClose, person: str, others: tuple[str, ...]) -> Alert:
    reason = event.reason.strip()
    said = reason if len(reason) <= REASON_SHOWN else f"{reason[:REASON_SHOWN]}…"
    name = wording.person(state, person)
    if others:
        cases = ", ".join(others)
        after = f"case{'s' if len(others) > 1 else ''} {cases} {'stay' if len(others) > 1 else 'stays'} open"
        then = f"{after}: {name} is still a person of concern"
    else:
        then = f"no other case on {name} is open: they are no longer a person of concern"
    return Alert(
        AlertCode.CASE_CLOSED,
        Severity.INFO,
        f"Case {event.case} on {name} closed by {wording.person(state, event.by)} ({said}); {then}",
        people=(person,),
    )
