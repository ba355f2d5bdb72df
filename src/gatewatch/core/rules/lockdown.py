"""LOCKDOWN: while the site is in lockdown, no door opens inward on a request.

Procedure: a critical alert puts the whole site in lockdown. Until the head of the guard
calls the all-clear, entry requests are refused; only a lead's approved override lets
someone in. Going out is never refused.
"""

from __future__ import annotations

from gatewatch.core.reasons import Reason, ReasonCode
from gatewatch.core.rules.door_request import DoorRequest

CODE = ReasonCode.LOCKDOWN


def check(request: DoorRequest) -> Reason | None:
    if request.state.lockdown is None:
        return None
    return Reason(
        CODE,
        request.people,
        f"the site is in lockdown ({request.state.lockdown})",
        "a lead calls the all-clear, or approves an override",
    )
