"""The guard desk: decide each event with the engine and keep it in the record, in one step.

On opening, the engine's state is rebuilt from the newest snapshot that is intact, matches the
chain and was taken on this site, by replaying through ``step`` only the events recorded after
it (the engine is deterministic, so the same events give the same state); without one, from
the first event. A snapshot is taken every ``snapshot_every`` recorded events. Submitting an event
decides it, appends the event and its outcome to the log, and only then makes the new state
current: what the desk acknowledges is on disk. Sending an event again returns the outcome
recorded the first time; reusing its id for other content is refused (``IdConflict``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from gatewatch.core import retention, snapshot
from gatewatch.core.engine import step
from gatewatch.core.events import Event, from_payload, to_payload
from gatewatch.core.reasons import Reason
from gatewatch.core.site import PersonSpec, Site
from gatewatch.core.state import State, initial_state
from gatewatch.core.watchlist import WatchEntry
from gatewatch.store.chain import digest
from gatewatch.store.log import EventLog, IdConflict, Snapshot, Submission


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


Follower = Callable[["Desk", Event, Decided, str], "Decided | None"]
"""Called after an event is recorded or resent, outside the desk's lock: may submit events of its own."""


SNAPSHOT_EVERY = 10_000


class OutOfOrder(ValueError):
    """A new event dated before the last one decided: the record keeps time moving forward."""

    def __init__(self, event: Event, now: datetime) -> None:
        self.event_id = event.id
        super().__init__(
            f"event {event.id}: its time {event.at.isoformat()} is before the last event decided "
            f"({now.isoformat()}); the record only moves forward"
        )


class Desk:
    def __init__(self, site: Site, log: EventLog, state: State, snapshot_every: int = SNAPSHOT_EVERY) -> None:
        self.site = site
        self.log = log
        self.snapshot_every = snapshot_every
        self._state = state
        self._lock = threading.Lock()
        self.listeners: list[Callable[[Decided], None]] = []
        self.followers: list[Follower] = []

    @classmethod
    def open(
        cls,
        site: Site,
        log: EventLog,
        people: tuple[PersonSpec, ...] = (),
        watchlist: tuple[WatchEntry, ...] = (),
        snapshot_every: int = SNAPSHOT_EVERY,
    ) -> Desk:
        """The desk with its state rebuilt from the newest usable snapshot and the record after it."""
        found = log.latest_snapshot(snapshot.site_digest(site))
        if found is not None:
            state, after = snapshot.load(found.state, site), found.seq
        else:
            state, after = initial_state(site, people, watchlist), 0
        for event in recorded_events(log, after):
            state, _ = step(state, event)
        return cls(site, log, state, snapshot_every)

    @property
    def state(self) -> State:
        return self._state

    def submit(self, event: Event, submitted_by: str, received: datetime) -> Decided:
        """Decide and record one event; the new state counts only once the record holds it.

        Then the followers act on it, a resend too (outside the lock), and what they record is
        in ``then``.
        """
        decided = self._decide(event, submitted_by, received)
        if not self.followers:
            return decided
        then = tuple(d for follow in self.followers if (d := follow(self, event, decided, submitted_by)) is not None)
        return replace(decided, then=then) if then else decided

    def _decide(self, event: Event, submitted_by: str, received: datetime) -> Decided:
        with self._lock:
            now = self._state.now
            if now is not None and event.at < now:
                return self._earlier(event, now)
            following, outcome = step(self._state, event)
            appended = self.log.append(
                Submission(
                    event_id=event.id,
                    type=event.type,
                    at=event.at.isoformat(),
                    payload=to_payload(event),
                    outcome=outcome.to_dict(),
                    submitted_by=submitted_by,
                    received=received.isoformat(),
                )
            )
            entry = appended.entry
            if not appended.duplicate:
                self._state = following
                if entry.seq % self.snapshot_every == 0:
                    self.take_snapshot(entry.seq, entry.hash)
            reasons = () if appended.duplicate else outcome.reasons
            decided = Decided(entry.outcome, entry.seq, entry.hash, appended.duplicate, reasons)
            if not appended.duplicate:
                for listener in self.listeners:
                    listener(decided)
            return decided

    def _earlier(self, event: Event, now: datetime) -> Decided:
        """An event dated before the present: only a repeat of a recorded one is answered."""
        entry = self.log.find(event.id)
        if entry is None:
            raise OutOfOrder(event, now)
        if entry.payload_digest != digest(to_payload(event)):
            raise IdConflict(event.id)
        return Decided(entry.outcome, entry.seq, entry.hash, duplicate=True)

    def redact_expired(self, now: datetime) -> int:
        """Forget visitors' identity data past the site's retention; the number of entries redacted.

        The record is searched first, without holding the desk (submissions go on). Then, under
        the desk's lock, the state forgets them and is kept as a snapshot at the head (so that
        start-up no longer needs the payloads), then the payloads go, then the older snapshots
        (which still hold what was forgotten). A crash in between loses nothing: the next run
        finishes the work.
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
        with self._lock:
            for entry in self.log.entries_of_types(retention.IDENTITY_EVENTS, after=searched):
                person = retention.subject(entry.payload or {})
                if person is not None:
                    recent.add(person)  # identity given while the record was searched
            forgotten = retention.to_forget(self._state, set(expired.values()), recent)
            chosen = [seq for seq, person in expired.items() if person in forgotten]
            if not chosen:
                return 0
            self._state = retention.forget(self._state, forgotten)
            seq, head_hash = self.log.head()
            self.take_snapshot(seq, head_hash)
            count = self.log.redact(chosen)
            self.log.drop_snapshots_before(seq)
            return count

    def take_snapshot(self, seq: int, head_hash: str) -> None:
        """Keep the current state, as it is after entry ``seq``."""
        data = snapshot.dump(self._state)
        self.log.save_snapshot(Snapshot(seq, head_hash, snapshot.site_digest(self.site), data))


def recorded_events(log: EventLog, after: int = 0) -> Iterator[Event]:
    """The recorded events after entry ``after``, in order (a redacted entry has no payload and is skipped)."""
    for entry in log.entries(after):
        if entry.payload is not None:
            yield from_payload(entry.payload)
