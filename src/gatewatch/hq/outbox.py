"""Head office's outbox sender: what the store made for a site, published to the site's subject.

The store makes each message (a ``LinkNote`` to each party of a new link) in the same
transaction as what it tells, so none is lost when head office stops between the two. The
sender takes the oldest unsent rows, publishes each to its subject with the row's message id
(JetStream drops a resend of the same id within its window), and marks a row sent only once
JetStream acknowledged it. A row published but not marked (head office stopped in between) is
published again: the site's inbox takes a note once, whatever it is sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from nats.js import JetStreamContext

from gatewatch.hq.store import OfficeStore, OutboxRow
from gatewatch.sync.wire import MSG_ID

logger = logging.getLogger("gatewatch.hq.outbox")

BATCH = 200
"""Rows taken from the store at once."""
IN_FLIGHT = 64
"""Messages published at once, their acknowledgements awaited together."""
EVERY_S = 1.0
"""How often the outbox is looked at when nothing pokes the sender."""
BACK_OFF_FIRST_S = 0.5
BACK_OFF_MOST_S = 30.0
PUBLISH_TIMEOUT_S = 5.0


class OutboxSender:
    """Sends pending outbox rows until stopped; ``send_once`` sends what is pending now."""

    def __init__(
        self,
        store: OfficeStore,
        js: JetStreamContext,
        *,
        every_s: float = EVERY_S,
        back_off_most_s: float = BACK_OFF_MOST_S,
    ) -> None:
        self.store, self.js = store, js
        self.every_s, self.back_off_most_s = every_s, back_off_most_s
        self.sent = 0
        self._wake = asyncio.Event()

    def poke(self) -> None:
        """Look at the outbox now (new links were just committed)."""
        self._wake.set()

    async def send_once(self) -> int:
        """Publish every pending row, oldest first, each marked sent once acknowledged; the count sent.

        An error (NATS away, the database refusing) ends the pass: what was acknowledged before it
        is marked sent, the rest is tried again on the next pass.
        """
        count = 0
        while True:
            rows = await asyncio.to_thread(self.store.outbox_pending, BATCH)
            if not rows:
                return count
            for start in range(0, len(rows), IN_FLIGHT):
                part = rows[start : start + IN_FLIGHT]
                results = await asyncio.gather(*(self._publish(row) for row in part), return_exceptions=True)
                done = [row.id for row, result in zip(part, results, strict=True) if result is None]
                if done:
                    await asyncio.to_thread(self.store.outbox_sent, done)
                    count += len(done)
                    self.sent += len(done)
                failed = next((result for result in results if isinstance(result, BaseException)), None)
                if failed is not None:
                    raise failed

    async def _publish(self, row: OutboxRow) -> None:
        await self.js.publish(row.subject, row.body, timeout=PUBLISH_TIMEOUT_S, headers={MSG_ID: row.msg_id})

    async def run(self) -> None:
        """Send, then wait for a poke or ``every_s``; on an error back off (doubling to a bound) and try again."""
        back_off = BACK_OFF_FIRST_S
        while True:
            self._wake.clear()  # a poke from now on is seen by the wait below
            try:
                await self.send_once()
                back_off = BACK_OFF_FIRST_S
                wait = self.every_s
            except asyncio.CancelledError:
                raise
            except Exception as error:
                logger.warning(
                    "outbox: sending failed (%s: %s); trying again in %.1f s", type(error).__name__, error, back_off
                )
                wait, back_off = back_off, min(back_off * 2, self.back_off_most_s)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait)


@asynccontextmanager
async def sending(sender: OutboxSender) -> AsyncIterator[OutboxSender]:
    """Run the sender while the context is open; stop it when it closes."""
    task = asyncio.create_task(sender.run(), name="hq-outbox")
    try:
        yield sender
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
