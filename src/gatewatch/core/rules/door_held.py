"""DOOR_HELD: a door opened on a grant must close again within ``held_open_s``.

Procedure: a grant opens a door once, for one passage. A door with a reader still open
``held_open_s`` seconds after it opened on a grant lets anyone follow: the desk is told once
per opening, at the first event at or after that time (a device layer sends ``tick`` events so
that time is noticed). Doors without a reader are worked by a guard at the post, who sees them;
they are not timed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from msgspec.structs import replace

from gatewatch.core import wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.state import State

CODE = AlertCode.DOOR_HELD


def due(state: State, at: datetime) -> tuple[str, ...]:
    """The doors held open past their time at ``at`` (only open doors are looked at)."""
    if not state.held:
        return ()
    span = timedelta(seconds=state.site.policy.held_open_s)
    return tuple(door for door, opened in state.held.items() if at - opened >= span)


def check(state: State, at: datetime) -> tuple[State, tuple[Alert, ...]]:
    """Raise DOOR_HELD for each door held past its time, once: it is no longer watched after."""
    doors = due(state, at)
    if not doors:
        return state, ()
    seconds = state.site.policy.held_open_s
    alerts = tuple(
        Alert(
            CODE,
            Severity.HIGH,
            f"{wording.capital(wording.door(state, door))} has been open more than {seconds} seconds after a "
            "grant: someone may follow through; close it and see who passed",
            places=(door,),
        )
        for door in sorted(doors)
    )
    held = state.held
    for door in doors:
        held = held.delete(door)
    return replace(state, held=held), alerts
