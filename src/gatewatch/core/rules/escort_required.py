"""ESCORT_REQUIRED: a visitor goes into the inner zones only with an escort.

Procedure: into a zone at or above ``escort_from_level`` a visitor goes with an escort (a
guard, or someone marked ``escort``) passing with them or already waiting in that zone.
Residents and the principal are not escorts. The principal may waive this for one person
for the day.
"""

from __future__ import annotations

from gatewatch.core import wording
from gatewatch.core.reasons import Reason, ReasonCode
from gatewatch.core.rules.door_request import DoorRequest

CODE = ReasonCode.ESCORT_REQUIRED


def _escorted(request: DoorRequest, visitor: str) -> bool:
    state = request.state
    if any(p != visitor and state.person(p).is_escort for p in request.people):
        return True
    return state.escorts_there(request.door.inward, besides=visitor) > 0


def check(request: DoorRequest) -> Reason | None:
    state = request.state
    if request.far_zone.level < state.site.policy.escort_from_level:
        return None
    alone = tuple(v for v in request.visitors() if not _escorted(request, v) and not state.waived(v, CODE, request.day))
    if not alone:
        return None
    return Reason(
        CODE,
        alone,
        f"{wording.people(state, alone)}: no escort with them or in {wording.zone(state, request.door.inward)}",
        "an escort goes through with them",
    )
