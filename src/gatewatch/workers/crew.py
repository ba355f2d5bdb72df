"""Which workers run while the server runs, and in which order they start and stop."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager

from gatewatch.bootstrap import Services
from gatewatch.devices.base import Driver
from gatewatch.service.name_data import NameData
from gatewatch.workers import checkpoints, door_ticker, doors, head_office, name_data, retention, screening

Worker = AbstractAsyncContextManager[None]
"""Entering starts the work (without blocking the event loop); leaving stops it."""


def door_workers(services: Services, drivers: Sequence[Driver]) -> list[Worker]:
    """Workers that keep time for the doors while the drivers run: the door ticker, on a site
    with readers (DOOR_HELD is raised without waiting for another event). They start after the
    drivers and stop before them."""
    return [door_ticker.ticking(services)] if services.site.readers else []


def workers(
    services: Services,
    drivers: Sequence[Driver],
    door_desk: doors.DoorDeskFactory | None,
    names: NameData | None = None,
) -> list[Worker]:
    """Every worker, in the order they start: the name data first (it loads longest, and stops last);
    the sync with head office last (it stops first, before the desk's record is closed)."""
    return [
        *([name_data.looking_up(names)] if names is not None else []),
        screening.warming(services),
        retention.keeping(services),
        checkpoints.keeping(services),
        doors.driving(drivers, door_desk),
        *door_workers(services, drivers),
        *([head_office.syncing(services)] if services.head_office is not None else []),
    ]


@asynccontextmanager
async def running(
    services: Services,
    drivers: Sequence[Driver],
    door_desk: doors.DoorDeskFactory | None,
    names: NameData | None = None,
) -> AsyncIterator[None]:
    """Start every worker in order; stop them in reverse order (also when one fails to start).

    ``names``: the name-data process to start first (none: names are looked up in this process)."""
    async with AsyncExitStack() as stack:
        for worker in workers(services, drivers, door_desk, names):
            await stack.enter_async_context(worker)
        yield
