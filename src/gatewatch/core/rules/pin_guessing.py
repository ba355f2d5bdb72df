"""PIN_GUESSING: three wrong PINs on one credential within ten minutes.

Procedure: a holder may mistype once or twice; three wrong PINs on one card within ten minutes
means someone is guessing with a card that is not theirs. The desk is told at the third (and
at each third after it), naming the holder and the door.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from msgspec.structs import replace

from gatewatch.core import wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.rules.badge_at import BadgeAt
from gatewatch.core.state import State

CODE = AlertCode.PIN_GUESSING
WINDOW = timedelta(minutes=10)
MISSES = 3


def recent(misses: tuple[datetime, ...], at: datetime) -> tuple[datetime, ...]:
    return tuple(t for t in misses if at - t <= WINDOW)


def check(badge: BadgeAt) -> tuple[State, Alert | None]:
    """Count a wrong PIN (a right one clears the count); the alert at the third within the window."""
    state, key = badge.state, badge.credential_id
    if badge.credential is None or badge.pin is None or badge.pin == "duress":
        return state, None
    if badge.pin == "right":
        return (replace(state, pin_misses=state.pin_misses.delete(key)) if key in state.pin_misses else state), None
    misses = (*recent(state.pin_misses.get(key, ()), badge.at), badge.at)
    if len(misses) < MISSES:
        return replace(state, pin_misses=state.pin_misses.set(key, misses)), None
    state = replace(state, pin_misses=state.pin_misses.delete(key))
    holder = badge.credential.holder
    return state, Alert(
        CODE,
        Severity.HIGH,
        f"{MISSES} wrong PINs within {int(WINDOW.total_seconds() // 60)} minutes on {wording.person(state, holder)}'s "
        f"credential at {wording.door(state, badge.door.id)}: someone may be guessing with their card; send a guard",
        people=(holder,),
        places=(badge.door.id, badge.reader.id),
    )
