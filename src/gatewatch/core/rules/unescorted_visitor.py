"""UNESCORTED_VISITOR: a visitor in the inner zones always has an escort beside them.

Procedure: a visitor in a zone at or above ``escort_from_level`` has an escort (a guard, or
someone marked ``escort``) in the same zone. It is checked after every move and leave: for
a visitor who just came into such a zone alone, and for one left alone when the last escort
walked out. A waiver of ESCORT_REQUIRED by the principal for that person today silences it.
"""

from __future__ import annotations

from gatewatch.core import wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.rules.company import unescorted_zone
from gatewatch.core.state import State

CODE = AlertCode.UNESCORTED_VISITOR


def applies(state: State, person_id: str) -> bool:
    zone = unescorted_zone(state, person_id)
    return zone is not None and state.site.level(zone) >= state.site.policy.escort_from_level


def alert(state: State, person_id: str) -> Alert:
    zone = state.zone_of(person_id)
    return Alert(
        CODE,
        Severity.HIGH,
        f"{wording.person(state, person_id)} is in {wording.zone(state, zone)} with no escort: send an escort now",
        people=(person_id,),
        places=(zone,) if zone else (),
    )
