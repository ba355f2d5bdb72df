"""The guard desk: decide each event with the engine and keep it in the record, in one step.

On opening, the engine's state is rebuilt by replaying every recorded event through ``step``
(the engine is deterministic, so the same events give the same state). Submitting an event
decides it, appends the event and its outcome to the log, and only then makes the new state
current: what the desk acknowledges is on disk. Sending an event again returns the outcome
recorded the first time; reusing its id for other content is refused (``IdConflict``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gatewatch.core.engine import step
from gatewatch.core.events import Event, from_payload, to_payload
from gatewatch.core.site import PersonSpec, Site
from gatewatch.core.state import State, WatchEntry, initial_state
from gatewatch.store.log import EventLog, Submission


@dataclass(frozen=True, slots=True)
class Decided:
    """What the desk answers for a submitted event: the recorded outcome and its place in the log."""

    outcome: dict[str, Any]
    seq: int
    hash: str
    duplicate: bool


class Desk:
    def __init__(self, site: Site, log: EventLog, state: State) -> None:
        self.site = site
        self.log = log
        self._state = state
        self._lock = threading.Lock()

    @classmethod
    def open(
        cls, site: Site, log: EventLog, people: tuple[PersonSpec, ...] = (), watchlist: tuple[WatchEntry, ...] = ()
    ) -> Desk:
        """The desk with its state rebuilt from the whole record."""
        state = initial_state(site, people, watchlist)
        for event in recorded_events(log):
            state, _ = step(state, event)
        return cls(site, log, state)

    @property
    def state(self) -> State:
        return self._state

    def submit(self, event: Event, submitted_by: str, received: datetime) -> Decided:
        """Decide and record one event; the new state counts only once the record holds it."""
        with self._lock:
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
            if not appended.duplicate:
                self._state = following
            entry = appended.entry
            return Decided(entry.outcome, entry.seq, entry.hash, appended.duplicate)


def recorded_events(log: EventLog) -> Iterator[Event]:
    """The recorded events in order (a redacted entry has no payload to replay and is skipped)."""
    for entry in log.entries():
        if entry.payload is not None:
            yield from_payload(entry.payload)
