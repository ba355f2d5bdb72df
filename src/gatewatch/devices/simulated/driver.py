"""The simulated door driver: readers, door contacts, exit buttons and locks held in memory.

It stands in for door hardware (``make demo``, the console's "present a card at a reader", the
tests) and behaves as real hardware must: every lock starts locked; a badge opens its door's
lock only for a recorded grant, for the seconds the desk answered, and the lock closes again by
itself; the exit button releases its door's lock at once, with no round trip to the desk, and
the egress is reported after; ``LockAll`` locks every door (the exit buttons still release);
``stop`` locks every door. Its calls on the desk block: call ``present`` from a thread of your
own (``asyncio.to_thread`` from an event loop), never from the event loop itself.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from gatewatch.core.errors import did_you_mean
from gatewatch.core.site import Site
from gatewatch.devices.base import Answer, Command, DeviceStatus, DoorDesk, LockAll, Unlock
from gatewatch.devices.simulated.locks import Locks

logger = logging.getLogger("gatewatch.devices")

NAME = "simulated"


class UnknownDevice(ValueError):
    """A reader or door the simulated driver does not work."""


class SimulatedDriver:
    """Readers, contacts and locks for ``doors`` of the site (every door when none are given),
    and the readers that stand at them."""

    name = NAME

    def __init__(self, site: Site, doors: Iterable[str] | None = None) -> None:
        worked = sorted(site.doors if doors is None else set(doors))
        unknown = [door for door in worked if door not in site.doors]
        if unknown:
            raise UnknownDevice(f"the simulated driver cannot work doors the site does not have: {', '.join(unknown)}")
        self.site = site
        self._readers = {reader.id: reader.door for reader in site.readers.values() if reader.door in worked}
        self._contacts = dict.fromkeys(worked, False)
        self._locks = Locks(worked, self._lock_changed)
        self._desk: DoorDesk | None = None
        self._guard = threading.Lock()

    # --- Driver ------------------------------------------------------------------------------

    def doors(self) -> frozenset[str]:
        return self._locks.doors()

    def devices(self) -> frozenset[str]:
        return frozenset(self._readers)

    def start(self, desk: DoorDesk) -> None:
        with self._guard:
            self._desk = desk
        self._locks.start()

    def command(self, command: Command) -> None:
        try:
            if isinstance(command, LockAll):
                self._locks.lock_all()
            elif isinstance(command, Unlock) and command.door in self._contacts:
                self._locks.release(command.door, command.seconds)
        except Exception:  # a command never raises; the lock stays as it was (locked, unless released)
            logger.exception("simulated driver: %r failed", command)

    def stop(self) -> None:
        self._locks.stop()
        with self._guard:
            self._desk = None

    # --- the hardware, simulated -------------------------------------------------------------

    def present(self, reader: str, credential: str, pin: str | None = None) -> Answer:
        """A card (and PIN) at a reader: the desk's answer; its door's lock opens for a recorded grant."""
        door = self._door_of(reader)
        desk = self._current_desk()
        if desk is None:  # not started, or stopped: nobody to ask, nothing opens
            return Answer.refused(door)
        answer = desk.badge(reader, credential, pin)
        if answer.granted and answer.recorded:
            self._locks.release(door, answer.unlock_s)
        return answer

    def press_exit(self, door: str) -> None:
        """The exit button: the lock opens here at once (for the policy's ``unlock_s``), then the
        desk is told of the egress."""
        self._check_door(door)
        self._locks.release(door, float(self.site.policy.unlock_s))
        desk = self._current_desk()
        if desk is not None:
            desk.exit_pressed(door)

    def set_contact(self, door: str, is_open: bool) -> None:
        """The door's contact: the door was opened or closed (told to the desk when it changes)."""
        self._check_door(door)
        with self._guard:
            changed = self._contacts[door] != is_open
            self._contacts[door] = is_open
            desk = self._desk
        if changed and desk is not None:
            desk.contact(door, is_open)

    def report(self, device: str, status: DeviceStatus, detail: str = "") -> None:
        """A reader reports on itself (offline, tamper, fault, back online)."""
        if device not in self._readers:
            raise UnknownDevice(f'no simulated reader "{device}"{did_you_mean(device, self._readers)}')
        desk = self._current_desk()
        if desk is not None:
            desk.device_status(device, status, detail)

    def locked(self, door: str) -> bool:
        self._check_door(door)
        return self._locks.locked(door)

    def is_open(self, door: str) -> bool:
        self._check_door(door)
        with self._guard:
            return self._contacts[door]

    def wait_locked(self, door: str, locked: bool = True, timeout: float | None = None) -> bool:
        """Wait until the door's lock is locked (or unlocked); False if not within ``timeout``."""
        self._check_door(door)
        return self._locks.wait(door, locked, timeout)

    def readers(self) -> dict[str, str]:
        """Each reader the driver works, and its door."""
        return dict(self._readers)

    # --- inside ------------------------------------------------------------------------------

    def _current_desk(self) -> DoorDesk | None:
        with self._guard:
            return self._desk

    def _door_of(self, reader: str) -> str:
        door = self._readers.get(reader)
        if door is None:
            raise UnknownDevice(f'no simulated reader "{reader}"{did_you_mean(reader, self._readers)}')
        return door

    def _check_door(self, door: str) -> None:
        if door not in self._contacts:
            raise UnknownDevice(f'no simulated door "{door}"{did_you_mean(door, self._contacts)}')

    def _lock_changed(self, door: str, locked: bool) -> None:
        desk = self._current_desk()
        if desk is not None:
            desk.lock_state(door, locked)
