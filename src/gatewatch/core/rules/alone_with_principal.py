"""ALONE_WITH_PRINCIPAL: a visitor is never with the principal without an escort there.

Procedure: wherever the principal is, a visitor in the same zone has an escort in it too.
Checked after every move and leave: when a visitor walks in on the principal, when the
principal walks in on a visitor, or when the last escort leaves them together. Only the
principal's waiver of ESCORT_REQUIRED for that person today silences it.
"""

from __future__ import annotations

from gatewatch.core import wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.rules.company import unescorted_zone
from gatewatch.core.state import State

CODE = AlertCode.ALONE_WITH_PRINCIPAL


def applies(state: State, person_id: str) -> bool:
    zone = unescorted_zone(state, person_id)
    return zone is not None and state.principal_there(zone)


def alert(state: State, person_id: str) -> Alert:
    zone = state.zone_of(person_id)
    return Alert(
        CODE,
        Severity.CRITICAL,
        f"{wording.person(state, person_id)} is in {wording.zone(state, zone)} with the principal "
        "and no escort: send an escort now",
        people=(person_id,),
        places=(zone,) if zone else (),
    )
