"""The composition root: one application with the API and the console, whose lifespan starts the
door drivers with the door desk (and the other workers) and stops them, locking their doors."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.conftest import write_site
from gatewatch.bootstrap import Services, build
from gatewatch.devices.base import Command, DoorDesk, Unlock
from gatewatch.devices.simulated.driver import SimulatedDriver
from gatewatch.server import create_app
from gatewatch.service.door_board import LockState
from gatewatch.service.doors import Doors
from gatewatch.workers.doors import DriverNotStarted


def services_on_test_site(directory: Path) -> Services:
    services = build(write_site(directory), f"sqlite:///{directory / 'gatewatch.db'}")
    services.gatekeeper.add_user("gus", "guard", "gus-password", "g1")
    return services


class DoorDesks:
    """Builds the real door desk for the drivers, and keeps each one built."""

    def __init__(self, services: Services, drivers: list[SimulatedDriver] | list[Logged]) -> None:
        self.services = services
        self.drivers = drivers
        self.built: list[Doors] = []

    def __call__(self) -> Doors:
        self.built.append(Doors(self.services.desk, self.services.zone, self.drivers, clock=self.services.clock))
        return self.built[-1]


class Logged:
    """A driver that writes each start and stop in a shared log, and fails to start if told to."""

    def __init__(self, name: str, doors: set[str], log: list[str], fails: str = "") -> None:
        self.name = name
        self._doors = frozenset(doors)
        self.log = log
        self.fails = fails

    def doors(self) -> frozenset[str]:
        return self._doors

    def devices(self) -> frozenset[str]:
        return frozenset()

    def start(self, desk: DoorDesk) -> None:
        self.log.append(f"start {self.name}")
        if self.fails:
            raise ConnectionError(self.fails)

    def command(self, command: Command) -> None:
        self.log.append(f"command {self.name}")

    def stop(self) -> None:
        self.log.append(f"stop {self.name}")


def lock_of(doors: Doors, door: str) -> LockState:
    return next(status.lock for status in doors.doors_status() if status.id == door)


def test_one_application_serves_the_api_and_the_console(tmp_path: Path) -> None:
    services = services_on_test_site(tmp_path)
    with TestClient(create_app(services)) as client:
        assert client.get("/v1/health").status_code == 200
        token = services.gatekeeper.login("gus", "gus-password", "test").token
        shown = client.get("/v1/state", headers={"Authorization": f"Bearer {token}"}).json()
        assert shown["site"] == services.site.id
        assert "<form" in client.get("/login").text
        board = client.get("/board", follow_redirects=False)
        assert board.status_code == 303 and board.headers["location"] == "/login?next=/board"
        document = client.get("/openapi.json").json()
        assert "/v1/state" in document["paths"] and "/board" not in document["paths"]
        assert {"StateOut", "PersonFile", "Problem"} <= document["components"]["schemas"].keys()


def test_the_server_starts_its_drivers_with_the_door_desk_and_stops_them(tmp_path: Path) -> None:
    services = services_on_test_site(tmp_path)
    side = SimulatedDriver(services.site, doors=["side"])
    door_desks = DoorDesks(services, [side])
    app = create_app(services, [side], door_desks)
    listening = len(services.desk.listeners)
    assert door_desks.built == []  # built when the server starts, not before
    with TestClient(app):
        (doors,) = door_desks.built
        assert len(services.desk.listeners) == listening + 1  # the door desk hears the desk
        assert lock_of(doors, "side") == LockState.LOCKED  # started with the door desk: it told it its locks
        assert lock_of(doors, "outer") == LockState.UNKNOWN  # no driver works it
        side.command(Unlock("side", 3600.0))
        assert lock_of(doors, "side") == LockState.UNLOCKED and not side.locked("side")
    assert side.locked("side") and lock_of(doors, "side") == LockState.LOCKED  # stopped: every door locked
    assert len(services.desk.listeners) == listening  # the door desk was closed


def test_drivers_start_in_order_and_stop_in_reverse(tmp_path: Path) -> None:
    services = services_on_test_site(tmp_path)
    log: list[str] = []
    drivers = [Logged("mqtt", {"side"}, log), Logged("osdp", {"outer"}, log)]
    with TestClient(create_app(services, drivers, DoorDesks(services, drivers))):
        assert log == ["start mqtt", "start osdp"]
    assert log == ["start mqtt", "start osdp", "stop osdp", "stop mqtt"]


def test_a_driver_that_fails_to_start_stops_the_server_starting(tmp_path: Path) -> None:
    services = services_on_test_site(tmp_path)
    log: list[str] = []
    drivers = [Logged("mqtt", {"side"}, log), Logged("osdp", {"outer"}, log, fails="no controller answers")]
    door_desks = DoorDesks(services, drivers)
    app = create_app(services, drivers, door_desks)
    listening = len(services.desk.listeners)
    refused = pytest.raises(DriverNotStarted, match="the osdp door driver did not start: no controller answers")
    with refused, TestClient(app):
        pass
    assert log == ["start mqtt", "start osdp", "stop osdp", "stop mqtt"]  # the failed one too: it locks its doors
    assert len(door_desks.built) == 1 and len(services.desk.listeners) == listening  # the door desk was closed


def test_drivers_without_a_door_desk_are_refused(tmp_path: Path) -> None:
    services = services_on_test_site(tmp_path)
    with pytest.raises(ValueError, match=r"door drivers \(simulated\) were given without a door desk"):
        create_app(services, [SimulatedDriver(services.site, doors=["side"])])


def test_a_door_worked_by_two_drivers_is_refused(tmp_path: Path) -> None:
    services = services_on_test_site(tmp_path)
    log: list[str] = []
    drivers = [Logged("mqtt", {"side", "outer"}, log), Logged("osdp", {"outer", "inner"}, log)]
    with pytest.raises(ValueError, match=r"doors worked by more than one driver: outer$"):
        create_app(services, drivers, DoorDesks(services, drivers))
    assert log == []


def test_a_door_the_site_does_not_have_is_refused(tmp_path: Path) -> None:
    services = services_on_test_site(tmp_path)
    drivers = [Logged("mqtt", {"side", "moat"}, [])]
    with pytest.raises(ValueError, match=r"the mqtt door driver works doors the site does not have: moat$"):
        create_app(services, drivers, DoorDesks(services, drivers))
