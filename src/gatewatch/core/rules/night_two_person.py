"""NIGHT_TWO_PERSON: at night a perimeter door is opened only with two guards at its post.

Procedure: between the site's night hours, a door to the street is opened on request only
when at least two guards are on the door's controlling post and in that post's zone, so
that one guard is never alone with whoever is outside.
"""

from __future__ import annotations

from gatewatch.core import wording
from gatewatch.core.reasons import Reason, ReasonCode
from gatewatch.core.rules.door_request import DoorRequest

CODE = ReasonCode.NIGHT_TWO_PERSON
REQUIRED = 2


def check(request: DoorRequest) -> Reason | None:
    state, door = request.state, request.door
    if not door.perimeter or not state.site.is_night(request.at.time()):
        return None
    post = door.controlled_by
    present = state.guards_on_post_in_zone(post) if post is not None else 0
    if present >= REQUIRED:
        return None
    where = wording.post(state, post) if post is not None else "no post"
    return Reason(
        CODE,
        request.people,
        f"night, and {present} guard{'s' if present != 1 else ''} at {where}",
        f"a second guard takes {where} before the door opens",
    )
