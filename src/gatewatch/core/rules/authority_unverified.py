"""AUTHORITY_UNVERIFIED: a claimed authority is checked before the door opens.

Procedure: someone who arrives claiming an authority (police, inspector, utility) is not let
in on the uniform or the word: the claim is confirmed through an independent channel (a
``verify`` of the ``authority`` claim that comes back confirmed) first.
"""

from __future__ import annotations

from gatewatch.core import wording
from gatewatch.core.reasons import Reason, ReasonCode
from gatewatch.core.rules.door_request import DoorRequest

CODE = ReasonCode.AUTHORITY_UNVERIFIED


def check(request: DoorRequest) -> Reason | None:
    state = request.state
    claimed = tuple(
        p
        for p in request.people
        if (visit := state.visits.get(p)) is not None and visit.authority is not None and not visit.authority_confirmed
    )
    if not claimed:
        return None
    authorities = sorted({a for p in claimed if (a := state.visits[p].authority)})
    return Reason(
        CODE,
        claimed,
        f"{wording.people(state, claimed)} claim {' and '.join(authorities)} authority, not confirmed",
        "confirm the claim through an independent channel (verify: authority)",
    )
