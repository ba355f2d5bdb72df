"""The doors as the console's Board shows them: each door's lock, readers, contact and driver.

Built from the engine's state (doors open, doors held open on a grant, devices' last status)
and what the drivers said of their locks (kept in memory by the desk's doors, not recorded).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from gatewatch.core.state import State
from gatewatch.devices.base import DeviceStatus


class LockState(StrEnum):
    LOCKED = "locked"
    UNLOCKED = "unlocked"
    UNKNOWN = "unknown"
    """No driver has said (a door without a driver, or one not heard from since the start)."""


@dataclass(frozen=True, slots=True)
class ReaderStatus:
    id: str
    name: str
    inward: bool
    """It reads on the door's outward side (asks to pass inward)."""
    status: DeviceStatus | None
    """What the reader last reported to the record (None: nothing yet)."""


@dataclass(frozen=True, slots=True)
class DoorStatus:
    id: str
    name: str
    lock: LockState
    readers: tuple[ReaderStatus, ...]
    open: bool
    held_since: datetime | None
    """Open on a grant since then, and DOOR_HELD not yet raised (None: not held open)."""
    driver: str | None
    """The driver that works its hardware (None: worked by hand)."""


def doors_status(state: State, locks: Mapping[str, bool], drivers: Mapping[str, str]) -> tuple[DoorStatus, ...]:
    """Every door of the site, by id: ``locks`` maps a door to whether its lock is locked,
    ``drivers`` a door to the name of the driver that works it."""
    site = state.site
    readers: dict[str, list[ReaderStatus]] = {}
    for reader in sorted(site.readers.values(), key=lambda r: r.id):
        readers.setdefault(reader.door, []).append(
            ReaderStatus(reader.id, reader.name, reader.inward, _status(state.devices.get(reader.id)))
        )
    return tuple(
        DoorStatus(
            id=door.id,
            name=door.name,
            lock=_lock(locks.get(door.id)),
            readers=tuple(readers.get(door.id, ())),
            open=door.id in state.open_doors,
            held_since=state.held.get(door.id),
            driver=drivers.get(door.id),
        )
        for door in sorted(site.doors.values(), key=lambda d: d.id)
    )


def _lock(locked: bool | None) -> LockState:
    if locked is None:
        return LockState.UNKNOWN
    return LockState.LOCKED if locked else LockState.UNLOCKED


def _status(reported: str | None) -> DeviceStatus | None:
    try:
        return DeviceStatus(reported) if reported is not None else None
    except ValueError:
        return None
