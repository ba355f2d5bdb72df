"""Who keeps a visitor company: the condition the two presence rules share."""

from __future__ import annotations

from gatewatch.core.reasons import ReasonCode
from gatewatch.core.state import State


def unescorted_zone(state: State, person_id: str) -> str | None:
    """The zone of a visitor with no escort there and no escort waiver today, else ``None``."""
    zone = state.zone_of(person_id)
    if zone is None or state.now is None or not state.person(person_id).is_visitor:
        return None
    if state.waived(person_id, ReasonCode.ESCORT_REQUIRED, state.now.date()):
        return None
    return zone if state.escorts_there(zone, besides=person_id) == 0 else None
