"""Streaming the site's record to head office, in order, from the cursor kept in the site's database.

The procedure, each time there is something to ship (the desk pokes after every write; without
a poke it looks every half second):

1. Read the entries after the cursor from the record (in a thread, a batch at a time), and check
   that the first one follows the entry last shipped: a record changed or replaced after it was
   shipped is never shipped on top of it.
2. Make each entry's message: its marks (the documents, phones and vehicles it presents, keyed
   with the identity key when there is one), and, on a private site, a view of its payload with
   the identity fields as keyed hashes and its free text withheld (``sync/privacy.py``). Each
   message is checked as head office will read it.
3. Publish them in order on the site's subject, the entry's hash as the message id, many at once
   (up to ``window`` waiting for JetStream's acknowledgement), and take the acknowledgements in
   order: the cursor moves over the entries acknowledged without a gap, never past one that was
   not. A resend after a crash or a cut link is dropped by JetStream's deduplication (the same id).
4. Then ship the redactions (``EventLog.redact``: retention dropped an entry's payload) made after
   the redactions cursor (``head-office-redactions``), in the order the site's redactions table
   keeps them, up to the first that names an entry not yet acknowledged (it waits for its entry):
   each message (``wire.Redaction``, at most ``wire.REDACTION_SEQS`` positions) goes on the same
   subject with the header ``Gatewatch-Kind: redaction``, after the entries it names, and the
   cursor moves over its rows once JetStream acknowledged it. Head office drops those payloads too.
5. On an error (no stream yet, a refusal, no answer in time, a lost link) stop, keep the cursors where the
   acknowledged messages end, wait (0.5 s, doubling up to 30 s) and start again from the cursors.

The record itself is the buffer: a site cut off for a day keeps deciding at its doors, and its
entries leave in order when the link returns. Nothing here makes the desk wait.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription

from gatewatch.store import links
from gatewatch.store.chain import Entry
from gatewatch.store.log import EventLog
from gatewatch.store.sync_cursor import SyncCursor
from gatewatch.sync import wire
from gatewatch.sync.marks import marks_of
from gatewatch.sync.nats_link import TARGET, Problems, describe_error
from gatewatch.sync.privacy import withhold, withhold_outcome

logger = logging.getLogger("gatewatch.sync")

WINDOW = 256
"""Messages published and not yet acknowledged, at most."""
BATCH = 1_000
"""Entries read from the record at once (and shipped before the cursor is written)."""
ACK_WAIT_S = 10.0
"""How long one message may wait for JetStream's acknowledgement before the run stops."""
IDLE_S = 0.5
"""Without a poke, the record is looked at this often."""
PAUSE_FIRST_S = 0.5
PAUSE_MOST_S = 30.0
NO_RESPONDERS = "503"
"""The status NATS answers with when nothing (no stream) takes a subject."""
EXPECTED_STREAM = "Nats-Expected-Stream"
REDACTIONS_TARGET = f"{TARGET}-redactions"
"""The sync cursor's target for the redactions shipped: the last row of the site's redactions table
JetStream acknowledged (its position and hash)."""


class ShipError(RuntimeError):
    """An entry that cannot be shipped as it is, or a record that does not continue what was shipped."""


