"""A person's timeline and pathway assessment, read from the record and the engine's state.

The timeline's entries come from the person index (``EventLog.entries_naming``: the entries that
name them, moves only when they raised an alert) and, for the badges of the cards they held, from
the credential trail (a badge names a card, not its holder); the core
(``gatewatch.core.timeline``) makes the rows. The assessment is the core's
(``gatewatch.core.pathway.assess``) on the pathway the engine keeps; each event it cites is looked
up in the record for its position, hash and time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec

from gatewatch.core import events as ev
from gatewatch.core.pathway import Assessment, Pathway, assess
from gatewatch.core.state import State
from gatewatch.core.timeline import MOST_ROWS, Recorded, RecordedAlert, Timeline, timeline
from gatewatch.store import credential_trail as trail
from gatewatch.store.chain import Entry
from gatewatch.store.log import EventLog

FOLDED_TYPES = ("move", "tick")
"""Entry types a timeline shows only when they raised an alert (a move is in its visit)."""


@dataclass(frozen=True, slots=True)
class EventRef:
    """Where a cited event is in the record: its position, hash, type and time."""

    event: str
    seq: int
    hash: str
    type: str
    at: str


def recorded(entry: Entry) -> Recorded:
    """An entry as the core's timeline reads it: the typed event (none once redacted), the decision and alerts."""
    event: ev.Event | None = None
    if entry.payload is not None:
        try:
            event = ev.from_payload(entry.payload)
        except (msgspec.ValidationError, TypeError, ValueError):
            event = None
    outcome = entry.outcome
    return Recorded(
        seq=entry.seq,
        hash=entry.hash,
        event_id=entry.event_id,
        type=entry.type,
        at=datetime.fromisoformat(entry.at),
        event=event,
        decision=outcome.get("decision"),
        reasons=tuple(str(r) for r in outcome.get("reasons", ())),
        alerts=tuple(_alert(a) for a in outcome.get("alerts", ()) if isinstance(a, dict)),
    )


def _alert(alert: dict[str, Any]) -> RecordedAlert:
    subjects = alert.get("subjects", ())
    return RecordedAlert(
        code=str(alert.get("code", "")),
        severity=str(alert.get("severity", "")),
        subjects=tuple(str(s) for s in subjects) if isinstance(subjects, list) else (),
        message=str(alert.get("message", "")),
    )


def person_timeline(
    log: EventLog,
    state: State,
    person: str,
    limit: int,
    before: int | None = None,
    hidden: frozenset[str] = frozenset(),
) -> Timeline:
    """The newest ``limit`` rows of the person's timeline (before position ``before``, if given)."""
    wanted = max(1, min(limit, MOST_ROWS))
    named = log.entries_naming(person, wanted, before, unless_alerted=FOLDED_TYPES)
    badges = _badges_of(log, state, person, wanted, before)
    merged = sorted({e.seq: e for e in (*named, *badges)}.values(), key=lambda e: e.seq, reverse=True)
    older = len(named) >= wanted or len(badges) >= wanted or len(merged) > wanted
    kept = merged[:wanted]
    pathway = state.pathways.get(person)
    visits = pathway.visits if pathway is not None else ()
    return timeline(state, person, [recorded(e) for e in kept], visits, wanted, older=older, hidden=hidden)


def _badges_of(log: EventLog, state: State, person: str, limit: int, before: int | None) -> list[Entry]:
    """The badges of the cards the person held, while they held them, newest first (before ``before``)."""
    ever = set(state.credentials_of.get(person, ())) | {i.credential for i in trail.issued_to(log, person)}
    if not ever:
        return []
    spans = [_cut(span, before) for span in trail.held_spans(trail.issuances_of(log, ever), person)]
    found = trail.badges_within(log, [s for s in spans if s is not None], limit)
    entries = log.find_many(b.event for b in found)
    return [entries[b.event] for b in found if b.event in entries]


def _cut(span: trail.Span, before: int | None) -> trail.Span | None:
    if before is None:
        return span
    end = before if span.end is None else min(span.end, before)
    return trail.Span(span.credential, span.start, end) if end > span.start + 1 else None


def person_assessment(state: State, person: str) -> Assessment | None:
    """The person's assessment as of the engine's state; ``None`` for a person nobody knows.

    Scored: visitors below ``trusted`` (``Person.is_visitor``); anyone else is ``scored: false``.
    """
    known = state.people.get(person)
    if known is None:
        return None
    pathway = state.pathways.get(person) or Pathway()
    return assess(person, pathway, state.site.policy.pathway, scored=known.is_visitor)


def cited(assessment: Assessment) -> list[str]:
    """Every event the assessment cites (its signals' and behaviours'), once, in the order cited."""
    ids: dict[str, None] = {}
    for signal in assessment.signals:
        ids.update(dict.fromkeys(signal.events))
    for behaviour in assessment.behaviours:
        ids.update(dict.fromkeys(behaviour.events))
    return list(ids)


def event_refs(log: EventLog, events: Iterable[str]) -> dict[str, EventRef]:
    """Where each of these events is in the record (an id not recorded is left out)."""
    return {
        event_id: EventRef(event_id, entry.seq, entry.hash, entry.type, entry.at)
        for event_id, entry in log.find_many(events).items()
    }
