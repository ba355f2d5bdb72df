"""Door drivers: started with the desk they call when the server starts, stopped when it stops.

The door desk is built first (it listens to the desk at once), then each driver is started with
it; at stop the drivers stop in reverse order, then the door desk is closed (what it still holds
is sent). Every ``start``, ``stop`` and ``close`` runs in a worker thread, never on the event loop.
A driver is stopped even when its own start failed (``stop`` locks every door it works: fail
secure), and a driver that fails to stop does not keep the others from stopping.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Protocol

from gatewatch.core.site import Site
from gatewatch.devices.base import DoorDesk, Driver

logger = logging.getLogger("gatewatch.workers")


class ClosingDoorDesk(DoorDesk, Protocol):
    """The desk the drivers call, closed once they have all stopped."""

    def close(self) -> None:
        """Send what it still holds, and let its threads end."""
        ...


DoorDeskFactory = Callable[[], ClosingDoorDesk]
"""Builds the desk the drivers call (once, at start, in a thread)."""


class DriverNotStarted(RuntimeError):
    """A door driver's ``start`` raised: the server does not start with doors it cannot work."""


def check_drivers(site: Site, drivers: Sequence[Driver], door_desk: DoorDeskFactory | None) -> None:
    """Refuse, naming what is wrong: drivers without a desk to call, a door the site does not
    have, or a door worked by two drivers."""
    if drivers and door_desk is None:
        names = ", ".join(driver.name for driver in drivers)
        raise ValueError(f"door drivers ({names}) were given without a door desk for them to call")
    for driver in drivers:
        unknown = sorted(driver.doors() - site.doors.keys())
        if unknown:
            raise ValueError(f"the {driver.name} door driver works doors the site does not have: {', '.join(unknown)}")
    worked = Counter(door for driver in drivers for door in driver.doors())
    shared = sorted(door for door, count in worked.items() if count > 1)
    if shared:
        raise ValueError(f"doors worked by more than one driver: {', '.join(shared)}")


async def start(driver: Driver, desk: DoorDesk) -> None:
    try:
        await asyncio.to_thread(driver.start, desk)
    except Exception as error:
        raise DriverNotStarted(f"the {driver.name} door driver did not start: {error}") from error
    logger.info("doors: the %s driver started (%d doors)", driver.name, len(driver.doors()))


async def stop(driver: Driver) -> None:
    try:
        await asyncio.to_thread(driver.stop)
    except Exception:  # the other drivers must still stop and lock their doors
        logger.exception("doors: the %s driver did not stop cleanly; its doors may not be locked", driver.name)


async def close(desk: ClosingDoorDesk) -> None:
    try:
        await asyncio.to_thread(desk.close)
    except Exception:  # the server still stops: the drivers have locked their doors
        logger.exception("doors: the door desk did not close cleanly; reports it held may be lost")


@asynccontextmanager
async def driving(drivers: Sequence[Driver], door_desk: DoorDeskFactory | None) -> AsyncIterator[None]:
    """Start every driver with one desk, in order; stop them in reverse order."""
    if not drivers:
        yield
        return
    if door_desk is None:
        raise ValueError("door drivers were given without a door desk for them to call")
    desk = await asyncio.to_thread(door_desk)
    async with AsyncExitStack() as started:
        started.push_async_callback(close, desk)
        for driver in drivers:
            started.push_async_callback(stop, driver)
            await start(driver, desk)
        yield
