"""NOT_SCREENED: a visitor is searched before entering a screened zone.

Procedure: before a visitor goes into a zone at or above ``screening_from_level``, a guard
searches them in this visit and records a clear result. A refused or incomplete search
keeps the door shut, unless the principal waived the rule for them today.
"""

from __future__ import annotations

from gatewatch.core import wording
from gatewatch.core.reasons import Reason, ReasonCode
from gatewatch.core.rules.door_request import DoorRequest

CODE = ReasonCode.NOT_SCREENED


def check(request: DoorRequest) -> Reason | None:
    state = request.state
    if request.far_zone.level < state.site.policy.screening_from_level:
        return None
    unscreened = tuple(
        p
        for p in request.visitors()
        if not ((visit := state.visits.get(p)) is not None and visit.screened_clear)
        and not state.waived(p, CODE, request.day)
    )
    if not unscreened:
        return None
    return Reason(
        CODE,
        unscreened,
        f"{wording.people(state, unscreened)}: not searched with a clear result in this visit",
        "search them and record a clear screening",
    )
