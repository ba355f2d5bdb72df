"""NOT_PERMITTED: actions reserved to a lead or to the principal have no effect from others.

Procedure: only a lead vets, opens or clears a concern, and calls the all-clear; only the
principal waives rules; only a host who is not a visitor invites. The same action by
anyone else changes nothing and is recorded as a warning.
"""

from __future__ import annotations

from gatewatch.core import wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.state import State

CODE = AlertCode.NOT_PERMITTED


def _person_is(state: State, person_id: str, test: str) -> bool:
    person = state.people.get(person_id)
    if person is None:
        return False
    return {"lead": person.lead, "principal": person.is_principal, "host": not person.is_visitor}[test]


def check(state: State, actor: str, action: str, needs: str) -> Alert | None:
    """``needs`` is ``lead``, ``principal`` or ``host``."""
    if _person_is(state, actor, needs):
        return None
    who = {"lead": "a lead", "principal": "the principal", "host": "a host who is not a visitor"}[needs]
    return Alert(
        CODE,
        Severity.WARNING,
        f"{wording.person(state, actor)} tried to {action}, which only {who} may do: "
        "it has no effect; tell the head of the guard",
        people=(actor,),
    )
