"""PERSON_OF_CONCERN: a person of concern does not go further in on a request.

Procedure: someone named by a failed claim, a conflicting identity, a watchlist match, a
narrowing approach, a prohibited item, an entry without a grant, high concerning
behaviour, a forced door, or an open concern, is not admitted into a zone at or above
``concern_from_level`` until a lead clears the concern. No one can waive this; only a
lead's approved override admits them, on the record.
"""

from __future__ import annotations

from gatewatch.core import wording
from gatewatch.core.reasons import Reason, ReasonCode
from gatewatch.core.rules.door_request import DoorRequest

CODE = ReasonCode.PERSON_OF_CONCERN


def check(request: DoorRequest) -> Reason | None:
    state = request.state
    if request.far_zone.level < state.site.policy.concern_from_level:
        return None
    concerned = tuple(p for p in request.people if state.of_concern(p))
    if not concerned:
        return None
    why = "; ".join(f"{wording.person(state, p)}: {', '.join(state.concerns[p])}" for p in concerned)
    return Reason(CODE, concerned, f"person of concern ({why})", "a lead clears the concern, or approves an override")
