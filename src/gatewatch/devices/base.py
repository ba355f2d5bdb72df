"""The one interface every door driver sits behind, and what a driver may ask of the desk.

A **driver** speaks one protocol (``simulated``, ``mqtt``, ``osdp``) to the hardware of some
doors: readers (card and keypad), door contacts, exit buttons, lock outputs, reader LEDs and
buzzers, and the controllers that hold them. It turns what the hardware says into calls on its
``DoorDesk`` (the same submission path as every other client of the desk), and turns what the
desk answers into commands for the hardware.

Failing secure is the driver's first duty:

- a lock is locked unless the driver was told ``UNLOCK`` for a recorded grant; a driver that
  loses its desk, or cannot reach its hardware, leaves (and commands) the lock locked;
- an exit button or a fire release opens the door locally, with no round trip to the desk,
  and is reported after (``DoorDesk.exit_pressed``);
- ``DoorDesk.badge`` never raises: any failure answers ``Answer.refused``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class DeviceStatus(StrEnum):
    """What a reader, lock or controller reports of itself (the ``device`` event's ``status``)."""

    ONLINE = "online"
    OFFLINE = "offline"
    TAMPER = "tamper"
    FAULT = "fault"


@dataclass(frozen=True, slots=True)
class Answer:
    """What a reader shows for a badge, and how long its door's lock opens.

    ``granted`` is all a reader ever shows: a duress grant answers exactly as a normal one.
    ``unlock_s`` is 0 for a denial. ``door`` is the door the reader stands at.
    ``recorded`` is True only when the decision is on disk (nothing is granted otherwise).
    """

    door: str
    granted: bool
    unlock_s: float
    recorded: bool

    @classmethod
    def refused(cls, door: str) -> Answer:
        """The fail-secure answer: deny, keep the lock locked."""
        return cls(door=door, granted=False, unlock_s=0.0, recorded=False)


class DoorDesk(Protocol):
    """What a driver may tell the desk. Every call blocks (call it from the driver's own thread,
    never from an event loop) and returns within the driver's deadline."""

    def badge(self, reader: str, credential: str, pin: str | None = None) -> Answer:
        """A card or PIN at a reader: decided by the engine, recorded, then answered.
        Fails secure: any error or a deadline passed answers ``Answer.refused``."""
        ...

    def contact(self, door: str, is_open: bool) -> None:
        """The door's contact changed (``open`` / ``close`` events). Never raises."""
        ...

    def exit_pressed(self, door: str) -> None:
        """The exit button (request to exit) was pressed and the driver has already released
        the lock locally; the desk records an egress. Never raises."""
        ...

    def lock_state(self, door: str, locked: bool) -> None:
        """The lock output changed (for the console's Board; not recorded). Never raises."""
        ...

    def device_status(self, device: str, status: DeviceStatus, detail: str = "") -> None:
        """A reader, lock or controller changed state (heartbeat lost, tamper, fault, back
        online). Kept and retried until the record takes it. Never raises."""
        ...


@dataclass(frozen=True, slots=True)
class Unlock:
    """Open a door's lock for ``seconds`` (a recorded grant), then lock it again."""

    door: str
    seconds: float


@dataclass(frozen=True, slots=True)
class LockAll:
    """Lock every door now (lockdown); exit buttons still release."""


Command = Unlock | LockAll
"""What the desk may ask of a driver outside a badge (a guard's grant at the console, a lockdown)."""


class Driver(Protocol):
    """One protocol's driver. The composition root builds one per configured protocol, calls
    ``start`` when the server starts and ``stop`` when it stops."""

    name: str
    """The protocol: ``simulated``, ``mqtt``, ``osdp``."""

    def doors(self) -> frozenset[str]:
        """The doors whose hardware this driver works."""
        ...

    def devices(self) -> frozenset[str]:
        """The ids of the devices it works (readers, locks, controllers), for health views."""
        ...

    def start(self, desk: DoorDesk) -> None:
        """Connect to the hardware and begin; returns at once (work goes on in threads)."""
        ...

    def command(self, command: Command) -> None:
        """Carry out a command for one of its doors (or all of them). Never raises."""
        ...

    def stop(self) -> None:
        """Lock every door it works, disconnect, and let its threads end."""
        ...


DriverFactory = Callable[..., Driver]
