"""The Board's doors with readers: each door's lock, its readers' and controllers' health, and
whether it is open, held open or forced; and the simulated readers a guard may present a card at.

The lock's state is what the door drivers last said (the desk's doors keep it in memory:
``gatewatch.service.doors.Doors.doors_status``); without a door desk, or before a driver has
said, it is ``unknown``. Health is what each device last reported to the record (the engine's
``devices``). Held: open on a grant and not yet past ``held_open_s`` (the engine's ``held``), or
past it (a DOOR_HELD alert nobody has acknowledged, while the door is still open).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import tzinfo

from gatewatch.bootstrap import Services
from gatewatch.core import limits
from gatewatch.core.alerts import AlertCode
from gatewatch.core.state import State
from gatewatch.devices.base import Answer
from gatewatch.devices.simulated import SimulatedDriver
from gatewatch.service.door_board import DoorStatus
from gatewatch.store.alerts import AlertFilter

NO_REPORT = "no report"
"""A device that has reported nothing to the record yet."""
TROUBLE = frozenset({"offline", "tamper", "fault"})


@dataclass(frozen=True, slots=True)
class DeviceLine:
    id: str
    name: str
    status: str
    """online, offline, tamper, fault, or ``NO_REPORT``."""

    @property
    def trouble(self) -> bool:
        return self.status in TROUBLE


@dataclass(frozen=True, slots=True)
class DoorLine:
    id: str
    name: str
    lock: str
    """locked, unlocked or unknown."""
    readers: tuple[DeviceLine, ...]
    open: bool
    held_since: str | None
    """Open on a grant since then (site time), not yet past its time."""
    held_too_long: bool
    forced: bool
    driver: str | None


@dataclass(frozen=True, slots=True)
class DoorPanel:
    doors: tuple[DoorLine, ...]
    devices: tuple[DeviceLine, ...]
    """Devices other than readers that reported to the record (controllers, locks)."""
    simulated: tuple[tuple[str, str], ...]
    """The readers of the simulated driver, as (id, name), when one runs."""


def simulator(services: Services) -> SimulatedDriver | None:
    """The simulated driver, when the server runs one."""
    drivers = services.doors.drivers if services.doors is not None else ()
    return next((d for d in drivers if isinstance(d, SimulatedDriver)), None)


def _device(state: State, device: str, name: str) -> DeviceLine:
    return DeviceLine(device, name, state.devices.get(device, NO_REPORT))


def door_lines(
    state: State,
    statuses: Mapping[str, DoorStatus],
    forced: frozenset[str],
    held_alerts: frozenset[str],
    zone: tzinfo,
) -> tuple[DoorLine, ...]:
    """Each door with a reader, by name."""
    site = state.site
    readers: dict[str, list[DeviceLine]] = {}
    for reader in sorted(site.readers.values(), key=lambda r: r.id):
        readers.setdefault(reader.door, []).append(_device(state, reader.id, reader.name))
    lines = []
    for door in sorted((d for d in site.doors.values() if d.id in readers), key=lambda d: (d.name, d.id)):
        status = statuses.get(door.id)
        held = state.held.get(door.id)
        is_open = door.id in state.open_doors
        lines.append(
            DoorLine(
                id=door.id,
                name=door.name,
                lock=status.lock.value if status is not None else "unknown",
                readers=tuple(readers[door.id]),
                open=is_open,
                held_since=f"{held.astimezone(zone):%H:%M:%S}" if held is not None else None,
                held_too_long=is_open and door.id in held_alerts,
                forced=door.id in forced,
                driver=status.driver if status is not None else None,
            )
        )
    return tuple(lines)


def other_devices(state: State) -> tuple[DeviceLine, ...]:
    """Devices that reported to the record and are not readers of the site: controllers, locks."""
    readers = state.site.readers
    return tuple(_device(state, device, device) for device in sorted(state.devices) if device not in readers)


def door_panel(services: Services, forced: frozenset[str], held_alerts: frozenset[str]) -> DoorPanel:
    state = services.desk.state
    doors = services.doors  # the composition root keeps them there once it has built them
    statuses = {status.id: status for status in doors.doors_status()} if doors is not None else {}
    driver = simulator(services)
    simulated = (
        tuple((r, state.site.readers[r].name) for r in sorted(driver.readers()) if r in state.site.readers)
        if driver is not None
        else ()
    )
    return DoorPanel(door_lines(state, statuses, forced, held_alerts, services.zone), other_devices(state), simulated)


class NotPresented(ValueError):
    """A card that was not presented: the form's fields say why (nothing reached the reader)."""


def presented_card(credential: str, pin: str) -> tuple[str, str | None]:
    """The card's id and the PIN keyed, as a reader would read them; ``NotPresented`` naming the field."""
    card = credential.strip()
    if not card:
        raise NotPresented("field 'credential': give the card's number")
    if len(card) > limits.ID_CHARS or not card.isprintable():
        raise NotPresented(f"field 'credential': a card's number is at most {limits.ID_CHARS} printable characters")
    keyed = pin.strip()
    fewest, most = limits.PIN_DIGITS_FEWEST, limits.PIN_DIGITS_MOST
    if keyed and not (keyed.isascii() and keyed.isdigit() and fewest <= len(keyed) <= most):
        raise NotPresented(f"field 'pin': a PIN is {fewest} to {most} digits")
    return card, keyed or None


def light(answer: Answer) -> str:
    """What the reader shows, and all it shows: green for a grant, red for anything else."""
    return "green" if answer.granted else "red"


def unacknowledged_doors(services: Services, code: str) -> frozenset[str]:
    """Doors named by an alert of ``code`` nobody has acknowledged yet."""
    found = services.alerts.find(AlertFilter(code=code, acknowledged=False, limit=200))
    return frozenset(subject for alert in found for subject in alert.subjects if subject in services.site.doors)


def panel_of(services: Services) -> DoorPanel:
    """The panel as the Board shows it now."""
    forced = unacknowledged_doors(services, AlertCode.DOOR_FORCED.value)
    held = unacknowledged_doors(services, AlertCode.DOOR_HELD.value)
    return door_panel(services, forced, held)
