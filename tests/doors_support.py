"""A small site with card readers, and the desk, the doors and the simulated driver over a real
SQLite record, for the door tests (tests/service/test_doors.py, tests/devices/simulated/).

The site is a harbour master's office: the quay (0) → the hall (1), through the quay door (a
reader on each side) or the yard gate (worked by the watch, no reader) → the chart room (2),
through the chart room door (a reader outside). Wren is the lead, Otto a guard, Ines a pilot
who carries a card and a PIN. The desk's clock is a test clock that moves only when told.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from gatewatch.bootstrap import Services, build
from gatewatch.devices.simulated import SimulatedDriver
from gatewatch.service.desk import Decided
from gatewatch.service.doors import Doors, device_actor
from gatewatch.service.intake import submit
from gatewatch.service.permissions import Actor, UserRole
from gatewatch.store.chain import Entry

HARBOUR_YAML = """
site: harbour-office
name: The harbour master's office
timezone: UTC
zones:
  - {id: quay, level: 0, name: the quay}
  - {id: hall, level: 1, name: the hall}
  - {id: chartroom, level: 2, name: the chart room}
doors:
  - {id: quay-door, between: [quay, hall], name: the quay door}
  - {id: chart-door, between: [hall, chartroom], name: the chart room door}
  - {id: yard-gate, between: [quay, hall], controlled_by: watch, name: the yard gate}
readers:
  - {id: quay-out, door: quay-door, side: outside, name: the quay door's reader}
  - {id: quay-in, door: quay-door, side: inside, name: the quay door's inside reader}
  - {id: chart-out, door: chart-door, side: outside, name: the chart room's reader}
posts:
  - {id: watch, zone: hall, staff: 1}
people:
  - {id: wren, name: Wren Harbourmaster, role: guard, lead: true, in: hall}
  - {id: otto, name: Otto Watchman, role: guard, in: hall}
  - {id: ines, name: Ines Pilot, role: staff, clearance: known, in: quay}
policy:
  held_open_s: 20
  unlock_s: 30
"""

PIN, DURESS_PIN = "2468", "2469"
WREN = Actor("wren", UserRole.LEAD, "wren")
OTTO = Actor("otto", UserRole.GUARD, "otto")
START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
WAIT_S = 10.0
"""How long a test waits for something that happens in another thread (never a timed assertion)."""


class Clock:
    """The desk's clock in a test: it stands still until moved."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self.now

    def advance(self, seconds: float) -> datetime:
        with self._lock:
            self.now += timedelta(seconds=seconds)
            return self.now


@dataclass
class Harbour:
    services: Services
    clock: Clock
    doors: Doors
    driver: SimulatedDriver

    def send(self, actor: Actor, event: dict[str, Any]) -> Decided:
        """An event as a guard or lead sends it from the console or the API."""
        return submit(self.services.desk, self.services.zone, actor, event, self.clock())

    def issue_card(self) -> Decided:
        return self.send(
            WREN,
            {
                "id": "card-ines",
                "type": "credential",
                "person": "ines",
                "credential": "c-ines",
                "kind": "card+pin",
                "pin": PIN,
                "duress_pin": DURESS_PIN,
                "by": "wren",
            },
        )

    def settle(self) -> None:
        """Every command the desk's listeners gave for the events recorded so far is carried out:
        the listeners of an event have run once a later one is recorded, and closing the doors
        waits for the commands given."""
        self.send(device_actor("test"), {"id": f"tick-{uuid.uuid4().hex}", "type": "tick"})
        self.doors.close()

    def recorded(self) -> list[Entry]:
        assert self.services.desk.flush(timeout=WAIT_S)
        return list(self.services.log.entries())

    def recorded_of(self, kind: str) -> list[Entry]:
        return [entry for entry in self.recorded() if entry.type == kind]


def write_site(directory: Path, text: str = HARBOUR_YAML) -> Path:
    path = directory / "harbour.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@contextmanager
def write_lock_held(database: Path) -> Iterator[None]:
    """Another process holds the record's write lock: nothing reaches disk until it lets go."""
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@contextmanager
def harbour(
    directory: Path, *, deadline_s: float = 1.5, started: bool = True, max_reports: int = 100
) -> Iterator[Harbour]:
    """The site's services on a SQLite record in ``directory``, its doors worked by the simulated
    driver with the real desk behind it; everything stopped and closed after."""
    clock = Clock()
    services = build(write_site(directory), f"sqlite:///{directory / 'harbour.db'}")
    services.clock = clock
    driver = SimulatedDriver(services.site)
    doors = Doors(services.desk, services.zone, [driver], clock=clock, deadline_s=deadline_s, max_reports=max_reports)
    if started:
        driver.start(doors)
    try:
        yield Harbour(services, clock, doors, driver)
    finally:
        driver.stop()
        doors.close()
        services.close()
