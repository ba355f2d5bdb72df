"""The composition root: the one module that builds the server.

It makes the FastAPI application, mounts the API (``gatewatch.api.mount``) and the console
(``gatewatch.web.console``) on it, which share the read models (``gatewatch.views``) and the
request helpers (``gatewatch.http``) but never import each other, and owns the lifespan that
starts the background workers (``gatewatch.workers``) and the door drivers, and stops them.
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
from gatewatch.web import console
from gatewatch.workers import crew
from gatewatch.workers.doors import ClosingDoorDesk, DoorDeskFactory, check_drivers

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def create_app(services: Services, drivers: Sequence[Driver] = (), door_desk: DoorDeskFactory | None = None) -> FastAPI:
    """The server: the API under ``/v1``, the console, the workers and the door drivers.

    ``door_desk`` builds the desk the ``drivers`` call (needed when there are drivers)."""
    check_drivers(services.site, drivers, door_desk)
    door_desk = _kept(services, door_desk)
    app = FastAPI(
        title="gatewatch",
        version="1",
        summary="The site's protective-security procedures, executable at the door.",
        lifespan=_lifespan(services, tuple(drivers), door_desk),
        docs_url=None,  # Swagger UI and ReDoc load their code from a CDN: the desk stays offline
        redoc_url=None,
    )
    app.state.services = services
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


def _lifespan(services: Services, drivers: Sequence[Driver], door_desk: DoorDeskFactory | None) -> Lifespan:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        try:
            async with crew.running(services, drivers, door_desk):
                yield
        finally:
            await asyncio.to_thread(services.close)  # after the workers and drivers have stopped

    return lifespan
