"""Retention: redact the identity data the site's retention has let go, a minute after start,
then every hour (each run in a thread)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from gatewatch.bootstrap import Services

logger = logging.getLogger("gatewatch.workers")

EVERY_SECONDS = 3600.0
FIRST_AFTER_SECONDS = 60.0


async def redact_once(services: Services) -> int:
    """One run: the number of entries redacted (0 when the run failed; the record is then untouched)."""
    try:
        redacted = await asyncio.to_thread(services.desk.redact_expired, services.clock())
    except Exception:  # the record is untouched by a failed run; try again next time
        logger.exception("retention: redaction failed")
        return 0
    if redacted:
        logger.warning("retention: redacted the identity data of %d entries", redacted)
    return redacted


async def keep_retention(services: Services, first_after_s: float, every_s: float) -> None:
    """Run ``redact_once`` after ``first_after_s``, then every ``every_s`` seconds, until cancelled."""
    await asyncio.sleep(first_after_s)
    while True:
        await redact_once(services)
        await asyncio.sleep(every_s)


@asynccontextmanager
async def keeping(
    services: Services, first_after_s: float = FIRST_AFTER_SECONDS, every_s: float = EVERY_SECONDS
) -> AsyncIterator[None]:
    """Keep retention while the server runs; stop the schedule when it stops."""
    task = asyncio.create_task(keep_retention(services, first_after_s, every_s))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
