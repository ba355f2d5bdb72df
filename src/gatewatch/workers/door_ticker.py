"""The door ticker: time is told to the desk when a door held open is due, and only then.

A door opened on a grant and still open ``held_open_s`` later raises DOOR_HELD at the first
event at or after that time (``gatewatch.core.rules.door_held``). On a quiet site no event may
come for minutes, so every second the ticker looks at the doors held open in the desk's newest
state and, when one of them is due, submits a ``tick`` (as the device ``device:ticker``,
through the same path as every client): DOOR_HELD is raised then. Nothing is submitted
otherwise, so the record is not filled with ticks. The look and the submission run in a thread
of the ticker's own, never on the event loop nor in its shared pool (where screens reading their
backlog could keep it waiting); a tick the record did not take is tried again at the next second.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import asynccontextmanager
from datetime import datetime, tzinfo

from gatewatch.bootstrap import Services
from gatewatch.core.rules import door_held
from gatewatch.service.desk import Decided, Desk
from gatewatch.service.doors import device_actor
from gatewatch.service.intake import submit

logger = logging.getLogger("gatewatch.workers")

EVERY_S = 1.0
LOOKER = ThreadPoolExecutor(1, thread_name_prefix="gatewatch-door-ticker")
"""The ticker's own thread: nothing else queues in front of a look at the doors."""
TICKER = "ticker"
"""The device name ticks are submitted by (``device:ticker`` on the record)."""


def tick_if_due(desk: Desk, zone: tzinfo, now: datetime) -> Decided | None:
    """Submit a tick if a door held open is due at ``now``; what the desk decided, or None."""
    state = desk.state
    at = now if state.now is None else max(now, state.now)  # the time the desk will give the tick
    if not door_held.due(state, at):
        return None
    raw = {"id": f"{TICKER}-{uuid.uuid4().hex}", "type": "tick"}
    return submit(desk, zone, device_actor(TICKER), raw, now)


async def tick_once(
    desk: Desk, zone: tzinfo, clock: Callable[[], datetime], looker: Executor = LOOKER
) -> Decided | None:
    """One look (in the ticker's thread); a failure is logged and the next look tries again."""
    try:
        return await asyncio.get_running_loop().run_in_executor(looker, tick_if_due, desk, zone, clock())
    except Exception as error:
        logger.warning("door ticker: a door held open could not be told to the desk yet: %s", error)
        return None


async def keep_ticking(desk: Desk, zone: tzinfo, clock: Callable[[], datetime], every_s: float) -> None:
    while True:
        await tick_once(desk, zone, clock)
        await asyncio.sleep(every_s)


@asynccontextmanager
async def ticking(services: Services, every_s: float = EVERY_S) -> AsyncIterator[None]:
    """Keep time for the doors while the server runs; stop when it stops."""
    task = asyncio.create_task(keep_ticking(services.desk, services.zone, lambda: services.clock(), every_s))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
