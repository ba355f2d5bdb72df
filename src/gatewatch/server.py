"""The composition root: the one module that builds the server.

It makes the FastAPI application, mounts the API (``gatewatch.api.mount``) and the console
(``gatewatch.web.console``) on it, which share the read models (``gatewatch.views``) and the
request helpers (``gatewatch.http``) but never import each other, and owns the lifespan that
starts the background workers (``gatewatch.workers``) and the door drivers, and stops them.
The name-data process (``gatewatch.service.name_data``) is one of them: rigour's name tagger
loads there, without holding the server.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI

from gatewatch.api import mount
from gatewatch.bootstrap import Services
from gatewatch.devices.base import Driver
from gatewatch.service.doors import Doors
from gatewatch.service.name_data import NameData
from gatewatch.web import console
from gatewatch.workers import crew
from gatewatch.workers.doors import ClosingDoorDesk, DoorDeskFactory, check_drivers

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def create_app(
    services: Services,
    drivers: Sequence[Driver] = (),
    door_desk: DoorDeskFactory | None = None,
    *,
    names_apart: bool = True,
) -> FastAPI:
    """The server: the API under ``/v1``, the console, the workers and the door drivers.

    ``door_desk`` builds the desk the ``drivers`` call (needed when there are drivers).
    ``names_apart``: rigour's name data loads in a process of its own, started with the server
    (``app.state.name_data``); False: in this process, on the first name comparison, holding it
    for seconds (as drills and the command line do)."""
    check_drivers(services.site, drivers, door_desk)
    door_desk = _kept(services, door_desk)
    names = NameData() if names_apart else None
    app = FastAPI(
        title="gatewatch",
        version="1",
        summary="The site's protective-security procedures, executable at the door.",
        lifespan=_lifespan(services, tuple(drivers), door_desk, names),
        docs_url=None,  # Swagger UI and ReDoc load their code from a CDN: the desk stays offline
        redoc_url=None,
    )
    app.state.services = services
    app.state.name_data = names
    mount.attach(app, services)
    console.attach(app)
    return app


def _kept(services: Services, door_desk: DoorDeskFactory | None) -> DoorDeskFactory | None:
    """The factory, keeping what it builds on ``services`` (the console's Board reads its doors)."""
    if door_desk is None:
        return None
    build = door_desk

    def built() -> ClosingDoorDesk:
        made = build()
        if isinstance(made, Doors):
            services.doors = made
        return made

    return built


def _lifespan(
    services: Services, drivers: Sequence[Driver], door_desk: DoorDeskFactory | None, names: NameData | None
) -> Lifespan:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        try:
            async with crew.running(services, drivers, door_desk, names):
                yield
        finally:
            await asyncio.to_thread(services.close)  # after the workers and drivers have stopped

    return lifespan
