"""NOT_PERMITTED for a concern's clearing: an open case keeps its person of concern.

Procedure: a case makes its person of concern for as long as it is open; only closing it (with
its reason) ends that. A lead's clear of the concern about someone with an open case is refused
at the desk's intake with the problem (``problem``): which case is open, and to close it. Given
one anyway (a drill, an imported record), the clear takes away every other reason the person
was of concern (a lead's own concern, an alert's), the open cases keep them of concern, and a
warning (``check``) says so and names the cases. A clear with no case open, and every opening
of a concern, are left alone.
"""

from __future__ import annotations

from gatewatch.core import events as ev
from gatewatch.core import wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.errors import InvalidInput
from gatewatch.core.state import State

CODE = AlertCode.NOT_PERMITTED


def keeping(state: State, event: ev.Concern) -> tuple[str, ...]:
    """The open cases on the person that a clear of their concern leaves standing."""
    return () if event.open else state.open_cases.get(event.person, ())


def said(state: State, person: str, cases: tuple[str, ...]) -> str:
    """``case C-1 on Frank Jacson is open: close it to clear the concern``."""
    many = len(cases) > 1
    listed = f"{', '.join(cases[:-1])} and {cases[-1]}" if many else cases[0]
    return (
        f"case{'s' if many else ''} {listed} on {wording.person(state, person)} {'are' if many else 'is'} open: "
        f"close {'them' if many else 'it'} to clear the concern"
    )


def problem(state: State, event: ev.Concern) -> InvalidInput | None:
    """What the intake says of a clear that an open case would undo (``None``: nothing)."""
    cases = keeping(state, event)
    if not cases:
        return None
    return InvalidInput(said(state, event.person, cases), where=f"event {event.id}", field="open")


def check(state: State, event: ev.Concern) -> Alert | None:
    """The warning for a clear that leaves the person of concern because of their open cases."""
    cases = keeping(state, event)
    if not cases:
        return None
    name = wording.person(state, event.person)
    return Alert(
        CODE,
        Severity.WARNING,
        f"{wording.person(state, event.by)} cleared the concern about {name}, who is still a person of concern "
        f"({said(state, event.person, cases)}); every other reason for it is cleared",
        people=(event.by, event.person),
    )
