"""What alerts do to the site: persons of concern, and lockdown at any critical alert."""

from __future__ import annotations

from collections.abc import Iterable

from msgspec.structs import replace

from gatewatch.core.alerts import Alert, Severity
from gatewatch.core.state import State


def mark_concern(state: State, person_id: str, why: str) -> State:
    earlier = state.concerns.get(person_id, ())
    if why in earlier:
        return state
    return replace(state, concerns=state.concerns.set(person_id, (*earlier, why)))


def apply(state: State, alerts: Iterable[Alert], event_id: str) -> State:
    """Idempotent: applying the same alerts twice changes nothing more."""
    for alert in alerts:
        for person_id in alert.concern:
            state = mark_concern(state, person_id, f"{alert.code.value} at {event_id}")
        if alert.severity is Severity.CRITICAL and alert.code.locks_down and state.lockdown is None:
            state = replace(state, lockdown=f"{alert.code.value} at {event_id}")
    return state
