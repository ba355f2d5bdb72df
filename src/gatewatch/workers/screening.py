"""Warm-up: load the watchlists' screening indexes when the server starts, in a thread."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from gatewatch.bootstrap import Services

logger = logging.getLogger("gatewatch.workers")


def warm(services: Services) -> None:
    """Load the watchlists' indexes now, not at the first screening."""
    try:
        services.screener.warm()
    except Exception:  # a screening will try again and say what is wrong
        logger.exception("screening: could not load the watchlists")


@asynccontextmanager
async def warming(services: Services) -> AsyncIterator[None]:
    """Warm the screening in a thread while the server answers; a stop before it is done leaves it
    to finish on its own (loading cannot be interrupted, and changes nothing)."""
    task = asyncio.create_task(asyncio.to_thread(warm, services))
    try:
        yield
    finally:
        task.cancel()
