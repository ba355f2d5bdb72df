"""Which workers run while the server runs, and in which order they start and stop."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager

from gatewatch.bootstrap import Services
from gatewatch.devices.base import Driver
from gatewatch.workers import checkpoints, door_ticker, doors, retention, screening

Worker = AbstractAsyncContextManager[None]
"""Entering starts the work (without blocking the event loop); leaving stops it."""


def door_workers(services: Services, drivers: Sequence[Driver]) -> list[Worker]:
    """Workers that keep time for the doors while the drivers run: the door ticker, on a site
    with readers (DOOR_HELD is raised without waiting for another event). They start after the
    drivers and stop before them."""
    return [door_ticker.ticking(services)] if services.site.readers else []


def workers(services: Services, drivers: Sequence[Driver], door_desk: doors.DoorDeskFactory | None) -> list[Worker]:
    """Every worker, in the order they start."""
    return [
        screening.warming(services),
        retention.keeping(services),
        checkpoints.keeping(services),
        doors.driving(drivers, door_desk),
        *door_workers(services, drivers),
    ]


@asynccontextmanager
async def running(
    services: Services, drivers: Sequence[Driver], door_desk: doors.DoorDeskFactory | None
) -> AsyncIterator[None]:
    """Start every worker in order; stop them in reverse order (also when one fails to start)."""
    async with AsyncExitStack() as stack:
        for worker in workers(services, drivers, door_desk):
            await stack.enter_async_context(worker)
        yield
