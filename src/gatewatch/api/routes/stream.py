"""``GET /v1/stream``: every new outcome as a Server-Sent Event, for live screens.

Each message has ``id`` = the entry's position in the record, so a screen that reconnects with
``Last-Event-ID`` first gets what it missed (up to ``BACKLOG`` entries), then the live ones.
A screen not shown discreet alerts (anyone but a lead or an admin: ``gatewatch.views.discretion``)
gets each outcome without them: a duress badge is a plain grant there. An event announced before
it is on disk (``unrecorded``: the store cannot write, and it raised alerts) is announced to such a
screen only for alerts it is shown: the announcement alone would tell of the others.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import StreamingResponse

from gatewatch.api.access import User
from gatewatch.http.access import Wired
from gatewatch.service.desk import Decided
from gatewatch.store.schema import MAX_SEQ
from gatewatch.views.discretion import DISCREET_CODES, outcome_without, sees_discreet

router = APIRouter(tags=["stream"])

BACKLOG = 1000
KEEPALIVE_SECONDS = 15.0
QUEUE_SIZE = 10_000


class Broadcaster:
    """Hands each decided event, from the desk's thread, to every listening screen's queue."""

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self.queues: set[asyncio.Queue[str]] = set()
        self.discreet: set[asyncio.Queue[str]] = set()
        """The queues of screens shown discreet alerts (leads, admins); the others get outcomes without them."""

    def publish(self, decided: Decided) -> None:
        """A recorded outcome (``event: outcome``), or one decided and not yet recorded (``event: unrecorded``)."""
        if self.loop is None or not self.queues:
            return
        kind = "outcome" if decided.recorded else "unrecorded"
        message = sse(decided.seq, decided.outcome, kind)
        shown = outcome_without(decided.outcome, DISCREET_CODES)
        plain: str | None = message if shown is decided.outcome else sse(decided.seq, shown, kind)
        if not decided.recorded and not shown.get("alerts"):
            plain = None  # announced early only for its alerts: without them, the announcement would tell
        self.loop.call_soon_threadsafe(self._deliver, message, plain)

    def _deliver(self, message: str, plain: str | None) -> None:
        for queue in self.queues:
            said = message if queue in self.discreet else plain
            if said is not None and not queue.full():  # a screen that lags this far catches up by reconnecting
                queue.put_nowait(said)

    def subscribe(self, discreet: bool = False) -> asyncio.Queue[str]:
        """A screen's queue; ``discreet``: it is shown discreet alerts (a lead's or an admin's)."""
        self.loop = asyncio.get_running_loop()
        queue: asyncio.Queue[str] = asyncio.Queue(QUEUE_SIZE)
        self.queues.add(queue)
        if discreet:
            self.discreet.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[str]) -> None:
        self.queues.discard(queue)
        self.discreet.discard(queue)


def sse(seq: int, outcome: dict[str, object], kind: str = "outcome") -> str:
    """One message; an unrecorded one carries no id, so that a reconnecting screen resumes from the record."""
    data = json.dumps(outcome, separators=(",", ":"))
    return f"event: {kind}\ndata: {data}\n\n" if kind != "outcome" else f"id: {seq}\nevent: {kind}\ndata: {data}\n\n"


@router.get(
    "/stream",
    summary="Live outcomes (Server-Sent Events)",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}}},
)
async def stream(
    request: Request,
    user: User,
    wired: Wired,
    last_event_id: Annotated[str | None, Header(description="Resume after this entry")] = None,
) -> StreamingResponse:
    broadcaster: Broadcaster = request.app.state.broadcaster
    discreet = sees_discreet(user)
    queue = broadcaster.subscribe(discreet)
    after = min(int(last_event_id), MAX_SEQ) if last_event_id and last_event_id.isdecimal() else None

    async def messages() -> AsyncIterator[str]:
        try:
            yield ": connected\n\n"
            if after is not None:
                for entry in await asyncio.to_thread(_missed, wired, after, discreet):
                    yield entry
            while not await request.is_disconnected():
                try:
                    yield await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
                except TimeoutError:
                    yield ": keepalive\n\n"
        finally:
            broadcaster.unsubscribe(queue)

    return StreamingResponse(messages(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})


def _missed(wired: Wired, after: int, discreet: bool) -> list[str]:
    missed = []
    for entry in wired.log.entries(after):
        missed.append(sse(entry.seq, entry.outcome if discreet else outcome_without(entry.outcome, DISCREET_CODES)))
        if len(missed) >= BACKLOG:
            break
    return missed
