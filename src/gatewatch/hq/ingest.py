"""Head office's ingest: every site's entries from JetStream into PostgreSQL, each chain checked on arrival.

The procedure:

- At start, and again whenever NATS was away, make the two streams (``hq/streams.py``). Every
  ``SITES_EVERY_S`` read the sites head office knows; for each one not stopped, make its three
  consumers and start its fetch loop (a site added while head office runs is taken up this way).
- A site's fetch loop pulls up to ``FETCH_BATCH`` messages at a time from ``hq_<site>``, decodes
  each and gives it to the site's ``SiteWatch``: an accepted entry (and the held ones it lets
  follow) goes to the one writer; a resend of an entry held already is acknowledged and dropped
  (or, while that entry is still being written, acknowledged with it); a later entry before an
  earlier one is held, unacknowledged, until the gap fills.
- The writer gathers the accepted entries of every site, up to ``BATCH_MOST`` or ``LINGER_S``,
  commits them in one transaction (``OfficeStore.ingest``, in a thread), and only then
  acknowledges each message. While the database refuses it tries again, waiting longer each
  time (to ``BACK_OFF_MOST_S``); nothing is acknowledged that is not committed.
- A message with the header ``Gatewatch-Kind: redaction`` is a site's redaction of entries it
  shipped before (``wire.Redaction``): it goes to the same writer, behind the entries before it,
  which drops those entries' payloads (``OfficeStore.redact``) and only then acknowledges it. One
  that names an entry not taken yet is handed back for a moment (its entry comes first).
- A broken chain (``Break``: an altered entry, a wrong link, a gap that does not fill) stops
  that site: what came before is committed, the site is marked stopped with a critical alert
  naming it and the position (``OfficeStore.stop_site``), its loop ends and every message it
  still held is handed back to JetStream. The other sites go on.
- ``resume`` (or ``gatewatch hq resume``, seen at the next reading of the sites) takes a stopped
  site up again; the offending message, whose stream sequence the stop kept, is terminated
  (``msg.term()``: never delivered again) instead of judged.
- Every ``PENDING_EVERY_S``, JetStream's count of each site's messages not yet taken is recorded.

NATS going away makes the loops wait and try again (the client reconnects by itself); an
acknowledgement lost on the way only means JetStream delivers the entry again, and it is then
acknowledged as a resend.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from functools import partial
from typing import Any, TypeVar

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from sqlalchemy import exc as sql_errors

from gatewatch.hq.chain_watch import Accept, Break, Duplicate, Hold, SiteWatch, Verdict
from gatewatch.hq.store import OfficeStore, SiteRow
from gatewatch.hq.streams import ensure_site, ensure_streams
from gatewatch.sync import wire
from gatewatch.sync.wire import Shipped, Topology, WireError, decode_shipped

logger = logging.getLogger("gatewatch.hq.ingest")

FETCH_BATCH = 500
FETCH_TIMEOUT_S = 1.0
BATCH_MOST = 2_000
"""The most entries one commit takes."""
LINGER_S = 0.05
"""How long the writer waits for more entries before it commits what it has."""
QUEUE_MOST = 20_000
"""Accepted entries waiting for the writer; past it, the fetch loops wait (the database sets the pace)."""
SITES_EVERY_S = 5.0
PENDING_EVERY_S = 10.0
PENDING_RECORD_AGAIN_S = 60.0
"""An unchanged pending count is recorded again after this long (so its time says it is fresh)."""
PENDING_AT_ONCE = 50
BACK_OFF_FIRST_S = 0.5
BACK_OFF_MOST_S = 30.0
DRAIN_S = 10.0
"""At stop, how long the writer may take to commit what it was given."""
PROBLEM_CHARS = 300
HELD_BYTES_MOST = 64 * 1024 * 1024
"""The most one site's later entries may weigh while head office holds them for a missing one: past
it, the missing entry is given up on (a gap) rather than the office's memory."""

