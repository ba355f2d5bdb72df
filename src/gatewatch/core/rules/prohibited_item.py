"""PROHIBITED_ITEM: a weapon found at screening is critical.

Procedure: a search that finds anything on the policy's ``prohibited`` list (firearms,
knives, an ice-axe, explosives) puts the site in lockdown and makes the person of concern.
"""

from __future__ import annotations

from gatewatch.core import events as ev
from gatewatch.core import wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.rules.door_request import items_in
from gatewatch.core.state import State

CODE = AlertCode.PROHIBITED_ITEM


def check(state: State, event: ev.Screen) -> Alert | None:
    found = items_in(event.found, state.site.policy.prohibited)
    if not found:
        return None
    who = wording.person(state, event.person)
    return Alert(
        CODE,
        Severity.CRITICAL,
        f"Screening of {who} by {wording.person(state, event.by)} found {', '.join(found)}: "
        f"hold {who} at the gate, secure the item, lock down",
        people=(event.person,),
        concern=(event.person,),
    )
