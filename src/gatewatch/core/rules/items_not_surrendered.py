"""ITEMS_NOT_SURRENDERED: coats, bags and parcels stay at the gate.

Procedure: before a visitor enters a zone at or above ``screening_from_level``, they hand
over everything on the policy's ``surrender`` list (coats, raincoats, bags, briefcases,
parcels, cameras). A visitor who refused to, or still wears or carries such an item, stays
out unless the principal waived the rule for them today.
"""

from __future__ import annotations

from gatewatch.core import wording
from gatewatch.core.reasons import Reason, ReasonCode
from gatewatch.core.rules.door_request import DoorRequest, items_in

CODE = ReasonCode.ITEMS_NOT_SURRENDERED


def kept_items(request: DoorRequest, person_id: str) -> tuple[str, ...]:
    visit = request.state.visits.get(person_id)
    if visit is None:
        return ()
    held = visit.refused | visit.wearing | visit.carrying
    return items_in(held, request.state.site.policy.surrender)


def check(request: DoorRequest) -> Reason | None:
    state = request.state
    if request.far_zone.level < state.site.policy.screening_from_level:
        return None
    keeping = {
        p: items
        for p in request.visitors()
        if (items := kept_items(request, p)) and not state.waived(p, CODE, request.day)
    }
    if not keeping:
        return None
    said = "; ".join(f"{wording.person(state, p)} keeps {', '.join(i)}" for p, i in keeping.items())
    return Reason(CODE, tuple(keeping), said, "they hand the items over at the gate")
