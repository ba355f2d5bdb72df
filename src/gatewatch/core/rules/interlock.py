"""INTERLOCK: of two interlocked doors, one opens only while the other is shut.

Procedure: a door with an ``interlock`` partner (the inner of two steel doors) does not
open while its partner stands open, so that the vestibule between them is never an open
passage.
"""

from __future__ import annotations

from gatewatch.core import wording
from gatewatch.core.reasons import Reason, ReasonCode
from gatewatch.core.rules.door_request import DoorRequest

CODE = ReasonCode.INTERLOCK


def check(request: DoorRequest) -> Reason | None:
    partner = request.door.interlock
    if partner is None or partner not in request.state.open_doors:
        return None
    said = wording.door(request.state, partner)
    return Reason(CODE, request.people, f"{said} is open", f"close {said} first")
