"""CLAIM_UNVERIFIABLE: a claim nobody could check is noted, not trusted.

Procedure: when an independent check of a claim cannot be done, the claim stays
unconfirmed and the desk is warned, so that nothing rests on it.
"""

from __future__ import annotations

from gatewatch.core import events as ev
from gatewatch.core import wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.state import State

CODE = AlertCode.CLAIM_UNVERIFIABLE


def check(state: State, event: ev.Verify) -> Alert | None:
    if event.result != "unverifiable":
        return None
    return Alert(
        CODE,
        Severity.WARNING,
        f"{wording.person(state, event.person)}'s {event.claim} claim could not be verified: "
        "treat it as unconfirmed and try another channel",
        people=(event.person,),
    )
