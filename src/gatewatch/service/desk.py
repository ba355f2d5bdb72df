"""The guard desk: decide each event with the engine and keep it in the record, in one step.

On opening, the engine's state is rebuilt from the newest snapshot that is intact, matches the
chain and was taken on this site, by replaying through ``step`` only the events recorded after
it (the engine is deterministic, so the same events give the same state); without one, from
the first event. An entry that can no longer be read or replayed is set aside and reported
(``condition().skipped``): one bad entry never keeps the desk from serving the doors.

Submitting an event decides it at once against the newest state, under the desk's lock, and
queues it for the record; the desk's writer keeps every queued event in one transaction (group
commit: the events that arrived while the last commit was on disk share the next one), and
only then does the submitter get its answer. What the desk acknowledges is on disk. An event
not on disk within ``deadline_s`` is answered ``NotRecorded``: the door stays shut, and a
resend of the same id later returns what was decided once it is recorded.

When the store cannot write (a full disk, a lost database), the queued events stay decided and
queued, the writer tries again, and the screens are told at once of what they raised
(``unrecorded``): an intrusion alarm reaches the desk and locks the site down even before it is
on disk. A queue longer than ``max_pending`` refuses new events without deciding them.

Sending an event again returns the outcome recorded the first time; reusing its id for other
content is refused (``IdConflict``). A live event, which the desk dates itself (``stamped``), is the same
event when only its time differs.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy.exc import DBAPIError, OperationalError

from gatewatch.core import pins, retention, snapshot
from gatewatch.core.engine import step
from gatewatch.core.events import Event, from_payload, to_payload
from gatewatch.core.reasons import Reason
from gatewatch.core.site import PersonSpec, Site
from gatewatch.core.state import State, initial_state
from gatewatch.core.watchlist import WatchEntry
from gatewatch.service.pins import seal as sealed_pins
from gatewatch.store.chain import Entry, digest, expected_hash
from gatewatch.store.log import EventLog, IdConflict, Snapshot, Submission, prepare_entry

logger = logging.getLogger("gatewatch.desk")

SNAPSHOT_EVERY = 1_000
"""Keep the state every this many entries (and at a clean stop): a restart replays fewer than this."""
DEADLINE_S = 2.0
"""How long a submitter waits for its event to be on disk before the door is told no."""
MAX_PENDING = 2_000
"""Events decided and not yet on disk; past this, new events are refused undecided."""
MAX_BATCH = 500
RETRY_FIRST_S = 0.05
RETRY_MOST_S = 2.0


@dataclass(frozen=True, slots=True)
class Decided:
    """What the desk answers for a submitted event: the recorded outcome and its place in the log."""

    outcome: dict[str, Any]
    seq: int
    hash: str
    duplicate: bool
    reasons: tuple[Reason, ...] = ()
    """The reasons in plain words, with what would make it a grant (for a new decision only)."""
    then: tuple[Decided, ...] = ()
    """What the desk recorded because of it (the screening after an identify or invite)."""
    recorded: bool = True
    """False only in what ``unrecorded`` listeners hear: decided, not yet on disk."""
    answered: bool = True
    """False only in what ``listeners`` hear of an event recorded after its submitter was told
    it was not (``NotRecorded``: "the door stays shut"): nothing may act on its decision now."""


@dataclass(frozen=True, slots=True)
class DeskCondition:
    """How the desk is doing, for the health check: nothing about people or events."""

    pending: int
    oldest_pending_s: float | None
    store_error: str | None
    skipped: tuple[str, ...]
    clock_ahead_s: float | None = None
    """How far the record's last event is dated ahead of the desk's clock, if it is."""


Follower = Callable[["Desk", Event, Decided, str], "Decided | None"]
"""Called after an event is recorded or resent, outside the desk's lock: may submit events of its own."""


class OutOfOrder(ValueError):
    """A new event dated before the last one decided: the record keeps time moving forward."""

    def __init__(self, event: Event, now: datetime) -> None:
        self.event_id = event.id
        super().__init__(
            f"event {event.id}: its time {event.at.isoformat()} is before the last event decided "
            f"({now.isoformat()}); the record only moves forward"
        )


class NotRecorded(RuntimeError):
    """The event is not on disk within the deadline (or the queue is full): the door stays shut."""

    def __init__(self, event_id: str, problem: str) -> None:
        self.event_id = event_id
        super().__init__(f"event {event_id}: {problem}")


