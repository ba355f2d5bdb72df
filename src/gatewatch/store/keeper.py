"""The server's checkpoints: one every so many events or minutes, whichever comes first, and one at shutdown.

``keep_checkpoints`` runs in a thread of its own (the API's lifespan starts it with
``asyncio.to_thread``) until its ``stop`` event is set.
"""

from __future__ import annotations

import logging
import threading
import time

from gatewatch.store.checkpoint import CheckpointPlace, RecordState, make_checkpoint, read_checkpoints, record_state
from gatewatch.store.log import EventLog

EVERY_EVENTS = 1_000
EVERY_SECONDS = 300.0
POLL_SECONDS = 1.0

logger = logging.getLogger("gatewatch.record")


def checkpoint_if_changed(log: EventLog, place: CheckpointPlace, site: str) -> bool:
    """Sign a checkpoint if the record changed since the newest one (e.g. at shutdown); whether one was made."""
    newest = read_checkpoints(place, only_newest=True).newest
    if newest is not None and newest.site == site and newest.state == record_state(log):
        return False
    make_checkpoint(place, log, site)
    return True


def keep_checkpoints(
    log: EventLog,
    place: CheckpointPlace,
    site: str,
    stop: threading.Event,
    every_events: int = EVERY_EVENTS,
    every_seconds: float = EVERY_SECONDS,
    poll_seconds: float = POLL_SECONDS,
) -> int:
    """Sign a checkpoint after every ``every_events`` new entries or ``every_seconds`` with anything new, until stopped.

    Returns how many checkpoints were made. A failure is logged and tried again at the next turn.
    The last one, at shutdown, is ``checkpoint_if_changed`` once the desk has written all it holds.
    """
    newest = read_checkpoints(place, only_newest=True).newest
    signed: RecordState | None = newest.state if newest is not None else None
    since = time.monotonic()
    made = 0
    while not stop.wait(poll_seconds):
        try:
            due = time.monotonic() - since >= every_seconds
            if not due and log.head()[0] - (signed.seq if signed else 0) < every_events:
                continue
            if record_state(log) != signed:
                signed = make_checkpoint(place, log, site).state
                made += 1
            since = time.monotonic()
        except Exception:  # the record itself is untouched; the next turn tries again
            logger.exception("checkpoint: could not sign one")
    return made