T = TypeVar("T")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def database_away(error: BaseException) -> bool:
    """True for an error that says the database did not answer (try again), not that it refused what it was given."""
    if isinstance(error, sql_errors.DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(
        error,
        sql_errors.OperationalError
        | sql_errors.InterfaceError
        | sql_errors.TimeoutError
        | sql_errors.DisconnectionError
        | ConnectionError
        | TimeoutError,
    )


class State(Enum):
    RUNNING = "running"
    STOPPING = "stopping"
    """A break was found: the stop is queued behind what the site sent before it."""
    STOPPED = "stopped"


@dataclass(eq=False)
class SiteRun:
    """One run of one site's fetch loop: its chain watch, the messages it holds, and its state."""

    site: str
    watch: SiteWatch
    skip: int | None = None
    """The stream sequence of a message to terminate instead of judging (the one a stop named)."""
    state: State = State.RUNNING
    task: asyncio.Task[None] | None = None
    held: dict[int, list[Msg]] = field(default_factory=dict)
    """Messages of entries held for a gap, by position (a resend stored again is acknowledged with the first)."""
    flight: dict[int, tuple[str, list[Msg]]] = field(default_factory=dict)
    """Accepted entries not yet committed, by position: their hash and the messages to acknowledge."""
    dead: bool = False
    """The run was ended (a stop the writer made, or head office stopping): what it queued is handed back."""
    stopped_mono: float = 0.0
    taken: int = 0
    last_pending: int | None = None
    pending_mono: float = float("-inf")


@dataclass(frozen=True, slots=True)
class _Accepted:
    run: SiteRun
    shipped: Shipped


@dataclass(frozen=True, slots=True)
class _Stop:
    run: SiteRun
    position: int
    problem: str
    stream_seq: int | None


@dataclass(frozen=True, slots=True)
class _Redacted:
    """A site's redaction of entries it shipped before: applied after them, then its message acknowledged."""

    run: SiteRun
    redaction: wire.Redaction
    message: Msg


Item = _Accepted | _Stop | _Redacted
REDACTION_AGAIN_S = 2.0
"""A redaction naming an entry not taken yet (one delivered again out of order) is handed back for this long."""


class Ingest:
    """Takes every site's entries into the office store until stopped (see the module's procedure)."""

    def __init__(
        self,
        store: OfficeStore,
        js: JetStreamContext,
        topology: Topology,
        *,
        batch_most: int = BATCH_MOST,
        linger_s: float = LINGER_S,
        sites_every_s: float = SITES_EVERY_S,
        pending_every_s: float = PENDING_EVERY_S,
        back_off_most_s: float = BACK_OFF_MOST_S,
        on_links: Callable[[list[int]], None] | None = None,
    ) -> None:
        if not 1 <= batch_most <= 20_000:
            raise ValueError(f"batch_most {batch_most}: give 1–20000")
        self.store, self.js, self.topology = store, js, topology
        self.batch_most, self.linger_s = batch_most, linger_s
        self.sites_every_s, self.pending_every_s = sites_every_s, pending_every_s
        self.back_off_most_s = back_off_most_s
        self.on_links = on_links
        self.runs: dict[str, SiteRun] = {}
        self.committed = 0
        self.commits = 0
        self._queue: asyncio.Queue[Item] = asyncio.Queue(QUEUE_MOST)
        self._tasks: list[asyncio.Task[None]] = []
        self._writer: asyncio.Task[None] | None = None
        self._streams_made = False
        self._lock = asyncio.Lock()

    # --- starting and stopping -----------------------------------------------------------

    async def start(self) -> None:
        """Start the writer, the reading of the sites (which starts their loops) and the pending counts.

        Returns at once: where NATS or the database are not there yet, the work waits for them.
        """
        self._writer = asyncio.create_task(self._write(), name="hq-ingest-writer")
        self._tasks = [
            asyncio.create_task(self._watch_sites(), name="hq-ingest-sites"),
            asyncio.create_task(self._watch_pending(), name="hq-ingest-pending"),
        ]

    async def stop(self) -> None:
        """Stop fetching; let the writer commit what it was given (at most ``DRAIN_S``); hand the rest back."""
        for task in self._tasks:
            task.cancel()
        loops = [run.task for run in self.runs.values() if run.task is not None]
        for task in loops:
            task.cancel()
        await asyncio.gather(*self._tasks, *loops, return_exceptions=True)
        if self._writer is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._queue.join(), DRAIN_S)
            self._writer.cancel()
            await asyncio.gather(self._writer, return_exceptions=True)
        for run in self.runs.values():
            run.dead = True
            await _hand_back(run)
        while not self._queue.empty():
            item = self._queue.get_nowait()
            self._queue.task_done()
            if isinstance(item, _Accepted):
                await _hand_back(item.run)
            elif isinstance(item, _Redacted):
                await _quietly(item.message.nak())

    async def __aenter__(self) -> Ingest:
        await self.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.stop()

    # --- sites ---------------------------------------------------------------------------

    async def _watch_sites(self) -> None:
        """Read the sites every ``sites_every_s``: start the loop of each one not stopped and not running."""
        back_off = BACK_OFF_FIRST_S
        while True:
            try:
                await self.refresh()
                back_off = BACK_OFF_FIRST_S
                await asyncio.sleep(self.sites_every_s)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                logger.warning(
                    "ingest: cannot read the sites or make their consumers (%s); again in %.1f s",
                    _said(error),
                    back_off,
                )
                self._streams_made = False
                await asyncio.sleep(back_off)
                back_off = min(back_off * 2, self.back_off_most_s)

    async def refresh(self) -> None:
        """Read the sites once and start the loops that should run (a resumed site's too)."""
        began = time.monotonic()
        rows = await asyncio.to_thread(self.store.sites)
        if not self._streams_made:
            await ensure_streams(self.js, self.topology)
            self._streams_made = True
        async with self._lock:
            for row in rows:
                await self._consider(row, began)

    async def _consider(self, row: SiteRow, read_at: float) -> None:
        run = self.runs.get(row.site)
        if row.stopped:
            if run is None:  # stopped before head office started: remember what to skip on resume
                watch = SiteWatch(row.site, row.head_seq, row.head_hash)
                self.runs[row.site] = SiteRun(row.site, watch, row.stopped_stream_seq, State.STOPPED, stopped_mono=-1.0)
            return
        if run is not None and run.state is not State.STOPPED:
            return
        if run is not None and run.stopped_mono >= read_at:
            return  # stopped after this reading began: the row read may not show the stop yet
        await self._start_site(row, run.skip if run is not None else None)

    async def _start_site(self, row: SiteRow, skip: int | None) -> None:
        await ensure_site(self.js, self.topology, row.site)
        run = SiteRun(row.site, SiteWatch(row.site, row.head_seq, row.head_hash), skip)
        self.runs[row.site] = run
        run.task = asyncio.create_task(self._site_loop(run), name=f"hq-ingest-{row.site}")
        logger.info("ingest: taking site %s from entry %d", row.site, row.head_seq + 1)

    async def resume(self, site: str) -> int | None:
        """Clear the site's stop and take it up again, the offending message terminated; its stream sequence."""
        skip = await asyncio.to_thread(self.store.resume_site, site)
        async with self._lock:
            run = self.runs.get(site)
            if skip is None and run is not None:
                skip = run.skip
            if run is not None and run.state is not State.STOPPED:
                return skip
            row = await asyncio.to_thread(self.store.site, site)
            if row is not None and not row.stopped:
                await self._start_site(row, skip)
        return skip

    def state(self, site: str) -> State | None:
        """The site's loop: running, stopping, stopped, or none (not taken up yet)."""
        run = self.runs.get(site)
        return None if run is None else run.state

    # --- one site's loop -----------------------------------------------------------------

    async def _site_loop(self, run: SiteRun) -> None:
        """Pull the site's messages and judge each, until the site stops or head office does."""
        back_off = BACK_OFF_FIRST_S
        subscription: Any = None
        while run.state is State.RUNNING:
            try:
                if subscription is None:
                    await ensure_site(self.js, self.topology, run.site)
                    subscription = await self.js.pull_subscribe_bind(
                        durable=self.topology.office_consumer(run.site), stream=self.topology.sites_stream
                    )
                try:
                    messages = await subscription.fetch(FETCH_BATCH, timeout=FETCH_TIMEOUT_S)
                except TimeoutError:
                    messages = []
                await self._take(run, messages)
                back_off = BACK_OFF_FIRST_S
            except asyncio.CancelledError:
                raise
            except Exception as error:
                logger.warning("ingest: site %s: %s; again in %.1f s", run.site, _said(error), back_off)
                if subscription is not None:
                    with contextlib.suppress(Exception):
                        await subscription.unsubscribe()
                    subscription = None
                self._streams_made = False
                await asyncio.sleep(back_off)
                back_off = min(back_off * 2, self.back_off_most_s)
                with contextlib.suppress(Exception):
                    await ensure_streams(self.js, self.topology)
                    self._streams_made = True
        if subscription is not None:
            with contextlib.suppress(Exception):
                await subscription.unsubscribe()

    async def _take(self, run: SiteRun, messages: Sequence[Msg]) -> None:
        """Judge each message in turn; on a break, hand back the rest of the batch."""
        for index, message in enumerate(messages):
            if run.state is not State.RUNNING:
                await _nak_all(messages[index:])
                return
            try:
                await self._one(run, message)
            except Exception:
                await _nak_all(messages[index + 1 :])  # delivered again at once, not after the ack wait
                raise
            await asyncio.sleep(0)  # the other sites' loops and the console between two messages
        if run.state is State.RUNNING:
            if run.flight:  # head office is behind: the gap's patience runs only while it keeps up
                run.watch.patient(time.monotonic())
            for verdict in run.watch.release(time.monotonic()):
                await self._released(run, verdict)

    async def _one(self, run: SiteRun, message: Msg) -> None:
        stream_seq = message.metadata.sequence.stream
        if run.skip is not None and stream_seq == run.skip:
            await _quietly(message.term())
            logger.warning(
                "ingest: site %s: message %d of the stream skipped (the one its stop named)", run.site, stream_seq
            )
            run.skip = None
            return
        if (message.headers or {}).get(wire.KIND_HEADER) == wire.REDACTION_KIND:
            await self._redaction(run, message, stream_seq)
            return
        try:
            shipped = decode_shipped(message.data)
        except WireError as error:
            position = run.watch.head_seq + 1
            problem = f"message {stream_seq} of the stream is not an entry ({str(error)[:PROBLEM_CHARS]})"
            await self._break(run, position, problem, message)
            return
        known = await self._known_hash(run, shipped)
        verdict = run.watch.take(shipped, known, time.monotonic())
        if isinstance(verdict, Accept):
            await self._accept(run, shipped, [message])
            for released in run.watch.release(time.monotonic()):
                await self._released(run, released)
        elif isinstance(verdict, Duplicate):
            flying = run.flight.get(shipped.seq)
            if flying is not None:
                flying[1].append(message)  # acknowledged with the entry, once it is committed
            else:
                await _quietly(message.ack())
        elif isinstance(verdict, Hold):
            kept = [m for m in run.held.get(shipped.seq, []) if m.metadata.sequence.stream != stream_seq]
            run.held[shipped.seq] = [*kept, message]  # a redelivery of the same message replaces it
            weight = sum(len(m.data) for kept_messages in run.held.values() for m in kept_messages)
            if weight > HELD_BYTES_MOST:
                missing = run.watch.head_seq + 1
                problem = (
                    f"entry {missing} is missing while later entries weighing {weight // (1024 * 1024)} MiB "
                    "wait for it (more than head office holds for one site)"
                )
                await self._break(run, missing, problem, None)
        elif verdict.shipped is not None:
            await self._break(run, verdict.position, verdict.problem, message)
        else:  # a gap given up on as this entry arrived: the entry itself is not at fault
            await _quietly(message.nak())
            await self._break(run, verdict.position, verdict.problem, None)

    async def _redaction(self, run: SiteRun, message: Msg, stream_seq: int) -> None:
        """A redaction the site made after shipping: queued to the writer behind the entries before it.

        One that names an entry not taken yet (delivered again, out of order) is handed back for
        ``REDACTION_AGAIN_S``: its entry is in the stream before it, and may hold the payload. One
        that cannot be read, or names another site, breaks the chain there, as an entry would.
        """
        try:
            redaction = wire.decode_redaction(message.data)
        except WireError as error:
            problem = f"message {stream_seq} of the stream is not a redaction ({str(error)[:PROBLEM_CHARS]})"
            await self._break(run, run.watch.head_seq + 1, problem, message)
            return
        if redaction.site != run.site:
            problem = f"message {stream_seq} of the stream redacts entries of site {redaction.site}: not this site's"
            await self._break(run, run.watch.head_seq + 1, problem, message)
            return
        if max(redaction.seqs) > run.watch.head_seq:
            await _quietly(message.nak(delay=REDACTION_AGAIN_S))
            return
        await self._queue.put(_Redacted(run, redaction, message))

    async def _released(self, run: SiteRun, verdict: Verdict) -> None:
        """A held entry judged once the gap before it filled (or the gap, given up on)."""
        if isinstance(verdict, Accept):
            await self._accept(run, verdict.shipped, run.held.pop(verdict.shipped.seq, []))
        elif isinstance(verdict, Break):
            offending = run.held.pop(verdict.position, []) if verdict.shipped is not None else []
            await _nak_all(offending[1:])
            await self._break(run, verdict.position, verdict.problem, offending[0] if offending else None)

    async def _known_hash(self, run: SiteRun, shipped: Shipped) -> str | None:
        """Head office's hash at this position, for an entry at or before the head (being written, or stored)."""
        if shipped.seq > run.watch.head_seq:
            return None
        flying = run.flight.get(shipped.seq)
        if flying is not None:
            return flying[0]
        return await self._patiently(lambda: self.store.hash_at(run.site, shipped.seq), f"site {run.site}")

    async def _accept(self, run: SiteRun, shipped: Shipped, messages: list[Msg]) -> None:
        run.flight[shipped.seq] = (shipped.hash, messages)
        await self._queue.put(_Accepted(run, shipped))

    async def _break(self, run: SiteRun, position: int, problem: str, offending: Msg | None) -> None:
        """Stop the site here: queue the stop behind what came before; hand back every message held."""
        stream_seq = offending.metadata.sequence.stream if offending is not None else None
        run.state = State.STOPPING
        run.skip = stream_seq
        logger.critical("ingest: site %s stopped at entry %d: %s", run.site, position, problem)
        if offending is not None:
            await _quietly(offending.nak())
        await _nak_all([m for kept in run.held.values() for m in kept])
        run.held.clear()
        await self._queue.put(_Stop(run, position, problem, stream_seq))

    # --- the writer ----------------------------------------------------------------------

    async def _write(self) -> None:
        """Gather accepted entries into batches, commit each, then acknowledge its messages; make the stops."""
        while True:
            first = await self._queue.get()
            items = [first]
            if isinstance(first, _Accepted):
                await self._gather(items)
            try:
                accepted = [item for item in items if isinstance(item, _Accepted)]
                if accepted:
                    await self._commit(accepted)
                for item in items:
                    if isinstance(item, _Stop):
                        await self._stop(item)
                    elif isinstance(item, _Redacted):
                        await self._redact(item)
            except asyncio.CancelledError:
                raise
            except Exception:  # never let one batch end the writer: its sites start again from the store
                logger.exception("ingest: a batch failed unexpectedly; its sites start again from what is stored")
                await self._start_again({item.run for item in items})
            finally:
                for _ in items:
                    self._queue.task_done()

    async def _start_again(self, runs: set[SiteRun]) -> None:
        """End these runs (what they hold handed back); the next reading of the sites starts them from the store."""
        for run in runs:
            run.dead = True
            if run.task is not None:
                run.task.cancel()
            await _hand_back(run)
            run.state, run.stopped_mono = State.STOPPED, time.monotonic()

    async def _gather(self, items: list[Item]) -> None:
        """Add accepted entries to the batch until it is full, a stop comes, or ``linger_s`` passed."""
        deadline = time.monotonic() + self.linger_s
        while len(items) < self.batch_most:
            try:
                item = self._queue.get_nowait()
            except asyncio.QueueEmpty:
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                try:
                    item = await asyncio.wait_for(self._queue.get(), left)
                except TimeoutError:
                    return
            items.append(item)
            if not isinstance(item, _Accepted):  # a stop or a redaction: after the entries before it
                return

    async def _commit(self, accepted: list[_Accepted]) -> None:
        """Commit the live entries (trying again while the database is away), then acknowledge them."""
        live = [item for item in accepted if not item.run.dead]
        for item in accepted:
            if item.run.dead:
                await _hand_back_one(item)
        if not live:
            return
        back_off = BACK_OFF_FIRST_S
        while True:
            try:
                links = await asyncio.to_thread(self.store.ingest, [item.shipped for item in live], _now())
                break
            except Exception as error:
                if not database_away(error):
                    await self._commit_apart(live, error)
                    return
                logger.warning("ingest: the database refused a commit (%s); again in %.1f s", _said(error), back_off)
                await asyncio.sleep(back_off)
                back_off = min(back_off * 2, self.back_off_most_s)
        await self._committed(live, links)

    async def _committed(self, live: list[_Accepted], links: list[int]) -> None:
        for item in live:
            _hash, messages = item.run.flight.pop(item.shipped.seq, ("", []))
            for message in messages:
                await _quietly(message.ack())
            item.run.taken += 1
        self.committed += len(live)
        self.commits += 1
        if links and self.on_links is not None:
            self.on_links(links)

    async def _commit_apart(self, live: list[_Accepted], error: BaseException) -> None:
        """A batch refused (not for being away): commit each site's part apart; stop a site whose part fails."""
        logger.error(
            "ingest: the database refused a batch of %d entries (%s): committing site by site", len(live), _said(error)
        )
        by_site: dict[str, list[_Accepted]] = {}
        for item in live:
            by_site.setdefault(item.run.site, []).append(item)
        for site, part in by_site.items():
            try:
                links = await self._patiently(partial(self.store.ingest, [item.shipped for item in part], _now()), site)
            except Exception as refused:
                first = part[0].shipped.seq
                problem = f"head office could not store entry {first} ({_said(refused)[:PROBLEM_CHARS]})"
                run = part[0].run
                run.state, run.dead = State.STOPPING, True
                logger.critical("ingest: site %s stopped at entry %d: %s", site, first, problem)
                if run.task is not None:
                    run.task.cancel()
                await _hand_back(run)
                await self._stop(_Stop(run, first, problem, None))
                continue
            await self._committed(part, links)

    async def _stop(self, stop: _Stop) -> None:
        """Mark the site stopped in the store (trying again while the database is away)."""
        await self._patiently(
            lambda: self.store.stop_site(stop.run.site, stop.position, stop.problem, stop.stream_seq),
            f"site {stop.run.site}",
        )
        stop.run.state = State.STOPPED
        stop.run.stopped_mono = time.monotonic()

    async def _redact(self, item: _Redacted) -> None:
        """Drop the payloads a site's redaction names (the entries before it are committed), then acknowledge it.

        A run ended meanwhile (its entries handed back, not all committed) hands the redaction back too.
        """
        run, seqs = item.run, item.redaction.seqs
        if run.dead:
            await _quietly(item.message.nak())
            return
        try:
            changed = await self._patiently(partial(self.store.redact, run.site, seqs), f"site {run.site}")
        except Exception:
            await _quietly(item.message.nak())
            raise
        await _quietly(item.message.ack())
        logger.info("ingest: site %s: %d of %d entries redacted, as the site did", run.site, changed, len(seqs))

    async def _patiently(self, work: Callable[[], T], what: str) -> T:
        """Run ``work`` in a thread, again and again while the database is away; its refusals are raised."""
        back_off = BACK_OFF_FIRST_S
        while True:
            try:
                return await asyncio.to_thread(work)
            except Exception as error:
                if not database_away(error):
                    raise
                logger.warning(
                    "ingest: %s: the database did not answer (%s); again in %.1f s", what, _said(error), back_off
                )
                await asyncio.sleep(back_off)
                back_off = min(back_off * 2, self.back_off_most_s)

    # --- pending counts ------------------------------------------------------------------

    async def _watch_pending(self) -> None:
        while True:
            await asyncio.sleep(self.pending_every_s)
            try:
                await self.record_pending()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                logger.info("ingest: pending counts not read (%s)", _said(error))

    async def record_pending(self) -> None:
        """Ask JetStream how many of each site's messages are not yet taken; record changed counts (and stale ones)."""
        sites = list(self.runs.values())
        for start in range(0, len(sites), PENDING_AT_ONCE):
            part = sites[start : start + PENDING_AT_ONCE]
            counts = await asyncio.gather(*(self._pending_of(run.site) for run in part), return_exceptions=True)
            for run, count in zip(part, counts, strict=True):
                if isinstance(count, BaseException):
                    continue
                if count == run.last_pending and time.monotonic() - run.pending_mono < PENDING_RECORD_AGAIN_S:
                    continue
                await asyncio.to_thread(self.store.record_pending, run.site, count)
                run.last_pending, run.pending_mono = count, time.monotonic()

    async def _pending_of(self, site: str) -> int:
        info = await self.js.consumer_info(self.topology.sites_stream, self.topology.office_consumer(site))
        return int(info.num_pending or 0) + int(info.num_ack_pending or 0)


