"""Checkpoints: sign checkpoints of the record periodically while the server runs (in a thread)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from gatewatch.bootstrap import Services


@asynccontextmanager
async def keeping(services: Services) -> AsyncIterator[None]:
    """Keep checkpoints in a thread; at stop, tell it to end and wait for it (without blocking the loop)."""
    stop = threading.Event()
    task = asyncio.create_task(asyncio.to_thread(services.keep_checkpoints, stop))
    try:
        yield
    finally:
        stop.set()
        await task
