"""CLAIM_FAILED: a claim that an independent check disproved makes its maker of concern.

Procedure: what a visitor says about themselves (identity, address, employer, authority)
is checked through a channel they do not control. A claim found false is high: the person
becomes of concern and goes no further in until a lead clears them.
"""

from __future__ import annotations

from gatewatch.core import events as ev
from gatewatch.core import wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.state import State

CODE = AlertCode.CLAIM_FAILED


def check(state: State, event: ev.Verify) -> Alert | None:
    if event.result != "failed":
        return None
    who = wording.person(state, event.person)
    return Alert(
        CODE,
        Severity.HIGH,
        f"{who}'s {event.claim} claim failed verification by {wording.person(state, event.by)}: "
        f"{who} is of concern; do not admit past the gate until a lead reviews",
        people=(event.person,),
        concern=(event.person,),
    )