class Acks:
    """JetStream's acknowledgements of the publisher's messages, taken on a reply subject of the site's own.

    Each message is published with its own reply subject under one inbox (within the site's
    ``_INBOX_<site>``); the stream's answer settles that message's future: its acknowledgement,
    its refusal in JetStream's words, or "no stream" when nothing takes the subject.
    """

    def __init__(self, client: Client) -> None:
        self.client = client
        self._inbox = ""
        self._subscription: Subscription | None = None
        self._numbers = itertools.count(1)
        self._waiting: dict[str, asyncio.Future[dict[str, Any]]] = {}

    async def publish(self, subject: str, data: bytes, headers: dict[str, str]) -> asyncio.Future[dict[str, Any]]:
        """Publish one message; the future of JetStream's answer to it."""
        if self._subscription is None:
            self._inbox = self.client.new_inbox()
            self._subscription = await self.client.subscribe(f"{self._inbox}.*", cb=self._heard)
        token = str(next(self._numbers))
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        future.add_done_callback(lambda _: self._waiting.pop(token, None))
        self._waiting[token] = future
        await self.client.publish(subject, data, reply=f"{self._inbox}.{token}", headers=headers)
        return future

    async def _heard(self, message: Msg) -> None:
        future = self._waiting.get(message.subject.rpartition(".")[2])
        if future is None or future.done():
            return
        if (message.headers or {}).get("Status") == NO_RESPONDERS:
            future.set_exception(ShipError("no stream takes the site's entries (head office has not set it up yet)"))
            return
        try:
            answer = json.loads(message.data)
        except ValueError:
            future.set_exception(ShipError("the answer was not JetStream's acknowledgement"))
            return
        refused = answer.get("error") if isinstance(answer, dict) else None
        if isinstance(refused, dict):
            said = refused.get("description") or "no reason given"
            future.set_exception(ShipError(f"JetStream refused it: {said} (code {refused.get('err_code')})"))
        elif isinstance(answer, dict) and isinstance(answer.get("seq"), int):
            future.set_result(answer)
        else:
            future.set_exception(ShipError("the answer was not JetStream's acknowledgement"))

    async def close(self) -> None:
        """Stop waiting for answers, and end the subscription."""
        for future in list(self._waiting.values()):
            future.cancel()
        if self._subscription is not None:
            subscription, self._subscription = self._subscription, None
            with contextlib.suppress(Exception):  # a closed link has no subscription to end
                await subscription.unsubscribe()


@dataclass(frozen=True, slots=True)
class Shipment:
    """One entry's message, ready to publish."""

    seq: int
    hash: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Redacted:
    """One row of the site's redactions table: its position, the entry whose payload was dropped, when, its hash."""

    position: int
    seq: int
    at: str
    hash: str


