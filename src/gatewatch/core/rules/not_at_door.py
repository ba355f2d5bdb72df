"""NOT_AT_DOOR: a door opens only for people standing at it.

Procedure: a request names the people a door should let through; each must stand at one of
the two zones the door joins (entering, they wait on its outward side; going out, on its
inward side). A door opened for someone the record places elsewhere lets in whoever is at it
instead: the visitor who arrived at the street door is not let through the study door.

Who is judged, from what the record knows:

- someone the record places in a zone is judged by that zone, whatever their role (a
  resident recorded in the house is not at the street door);
- a visitor the record has off site (never arrived, or gone) is not at an inner door; at a
  perimeter door, off site is the street side they come from, so they are not judged there
  (NOT_EXPECTED and the screening rules speak for them);
- a registered person with no zone on the record (a guard or resident never placed) is
  not judged: where they are is unknown, not known to be elsewhere.

Egress is never judged here: ``decide`` grants it before any rule is asked. The principal
cannot waive this rule (it is not in WAIVABLE); a lead's approved override still opens the
door, as for every denial, since the lead answers for the person being there.
"""

from __future__ import annotations

from gatewatch.core import wording
from gatewatch.core.people import Role
from gatewatch.core.reasons import Reason, ReasonCode
from gatewatch.core.rules.door_request import DoorRequest

CODE = ReasonCode.NOT_AT_DOOR


def stands_at_door(request: DoorRequest, person_id: str) -> bool:
    """Whether the record lets this person be at the door (see the module's rules)."""
    state = request.state
    zone = state.zone_of(person_id)
    if zone is not None:
        return zone in (request.door.outward, request.door.inward)
    if state.person(person_id).role is not Role.VISITOR:
        return True
    return request.door.perimeter


def _where_each_is(request: DoorRequest, away: tuple[str, ...]) -> str:
    """``Frank Jacson is in the street; Ana and Bo are off site``: people grouped by place."""
    state = request.state
    places: dict[str, list[str]] = {}
    for person_id in away:
        places.setdefault(wording.whereabouts(state, person_id), []).append(person_id)
    return "; ".join(
        f"{wording.people(state, members)} {'is' if len(members) == 1 else 'are'} {place}"
        for place, members in places.items()
    )


def check(request: DoorRequest) -> Reason | None:
    state = request.state
    away = tuple(p for p in request.people if not stands_at_door(request, p))
    if not away:
        return None
    door = request.door
    said = wording.door(state, door.id)
    return Reason(
        CODE,
        away,
        f"{_where_each_is(request, away)}, not at {said}: it would open for whoever stands there",
        f"bring them to {said} and record it (seen in {wording.zone(state, door.outward)} "
        f"or {wording.zone(state, door.inward)}), then ask again",
    )