@dataclass(slots=True)
class _Queued:
    """An event decided and waiting for the record."""

    event: Event
    entry: Entry
    decided: Decided
    after: State
    since: float
    done: threading.Event = field(default_factory=threading.Event)
    error: str | None = None
    announced: bool = False
    keep_state: bool = False
    written: bool = False
    """On disk (set under the desk's lock, with ``abandoned``: one of the two comes first)."""
    abandoned: bool = False
    """Its submitter stopped waiting and was told it was not recorded."""


class Desk:
    def __init__(
        self,
        site: Site,
        log: EventLog,
        state: State,
        snapshot_every: int = SNAPSHOT_EVERY,
        deadline_s: float = DEADLINE_S,
        max_pending: int = MAX_PENDING,
        skipped: tuple[str, ...] = (),
    ) -> None:
        self.site = site
        self.log = log
        self.snapshot_every = snapshot_every
        self.deadline_s = deadline_s
        self.max_pending = max_pending
        self.skipped = skipped
        self.listeners: list[Callable[[Decided], None]] = []
        """Told of every event once it is recorded (from the writer's thread)."""
        self.unrecorded: list[Callable[[Decided], None]] = []
        """Told at once of an event that raised alerts and could not be recorded yet."""
        self.followers: list[Follower] = []
        self._state = state
        self._recorded_state = state
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._queue: deque[_Queued] = deque()
        self._queued_ids: dict[str, _Queued] = {}
        self._head = log.head()
        self._recorded_head = self._head
        self._ids: set[str] = set(log.event_ids())
        self._store_error: str | None = None
        self._closing = False
        self._keeper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gatewatch-desk-snapshot")
        self._writer = threading.Thread(target=self._write_loop, name="gatewatch-desk-writer", daemon=True)
        self._writer.start()

    def _ensure_writer(self) -> None:
        """A desk used again after ``close`` (an application started twice) gets its writer back."""
        if self._writer.is_alive() and not self._closing:
            return
        self._closing = False
        self._keeper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gatewatch-desk-snapshot")
        self._writer = threading.Thread(target=self._write_loop, name="gatewatch-desk-writer", daemon=True)
        self._writer.start()

    @classmethod
    def open(
        cls,
        site: Site,
        log: EventLog,
        people: tuple[PersonSpec, ...] = (),
        watchlist: tuple[WatchEntry, ...] = (),
        snapshot_every: int = SNAPSHOT_EVERY,
        deadline_s: float = DEADLINE_S,
    ) -> Desk:
        """The desk with its state rebuilt from the newest usable snapshot and the record after it."""
        state, after = initial_state(site, people, watchlist), 0
        found = log.latest_snapshot(snapshot.site_digest(site))
        if found is not None:
            try:
                state, after = snapshot.load(found.state, site), found.seq
            except Exception:  # an unreadable snapshot: the record itself is the truth
                logger.exception("snapshot at entry %d could not be read: replaying the whole record", found.seq)
        state, skipped = replay(state, log, after)
        return cls(site, log, state, snapshot_every, deadline_s, skipped=skipped)

    @property
    def state(self) -> State:
        """The newest state: every event decided, including those still on their way to disk."""
        return self._state

    def condition(self) -> DeskCondition:
        with self._lock:
            oldest = time.monotonic() - self._queue[0].since if self._queue else None
            pending, error, now = len(self._queue), self._store_error, self._state.now
        ahead = None
        if now is not None:
            gap = (now - datetime.now(now.tzinfo)).total_seconds()
            ahead = gap if gap > 0 else None
        return DeskCondition(pending, oldest, error, self.skipped, ahead)

    # --- submitting ------------------------------------------------------------------------

    def submit(self, event: Event, submitted_by: str, received: datetime, *, stamped: bool = False) -> Decided:
        """Decide and record one event; the answer comes once the record holds it.

        ``stamped``: a live event, dated here under the lock by the desk's own clock: the time the
        client gave (or ``received`` when it gave none), never after ``received`` and never before
        the last event, so no client moves the record's time ahead and none is refused for its
        date; a resend that differs only in its time is the same event. Then the followers act on
        it, a resend too (outside the lock), and what they record is in ``then``.
        """
        found = self._decide(event, submitted_by, received, stamped)
        decided = found if isinstance(found, Decided) else self._await(*found, time.monotonic())
        if not self.followers:
            return decided
        then = tuple(d for follow in self.followers if (d := follow(self, event, decided, submitted_by)) is not None)
        return replace(decided, then=then) if then else decided

    def _decide(
        self, event: Event, submitted_by: str, received: datetime, stamped: bool
    ) -> Decided | tuple[_Queued, bool]:
        """The event decided and queued (with False), a copy still queued (True), or a recorded one's answer."""
        if not self._lock.acquire(timeout=self.deadline_s):
            raise NotRecorded(event.id, "the desk did not answer in time: the door stays shut; send it again")
        try:
            now = self._state.now
            if stamped:
                at = min(event.at, received.astimezone(event.at.tzinfo))
                event = msgspec.structs.replace(event, at=max(at, now) if now is not None else at)
            if event.id in self._ids:
                queued = self._queued_ids.get(event.id)
                if queued is not None:
                    _same_event(queued.event, event, stamped)
                    return queued, True
            elif now is not None and event.at < now:
                raise OutOfOrder(event, now)
            else:
                return self._queue_new(event, submitted_by, received), False
        finally:
            self._lock.release()
        return self._recorded_again(event, stamped)

    def _queue_new(self, event: Event, submitted_by: str, received: datetime) -> _Queued:
        if len(self._queue) >= self.max_pending:
            problem = self._store_error or "the record is not keeping up"
            raise NotRecorded(event.id, f"not decided: {len(self._queue)} events wait for the record ({problem})")
        event = sealed_pins(self._state, event)
        if pins.holds_clear_pin(event):  # the record never keeps PIN digits
            raise ValueError(f"event {event.id}: a PIN in clear reached the record")
        following, outcome = step(self._state, event)
        submission = Submission(
            event_id=event.id,
            type=event.type,
            at=event.at.isoformat(),
            payload=to_payload(event),
            outcome=outcome.to_dict(),
            submitted_by=submitted_by,
            received=received.isoformat(),
        )
        seq, previous = self._head
        entry = prepare_entry(submission, seq + 1, previous)
        decided = Decided(entry.outcome, entry.seq, entry.hash, False, outcome.reasons)
        queued = _Queued(event, entry, decided, following, time.monotonic())
        queued.keep_state = entry.seq % self.snapshot_every == 0
        self._state, self._head = following, (entry.seq, entry.hash)
        self._ids.add(event.id)
        self._queued_ids[event.id] = queued
        self._queue.append(queued)
        self._ensure_writer()
        self._changed.notify_all()
        return queued

    def _await(self, queued: _Queued, again: bool, started: float) -> Decided:
        left = self.deadline_s - (time.monotonic() - started)
        if not queued.done.wait(max(left, 0.0)) and self._abandon(queued):
            problem = self._store_error or "the record did not confirm it in time"
            raise NotRecorded(
                queued.event.id,
                f"decided but not yet recorded ({problem}): the door stays shut; "
                "send the same event again to learn its outcome once it is recorded",
            )
        if queued.error is not None:
            raise NotRecorded(queued.event.id, f"not recorded: {queued.error}")
        return replace(queued.decided, duplicate=True, reasons=()) if again else queued.decided

    def _abandon(self, queued: _Queued) -> bool:
        """The submitter gives up on a queued event, unless it was written meanwhile (False)."""
        with self._lock:
            if queued.written:
                return False
            if not queued.error:
                queued.abandoned = True
            return True

    def _recorded_again(self, event: Event, stamped: bool) -> Decided:
        """A resend of an event already on disk: its first outcome (outside the lock)."""
        entry = self.log.find(event.id)
        if entry is None:  # it was queued and dropped after a store error: decide it again
            raise NotRecorded(event.id, "an earlier copy of this event was not recorded: send it again")
        resent = _dated(event, entry.at) if stamped else event
        if pins.without_pins(resent) is not resent:
            recorded = from_payload(entry.payload) if entry.payload is not None else None
            if recorded is None or _pinless_digest(resent) != _pinless_digest(recorded):
                raise IdConflict(event.id)
        elif entry.payload_digest != digest(to_payload(resent)):
            raise IdConflict(event.id)
        return Decided(entry.outcome, entry.seq, entry.hash, duplicate=True)

    # --- the writer ------------------------------------------------------------------------

    def _write_loop(self) -> None:
        pause = RETRY_FIRST_S
        while True:
            with self._changed:
                self._changed.wait_for(lambda: bool(self._queue) or self._closing)
                if not self._queue:
                    return
                batch = [self._queue[i] for i in range(min(len(self._queue), MAX_BATCH))]
            try:
                self.log.write([q.entry for q in batch])
            except (OperationalError, DBAPIError, OSError) as error:
                if _refused(error):
                    if not self._rebased():
                        self._drop_queue(error)
                    continue
                self._cannot_write(batch, error)
                time.sleep(pause)
                pause = min(pause * 2, RETRY_MOST_S)
                continue
            except Exception as error:  # not the store's state: something these events cannot be
                self._drop_queue(error)
                continue
            pause = RETRY_FIRST_S
            self._written(batch)

    def _rebased(self) -> bool:
        """Another process (a command) appended meanwhile: chain what is queued after its entries.

        As before, this desk's state does not take in what the other process decided until a
        restart; the record stays one chain. False if the record's head is where the desk left it.
        """
        try:
            head = self.log.head()
        except Exception:
            return False
        with self._lock:
            if head == self._recorded_head:
                return False
            seq, previous = head
            for queued in self._queue:
                moved = replace(queued.entry, seq=seq + 1, prev_hash=previous)
                queued.entry = replace(moved, hash=expected_hash(moved))
                queued.decided = replace(queued.decided, seq=queued.entry.seq, hash=queued.entry.hash)
                seq, previous = queued.entry.seq, queued.entry.hash
            self._head = (seq, previous)
            self._recorded_head = head
            return True

    def _written(self, batch: list[_Queued]) -> None:
        with self._lock:
            for _ in batch:
                done = self._queue.popleft()
                done.written = True
                self._queued_ids.pop(done.event.id, None)
            self._recorded_state = batch[-1].after
            self._recorded_head = (batch[-1].entry.seq, batch[-1].entry.hash)
            self._store_error = None
            self._changed.notify_all()
        for queued in batch:
            queued.done.set()
            told = replace(queued.decided, answered=False) if queued.abandoned else queued.decided
            self._tell(self.listeners, told)
        for queued in batch:
            if queued.keep_state:  # kept beside, so that the next commit does not wait for it
                self._keeper.submit(self._keep, queued.entry.seq, queued.entry.hash, queued.after)

    def _cannot_write(self, batch: list[_Queued], error: BaseException) -> None:
        problem = _store_problem(error)
        if self._store_error != problem:
            logger.error("the record cannot write: %s (%d events wait)", problem, len(self._queue))
        with self._lock:
            self._store_error = problem
        for queued in batch:
            if not queued.announced and queued.decided.outcome.get("alerts"):
                queued.announced = True
                self._tell(self.unrecorded, replace(queued.decided, recorded=False))

    def _drop_queue(self, error: BaseException) -> None:
        """An error the store will not get over by waiting: the queued events are undone, and said so."""
        logger.error("events could not be recorded and are undone: %r", error)
        with self._lock:
            dropped = list(self._queue)
            self._queue.clear()
            self._queued_ids.clear()
            for queued in dropped:
                self._ids.discard(queued.event.id)
                queued.error = f"the record refused it ({error.__class__.__name__}); nothing was kept"
            self._state, self._head = self._recorded_state, self._recorded_head
            self._changed.notify_all()
        for queued in dropped:
            queued.done.set()

    def _tell(self, listeners: list[Callable[[Decided], None]], decided: Decided) -> None:
        for listener in listeners:
            try:
                listener(decided)
            except Exception:  # a screen's trouble never stops the record
                logger.exception("a listener failed on entry %d", decided.seq)

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every decided event is on disk, and the snapshots due are kept; False if not in ``timeout``."""
        with self._changed:
            if not self._changed.wait_for(lambda: not self._queue, timeout):
                return False
            keeper = None if self._closing else self._keeper
        if keeper is not None:
            try:
                keeper.submit(lambda: None).result(timeout)
            except (TimeoutError, RuntimeError):
                return False
        return True

    def close(self) -> None:
        """Write what is queued, keep the state (a restart then replays nothing), stop the writer."""
        with self._changed:
            if self._closing:
                return
        flushed = self.flush(timeout=self.deadline_s * 5)
        with self._changed:
            self._closing = True
            self._changed.notify_all()
        self._writer.join(timeout=self.deadline_s)
        self._keeper.shutdown(wait=True)
        if flushed and self._recorded_head[0] > 0:
            self._keep(*self._recorded_head, self._recorded_state)

    # --- snapshots and retention -------------------------------------------------------------

    def _keep(self, seq: int, head_hash: str, state: State) -> None:
        try:
            data = snapshot.dump(state)
            self.log.save_snapshot(Snapshot(seq, head_hash, snapshot.site_digest(self.site), data))
        except Exception:  # a snapshot only speeds up start-up: the record is whole without it
            logger.exception("could not keep a snapshot at entry %d", seq)

    def take_snapshot(self, seq: int, head_hash: str) -> None:
        """Keep the current state, as it is after entry ``seq`` (the desk's queue is empty)."""
        self._keep(seq, head_hash, self._state)

    def redact_expired(self, now: datetime) -> int:
        """Forget visitors' identity data past the site's retention; the number of entries redacted.

        The record is searched first, without holding the desk (submissions go on). Then, under
        the desk's lock and with nothing waiting for the record, the state forgets them and is kept
        as a snapshot at the head (so that start-up no longer needs the payloads), then the payloads
        go, then the older snapshots (which still hold what was forgotten). A crash in between loses
        nothing: the next run finishes the work.
        """
        limit = retention.cutoff(now, self.site.policy.retention_days)
        expired: dict[int, str] = {}
        recent: set[str] = set()
        searched = self.log.head()[0]
        for entry in self.log.entries_of_types(retention.IDENTITY_EVENTS):
            person = retention.subject(entry.payload or {})
            if person is not None and entry.seq <= searched:
                if datetime.fromisoformat(entry.at) < limit:
                    expired[entry.seq] = person
                else:
                    recent.add(person)
        if not expired:
            return 0
        with self._changed:
            if not self._changed.wait_for(lambda: not self._queue, self.deadline_s * 5):
                return 0  # the record is not keeping up: try at the next run
            for entry in self.log.entries_of_types(retention.IDENTITY_EVENTS, after=searched):
                person = retention.subject(entry.payload or {})
                if person is not None:
                    recent.add(person)  # identity given while the record was searched
            forgotten = retention.to_forget(self._state, set(expired.values()), recent)
            chosen = [seq for seq, person in expired.items() if person in forgotten]
            if not chosen:
                return 0
            self._state = self._recorded_state = retention.forget(self._state, forgotten)
            seq, head_hash = self._head
            self.take_snapshot(seq, head_hash)
            count = self.log.redact(chosen)
            self.log.drop_snapshots_before(seq)
            return count


def replay(state: State, log: EventLog, after: int) -> tuple[State, tuple[str, ...]]:
    """The state after every recorded event past ``after``; the entries that could not be replayed.

    An entry that no longer decodes as an event, or that the engine cannot take, is set aside
    with a description (its position and id), and the rest is replayed: the desk serves the doors.
    """
    skipped: list[str] = []
    for entry in log.entries(after):
        if entry.payload is None:
            continue
        try:
            state, _ = step(state, from_payload(entry.payload))
        except Exception as error:
            problem = f"entry {entry.seq} ({entry.event_id}, {entry.type}): {error}"
            logger.error("start-up set aside %s", problem)
            skipped.append(problem)
    return state, tuple(skipped)


def _dated(event: Event, at: str) -> Event:
    return msgspec.structs.replace(event, at=datetime.fromisoformat(at))


def _pinless_digest(event: Event) -> str:
    return digest(to_payload(pins.without_pins(event)))


def _same_event(queued: Event, event: Event, stamped: bool) -> None:
    mine = msgspec.structs.replace(event, at=queued.at) if stamped else event
    if _pinless_digest(mine) != _pinless_digest(queued):
        raise IdConflict(event.id)


def _refused(error: BaseException) -> bool:
    """The database refused these rows (a constraint, a value): waiting will not help."""
    return (
        isinstance(error, DBAPIError) and not isinstance(error, OperationalError) and not error.connection_invalidated
    )


def _store_problem(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip().splitlines()
    first = text[0] if text else error.__class__.__name__
    return f"the store cannot write: {first[:200]}"