class Publisher:
    """Ships the site's record to head office's stream from the cursor (``run`` forever, ``run_once``)."""

    def __init__(
        self,
        client: Client,
        log: EventLog,
        site: str,
        topology: wire.Topology,
        *,
        country: str | None = None,
        key: bytes | None = None,
        private: bool = False,
        window: int = WINDOW,
        batch: int = BATCH,
    ) -> None:
        if private and key is None:
            raise ValueError("a private site needs the identity key: its identity fields leave only hashed with it")
        if not 1 <= window <= 4_000 or not 1 <= batch <= 100_000:
            raise ValueError(f"window {window} (1–4000) and batch {batch} (1–100000)")
        self.acks = Acks(client)
        self.log = log
        self.site = wire.check_site_id(site)
        self.topology = topology
        self.subject = topology.site_subject(site)
        self.country = country
        self.key = key
        self.private = private
        self.window = window
        self.batch = batch
        self.cursor = SyncCursor(log.engine)
        self.problems = Problems(f"site {site}: shipping the record to head office")
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._poked = False

    # --- waking -------------------------------------------------------------------------------

    def poke(self) -> None:
        """There is something new to ship: wake the running publisher (safe from any thread, never waits)."""
        loop = self._loop
        if loop is None or self._poked:
            return
        self._poked = True
        with contextlib.suppress(RuntimeError):  # the loop has closed: nothing runs to wake
            loop.call_soon_threadsafe(self._woken)

    def _woken(self) -> None:
        self._poked = False
        if self._wake is not None:
            self._wake.set()

    # --- running ------------------------------------------------------------------------------

    async def run(self) -> None:
        """Ship what is pending, then wait for a poke (or ``IDLE_S``) and again, until cancelled.

        An error stops a run, is logged (once until it changes) and the next run waits first,
        0.5 s doubling up to 30 s; a run that ships all there is clears the wait.
        """
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        pause = PAUSE_FIRST_S
        try:
            while True:
                self._wake.clear()
                try:
                    await self.run_once()
                except Exception as error:  # the link, the stream, the store: all may come back
                    self.problems.seen(_describe(error))
                    await asyncio.sleep(pause)
                    pause = min(pause * 2, PAUSE_MOST_S)
                    continue
                self.problems.cleared("shipping again")
                pause = PAUSE_FIRST_S
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), IDLE_S)
        finally:
            self._loop = None
            await self.acks.close()

    async def run_once(self) -> int:
        """Ship every entry after the cursor, then the redactions of entries shipped; the number of entries shipped.

        On an error the cursors are kept over what was acknowledged, and the error raised. While the
        link is down nothing is published (the client would only hold the messages until it is back).
        """
        if not self.acks.client.is_connected:
            raise ShipError("not connected to head office's NATS (the link tries again by itself)")
        head = await asyncio.to_thread(self.cursor.get, TARGET)
        shipped = 0
        while True:
            batch = await asyncio.to_thread(self._read, head)
            if not batch:
                break
            head = await self._send(batch, head)
            shipped += len(batch)
        await self.ship_redactions(head[0])
        return shipped

    async def ship_redactions(self, shipped_to: int) -> int:
        """Ship the redactions made after the redactions cursor, of entries up to ``shipped_to`` (acknowledged
        already), a message at a time, the cursor moved after each; the number of redactions shipped."""
        done = 0
        while True:
            after = await asyncio.to_thread(self.cursor.get, REDACTIONS_TARGET)
            rows = await asyncio.to_thread(self._redactions, after, shipped_to)
            if not rows:
                return done
            await self._send_redaction(rows)
            await asyncio.to_thread(self.cursor.advance, REDACTIONS_TARGET, rows[-1].position, rows[-1].hash)
            done += len(rows)

    async def shipped(self) -> tuple[int, str]:
        """The cursor: the last entry head office acknowledged, and its hash."""
        return await asyncio.to_thread(self.cursor.get, TARGET)

    # --- reading (in a thread) ------------------------------------------------------------------

    def _read(self, head: tuple[int, str]) -> list[Shipment]:
        """The messages of the entries after ``head``, in order (at most ``batch``), each checked."""
        seq, previous = head
        sent = datetime.now(UTC).isoformat(timespec="milliseconds")
        found: list[Shipment] = []
        for entry in islice(self.log.entries(seq), self.batch):
            if entry.seq != seq + 1:
                raise ShipError(
                    f"the record has no entry {seq + 1} (the next is {entry.seq}): nothing past it is shipped"
                )
            if entry.prev_hash != previous:
                raise ShipError(
                    f"entry {entry.seq} ({entry.event_id}) does not follow entry {seq} as it was shipped to head "
                    "office: the record was changed or replaced after it was shipped; nothing more is shipped"
                )
            found.append(self._message(entry, sent))
            seq, previous = entry.seq, entry.hash
        return found

    def _redactions(self, after: tuple[int, str], shipped_to: int) -> list[Redacted]:
        """The redactions table's rows after ``after`` (at most ``wire.REDACTION_SEQS``), in order, up to the first
        that names an entry after ``shipped_to``; each checked to follow the one before (the first: the row last
        shipped)."""
        found: list[Redacted] = []
        position, previous = after
        for row in links.links(self.log.engine, links.REDACTIONS, after=position):
            if row.prev_hash != previous or row.hash is None:
                raise ShipError(
                    f"redaction {row.key} does not follow redaction {position} as it was shipped to head office: "
                    "the site's redactions were changed after they were shipped; no more of them are shipped"
                )
            seq = int(row.fields["seq"])
            if seq > shipped_to or len(found) >= wire.REDACTION_SEQS:
                break
            found.append(Redacted(row.key, seq, str(row.fields["at"]), row.hash))
            position, previous = row.key, row.hash
        return found

    async def _send_redaction(self, rows: list[Redacted]) -> None:
        """Publish one redaction message for these rows, and wait for JetStream's acknowledgement."""
        first, last = rows[0].position, rows[-1].position
        message = wire.Redaction(
            site=self.site, seqs=tuple(sorted({row.seq for row in rows})), at=max(row.at for row in rows)
        )
        data = wire.encode(message)
        try:
            wire.decode_redaction(data)
        except wire.WireError as error:
            raise ShipError(f"redactions {first}–{last} cannot be shipped: {error}") from None
        headers = {
            wire.MSG_ID: wire.redaction_msg_id(first, last),
            EXPECTED_STREAM: self.topology.sites_stream,
            wire.KIND_HEADER: wire.REDACTION_KIND,
        }
        future = await self.acks.publish(self.subject, data, headers)
        try:
            await asyncio.wait_for(future, ACK_WAIT_S)
        except TimeoutError:
            raise ShipError(
                f"redactions {first}–{last}: head office's stream did not acknowledge them in {ACK_WAIT_S:g} s"
            ) from None
        except asyncio.CancelledError:
            if future.cancelled() and not _cancelling():
                raise ShipError(f"redactions {first}–{last}: their publication was let go (the link closed)") from None
            raise
        except ShipError as error:
            raise ShipError(f"redactions {first}–{last} were not taken: {error}") from None
        finally:
            _let_go(future)
        logger.info("site %s: %d redacted entries shipped to head office", self.site, len(message.seqs))

    def _message(self, entry: Entry, sent: str) -> Shipment:
        """The entry as shipped: marks, the withheld view on a private site; checked as head office reads it."""
        marks = marks_of(entry, self.country, self.key)
        if len(marks) > wire.MARKS_PER_ENTRY:
            logger.warning(
                "entry %d presents %d identifiers; head office is sent the first %d",
                entry.seq,
                len(marks),
                wire.MARKS_PER_ENTRY,
            )
            marks = marks[: wire.MARKS_PER_ENTRY]
        view: dict[str, Any] | None = None
        outcome_view: dict[str, Any] | None = None
        if self.private and self.key is not None and entry.payload is not None:
            view = withhold(entry, self.key, self.country)
            outcome_view = withhold_outcome(entry, self.key, self.country)
        data = wire.encode(wire.ship(entry, self.site, sent, marks, view, outcome_view))
        try:
            wire.decode_shipped(data)
        except wire.WireError as error:
            raise ShipError(f"entry {entry.seq} ({entry.event_id}) cannot be shipped: {error}") from None
        return Shipment(entry.seq, entry.hash, data)

    # --- publishing ---------------------------------------------------------------------------

    async def _send(self, batch: list[Shipment], head: tuple[int, str]) -> tuple[int, str]:
        """Publish ``batch`` in order, ``window`` at a time; move the cursor over what was acknowledged.

        The acknowledgements are taken in the order published, so what is taken is a prefix
        without a gap; the first that fails stops the batch (the rest are let go) and is raised.
        """
        waiting: deque[tuple[Shipment, asyncio.Future[dict[str, Any]]]] = deque()
        acknowledged = head
        try:
            for shipment in batch:
                if len(waiting) >= self.window:
                    acknowledged = await self._settle(*waiting.popleft())
                headers = {wire.MSG_ID: shipment.hash, EXPECTED_STREAM: self.topology.sites_stream}
                waiting.append((shipment, await self.acks.publish(self.subject, shipment.data, headers)))
            while waiting:
                acknowledged = await self._settle(*waiting.popleft())
        finally:
            for _, future in waiting:
                _let_go(future)
            if acknowledged != head:
                await asyncio.to_thread(self.cursor.advance, TARGET, *acknowledged)
        return acknowledged

    async def _settle(self, shipment: Shipment, future: asyncio.Future[dict[str, Any]]) -> tuple[int, str]:
        """Wait for one message's acknowledgement; the entry it acknowledges, or ``ShipError``."""
        try:
            await asyncio.wait_for(future, ACK_WAIT_S)
        except TimeoutError:
            raise ShipError(
                f"entry {shipment.seq}: head office's stream did not acknowledge it in {ACK_WAIT_S:g} s"
            ) from None
        except asyncio.CancelledError:
            if future.cancelled() and not _cancelling():
                raise ShipError(f"entry {shipment.seq}: its publication was let go (the link closed)") from None
            raise
        except ShipError as error:
            raise ShipError(f"entry {shipment.seq} was not taken: {error}") from None
        return shipment.seq, shipment.hash


def _let_go(future: asyncio.Future[Any]) -> None:
    """Stop waiting for an answer (one that came already is taken, so that it is not reported as lost)."""
    if future.done():
        if not future.cancelled():
            future.exception()
    else:
        future.cancel()


def _cancelling() -> bool:
    """Whether the running task itself is being cancelled (not only the future it waited for)."""
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


def _describe(error: BaseException) -> str:
    return str(error) if isinstance(error, ShipError) else describe_error(error)
