"""Entries as a site's record holds them, for the sync's tests: YAML events played through the
engine and appended to a real event log (SQLite), then read back from it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from gatewatch.core.engine import run
from gatewatch.core.events import to_payload
from gatewatch.core.site import Site
from gatewatch.store.chain import Entry
from gatewatch.store.log import EventLog, Submission
from support import events, site, start_state


def recorded(folder: Path, text: str, on: Site | None = None, redact: tuple[str, ...] = ()) -> dict[str, Entry]:
    """The events of ``text`` as recorded at the test site (or ``on``), by event id; those named in
    ``redact`` redacted as the retention rules redact them."""
    chosen = on or site()
    played = events(text, chosen)
    outcomes = [outcome for _, outcome in run(start_state(chosen), played)]
    submissions = [
        Submission(
            event_id=event.id,
            type=event.type,
            at=event.at.isoformat(),
            payload=to_payload(event),
            outcome=outcome.to_dict(),
            submitted_by="lena",
            received=(event.at + timedelta(seconds=1)).isoformat(),
        )
        for event, outcome in zip(played, outcomes, strict=True)
    ]
    log = EventLog.open(f"sqlite:///{folder / 'gatewatch.db'}")
    try:
        log.append_many(submissions)
        found = {entry.event_id: entry for entry in log.entries()}
        if redact:
            log.redact(found[event_id].seq for event_id in redact)
            found = {entry.event_id: entry for entry in log.entries()}
        assert log.verify().ok
    finally:
        log.close()
    return found