async def _quietly(step: Awaitable[None]) -> None:
    """An acknowledgement (or hand-back) sent if it can be: one lost is a redelivery, judged again."""
    with contextlib.suppress(Exception):
        await step


async def _nak_all(messages: Sequence[Msg]) -> None:
    for message in messages:
        await _quietly(message.nak())


async def _hand_back(run: SiteRun) -> None:
    """Give JetStream back every message the run still holds (delivered again at once, to whoever takes the site)."""
    await _nak_all([m for kept in run.held.values() for m in kept])
    run.held.clear()
    for _hash, messages in list(run.flight.values()):
        await _nak_all(messages)
    run.flight.clear()


async def _hand_back_one(item: _Accepted) -> None:
    _hash, messages = item.run.flight.pop(item.shipped.seq, ("", []))
    await _nak_all(messages)


def _said(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{error.__class__.__name__}: {text[0][:200]}" if text else error.__class__.__name__


TERMINATE_WAIT_S = 10.0


async def terminate_message(
    js: JetStreamContext, topology: Topology, site: str, stream_seq: int, wait_s: float = TERMINATE_WAIT_S
) -> bool:
    """Terminate one message of a stopped site's consumer (the one its stop named), so it is never delivered again.

    Pulls the site's messages (the site must be stopped: no ingest takes them meanwhile) until
    the one at ``stream_seq`` comes, terminates it, and hands every other one back for the
    ingest. True when it was terminated, or was behind the consumer already; False when it did
    not come within ``wait_s`` (head office may still hold it: JetStream gives it back after its
    acknowledgement wait).
    """
    durable, stream = topology.office_consumer(site), topology.sites_stream
    info = await js.consumer_info(stream, durable)
    if info.ack_floor.stream_seq is not None and info.ack_floor.stream_seq >= stream_seq:
        return True
    subscription = await js.pull_subscribe_bind(durable=durable, stream=stream)
    others: list[Msg] = []
    deadline = time.monotonic() + wait_s
    try:
        while (left := deadline - time.monotonic()) > 0:
            try:
                messages = await subscription.fetch(FETCH_BATCH, timeout=min(FETCH_TIMEOUT_S, left))
            except TimeoutError:
                continue
            found = False
            for message in messages:
                if message.metadata.sequence.stream == stream_seq:
                    await message.term()
                    found = True
                else:
                    others.append(message)
            if found:
                return True
        return False
    finally:
        await _nak_all(others)
        with contextlib.suppress(Exception):
            await subscription.unsubscribe()
