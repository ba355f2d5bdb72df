"""A small site with card readers, served for the console's door tests.

The gatehouse: street (0) → lobby (1, between the outer and inner doors) → yard (2) → house (3).
The outer door has a reader on each side, the inner door one outside; the house door has none.
Users: ``gus`` (guard, person g1), ``lena`` (lead, person lead), ``ada`` (analyst, person aide);
each with the password ``NAME-password``.

``serving_doors`` runs the whole server (the composition root's ``create_app``, with the
simulated door driver and the desk's doors) under uvicorn on a loopback port, in this process,
so that a test can work the simulated hardware (door contacts, readers' health) while a browser
uses the console.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi.testclient import TestClient

from api.server import free_port
from gatewatch.bootstrap import Services, build
from gatewatch.devices.simulated import SimulatedDriver
from gatewatch.server import create_app
from gatewatch.service.doors import Doors

SITE_YAML = """
site: gatehouse
name: The gatehouse
timezone: UTC
night: {from: "23:59", to: "00:00"}
zones:
  - {id: street, level: 0}
  - {id: lobby, level: 1}
  - {id: yard, level: 2}
  - {id: house, level: 3}
doors:
  - {id: outer, between: [street, lobby], controlled_by: gate, name: the outer door}
  - {id: inner, between: [lobby, yard], controlled_by: gate, name: the inner door}
  - {id: front, between: [yard, house], name: the front door}
readers:
  - {id: outer-out, door: outer, side: outside, name: the outer reader}
  - {id: outer-in, door: outer, side: inside, name: the outer door's inside reader}
  - {id: inner-out, door: inner, side: outside, name: the inner reader}
posts:
  - {id: gate, zone: lobby, staff: 1, staff_at_night: 1}
people:
  - {id: boss, name: Anna Principal, role: principal, in: house}
  - {id: res, name: Ruth Resident, role: resident, in: house}
  - {id: lead, name: Lena Lead, role: guard, lead: true, in: lobby}
  - {id: g1, name: Gus Guard, role: guard, in: lobby}
  - {id: cook, name: Carl Cook, role: staff, clearance: trusted}
  - {id: aide, name: Ada Aide, role: staff, escort: true, in: house}
policy:
  screening_from_level: 2
  escort_from_level: 3
  unlock_s: 2
  held_open_s: 30
"""

USERS = {"gus": ("guard", "g1"), "lena": ("lead", "lead"), "ada": ("analyst", "aide")}


def password(name: str) -> str:
    return f"{name}-password"


def write_site(directory: Path) -> Path:
    path = directory / "site.yaml"
    path.write_text(SITE_YAML, encoding="utf-8")
    return path


def built(directory: Path) -> Services:
    """The services on the gatehouse, with the three users."""
    services = build(write_site(directory), f"sqlite:///{directory / 'gatewatch.db'}")
    for name, (role, person) in USERS.items():
        services.gatekeeper.add_user(name, role, password(name), person)
    return services


def with_doors(services: Services, driver: SimulatedDriver) -> Doors:
    """The desk's doors for ``driver`` (the server keeps them on ``services`` for the console)."""
    return Doors(services.desk, services.zone, (driver,))


@dataclass
class DoorServer:
    url: str
    services: Services
    driver: SimulatedDriver
    doors: list[Doors]

    def headers(self, name: str) -> dict[str, str]:
        answer = httpx.post(f"{self.url}/v1/login", json={"name": name, "password": password(name)}, timeout=10)
        answer.raise_for_status()
        return {"Authorization": f"Bearer {answer.json()['token']}"}

    def client(self, name: str) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers=self.headers(name), timeout=10)

    def submit(self, name: str, event: dict[str, Any]) -> dict[str, Any]:
        with self.client(name) as client:
            answer = client.post("/v1/events", json=event)
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = answer.json()
        return found


@contextmanager
def serving_doors(directory: Path) -> Iterator[DoorServer]:
    """The gatehouse's server with the simulated driver, on a free loopback port, until the block ends."""
    services = built(directory)
    driver = SimulatedDriver(services.site)
    made: list[Doors] = []

    def door_desk() -> Doors:
        made.append(with_doors(services, driver))
        return made[-1]

    port = free_port()
    app = create_app(services, (driver,), door_desk, names_apart=False)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=3)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="gatehouse-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the gatehouse's server did not start")
        time.sleep(0.05)
    try:
        yield DoorServer(f"http://127.0.0.1:{port}", services, driver, made)
    finally:
        server.should_exit = True  # the server's door worker stops the driver and closes the doors
        thread.join(15)


@dataclass
class Console:
    """The console in a test client (the app's lifespan running: workers and, when asked, the simulated driver)."""

    client: TestClient
    services: Services
    driver: SimulatedDriver | None
    tokens: dict[str, str] = field(default_factory=dict)

    def sign_in(self, name: str) -> TestClient:
        self.client.cookies.clear()
        answer = self.client.post("/login", data={"name": name, "password": password(name)}, follow_redirects=False)
        assert answer.status_code == 303, answer.text
        return self.client

    def token(self, name: str) -> str:
        """A session token of ``name`` (signed in once)."""
        if name not in self.tokens:
            self.tokens[name] = self.services.gatekeeper.login(name, password(name), "test").token
        return self.tokens[name]

    def submit(self, name: str, event: dict[str, Any]) -> dict[str, Any]:
        """An event sent to the API as ``name`` (a lead may send badges: a reader's stand-in)."""
        answer = self.client.post("/v1/events", json=event, headers={"Authorization": f"Bearer {self.token(name)}"})
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = answer.json()
        return found


@contextmanager
def console(directory: Path, simulated: bool = True, names_apart: bool = False) -> Iterator[Console]:
    """The gatehouse's console in a test client; with ``simulated``, the simulated driver and the desk's doors;
    with ``names_apart``, the name-data process the server starts."""
    services = built(directory)
    driver = SimulatedDriver(services.site) if simulated else None
    made: list[Doors] = []

    def door_desk() -> Doors:
        assert driver is not None
        made.append(with_doors(services, driver))
        return made[-1]

    app = (
        create_app(services, (driver,), door_desk, names_apart=names_apart)
        if driver is not None
        else create_app(services, names_apart=names_apart)
    )
    with TestClient(app) as client:
        client.headers["origin"] = str(client.base_url).rstrip("/")  # a form of the desk's own
        yield Console(client, services, driver)
