"""UNAUTHORIZED_ENTRY: nobody goes up a level except through a door that lets them.

Procedure: going into a higher zone is allowed through a door without control, or through
a controlled door under a grant that covers that person. Entering a higher zone through a
controlled door without such a grant, or where no door joins the two zones (over a wall,
or onto the site without arriving at a door), makes the person of concern.
"""

from __future__ import annotations

from datetime import datetime

from gatewatch.core import grants, wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.state import State

CODE = AlertCode.UNAUTHORIZED_ENTRY


def check(state: State, person_id: str, to_zone: str, at: datetime) -> Alert | None:
    site = state.site
    here = state.zone_of(person_id)
    if site.level(to_zone) <= site.level(here):
        return None
    doors = site.doors_joining(here, to_zone)
    if any(not d.controlled or grants.covering(state, d.id, person_id, at) for d in doors):
        return None
    how = (
        "through " + wording.door(state, doors[0].id) + " without a grant"
        if doors
        else ("where no door leads" if here is not None else "without arriving at a door")
    )
    who, where = wording.person(state, person_id), wording.zone(state, to_zone)
    return Alert(
        CODE,
        Severity.HIGH,
        f"{who} entered {where} {how}: stop them and bring them back to the gate",
        people=(person_id,),
        places=(to_zone,),
        concern=(person_id,),
    )
