"""The service's health: the store probed off the event loop, the desk's condition, one verdict.

``down``: the store cannot even be read (or did not answer within ``PROBE_DEADLINE_S``).
``degraded``: the store reads but cannot write, or the desk has trouble of its own (events it
could not write, events waiting longer than its deadline, entries set aside at start).
``ok`` otherwise. Nothing about people or events is told: counts, seconds and the store's error.
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from sqlalchemy import Engine

from gatewatch.store.probe import StoreReport, probe

PROBE_DEADLINE_S = 2.0
"""How long health waits for the store's answer before saying it is down."""
LATE_S = 2.0
"""Events waiting longer than this for the record (the desk's own deadline, when it has none)."""

Status = Literal["ok", "degraded", "down"]


class StoreWatch:
    """Probes the store in a worker thread, one probe at a time: callers meanwhile share it.

    A probe that outlives the deadline keeps its thread until the store's own limits end it;
    health answers "down" at once, and the next callers wait on that same probe, so a store
    that stopped answering never piles up threads.
    """

    def __init__(self, engine: Engine, deadline_s: float = PROBE_DEADLINE_S) -> None:
        self.engine = engine
        self.deadline_s = deadline_s
        self._running: asyncio.Future[StoreReport] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def check(self) -> StoreReport:
        loop = asyncio.get_running_loop()
        if self._running is None or self._running.done() or self._loop is not loop:
            self._running = asyncio.ensure_future(asyncio.to_thread(probe, self.engine))
            self._loop = loop
        try:
            return await asyncio.wait_for(asyncio.shield(self._running), self.deadline_s)
        except TimeoutError:
            detail = f"the store did not answer within {self.deadline_s:g} s"
            return StoreReport(False, False, detail, None)


def desk_troubles(condition: Any, late_s: float = LATE_S) -> list[str]:
    """What in the desk's condition makes the service degraded, in plain words (empty: nothing)."""
    troubles: list[str] = []
    if condition.store_error:
        troubles.append(condition.store_error)
    oldest = condition.oldest_pending_s
    if oldest is not None and oldest > late_s:
        troubles.append(f"{condition.pending} events have waited up to {oldest:.1f} s for the record")
    if condition.skipped:
        troubles.append(f"{len(condition.skipped)} recorded entries could not be replayed at start")
    return troubles


def verdict(store: StoreReport, troubles: list[str]) -> Status:
    """``down`` if the store cannot be read, ``degraded`` if it cannot write or the desk has trouble."""
    if not store.reads:
        return "down"
    if not store.writes or troubles:
        return "degraded"
    return "ok"
