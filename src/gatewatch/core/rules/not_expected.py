"""NOT_EXPECTED: a visitor comes in only on a day a host invited them for.

Procedure: every visitor is expected: a resident, staff member, guard or the principal
invites them for that date. A visitor with no invitation for today is turned away unless
the principal has waived the rule for them today.
"""

from __future__ import annotations

from gatewatch.core import wording
from gatewatch.core.reasons import Reason, ReasonCode
from gatewatch.core.rules.door_request import DoorRequest

CODE = ReasonCode.NOT_EXPECTED


def check(request: DoorRequest) -> Reason | None:
    state = request.state
    unexpected = tuple(
        p
        for p in request.visitors()
        if not any(i.day == request.day for i in state.invitations.get(p, ()))
        and not state.waived(p, CODE, request.day)
    )
    if not unexpected:
        return None
    return Reason(
        CODE,
        unexpected,
        f"{wording.people(state, unexpected)}: no invitation for today",
        "a host invites them for today",
    )
