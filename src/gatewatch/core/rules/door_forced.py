"""DOOR_FORCED: a controlled door that opens without a grant has been forced.

Procedure: a controlled door opens only on a granted request (or an approved override),
once per grant. If its sensor shows it opening with no unused grant, whoever opened it
let someone past the procedures: the site goes into lockdown and the person who opened it
is of concern until a lead clears them.
"""

from __future__ import annotations

from datetime import datetime

from gatewatch.core import grants, wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.state import State

CODE = AlertCode.DOOR_FORCED


def check(state: State, door_id: str, by: str | None, at: datetime) -> Alert | None:
    door = state.site.doors[door_id]
    if not door.controlled or door_id in state.open_doors:
        return None
    if grants.for_opening(state, door_id, at) is not None:
        return None
    who = f" by {wording.person(state, by)}" if by else ""
    return Alert(
        CODE,
        Severity.CRITICAL,
        f"{wording.capital(wording.door(state, door_id))} was opened{who} with no grant: "
        f"lock down, send guards to {wording.zone(state, door.inward)} and find who came through",
        people=(by,) if by else (),
        places=(door_id,),
        concern=(by,) if by else (),
    )
