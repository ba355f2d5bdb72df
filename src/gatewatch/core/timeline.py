"""A person's timeline: what the record holds of them, one row per thing that happened, newest first.

The shell reads the entries that name the person (``Recorded``: the typed event, what the engine
decided, the alerts it raised, and the entry's position and hash, as plain values) and hands them
over with the engine's traces of their visits (``State.pathways[person].visits``). Procedure:

1. Each ``arrive`` naming the person is a **visit** row. With its trace (the trace whose arrival
   is that event): the deepest level and zone reached, the hour, whether an escort was with them
   there, the screening, what they surrendered, refused and wore, and when they left (not known
   when the engine closed it at their next arrival, with no ``leave`` between). Without one
   (staff, or a visit older than the traces kept): the door, and the time they left when their
   next ``leave`` is among the entries. A ``leave`` in a visit's row (its trace's, on any page;
   else the arrival's next one, on the same page) is not a row of its own.
2. Every other entry that names them (or a badge of a card they held) is a row of its kind: a
   request or a badge (a **denied** one when the engine denied it), an observation, an identity
   change (register, identify, verify, vouch, vet), an invitation, a screening (at the door, or
   against the watchlists), a concern, a credential, an override or waiver, a case; anything
   else says its fields. A redacted entry is a row that says so. A move is in its visit already:
   it, like an entry that does not name them, is there only for the alerts it raised.
3. Each alert an entry raised that names the person is an **alert** row after that entry's row
   (a code the viewer is not shown is left out).
4. Rows are ordered newest entry first, an entry's own row before its alerts. At most ``limit``
   rows, the newest, and an entry's rows are not split across the cut (unless that entry alone
   has more): ``more`` says older rows exist (cut here, or older entries the shell did not read),
   and ``before`` is the position to read the next page before.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Literal

import msgspec

from gatewatch.core import wording
from gatewatch.core.events import (
    Arrive,
    Badge,
    Concern,
    Credential,
    Event,
    Identify,
    Invite,
    Leave,
    Observe,
    Override,
    Register,
    Request,
    Revoke,
    Screen,
    Verify,
    Vet,
    Vouch,
    Waive,
    WatchlistCheck,
    people_named,
)
from gatewatch.core.pathway import VisitTrace
from gatewatch.core.state import State

MOST_ROWS = 500
"""The most rows one timeline holds (a page); older ones are read page by page."""

Kind = Literal[
    "visit",
    "request",
    "denied request",
    "badge",
    "denied badge",
    "observation",
    "alert",
    "identity",
    "invitation",
    "screening",
    "concern",
    "credential",
    "override",
    "case",
    "other",
]
IDENTITY_TYPES = frozenset({"register", "identify", "verify", "vouch", "vet"})


class RecordedAlert(msgspec.Struct, frozen=True):
    code: str
    severity: str
    subjects: tuple[str, ...]
    message: str


class Recorded(msgspec.Struct, frozen=True):
    """One entry of the record as the timeline reads it (the shell reads the record; the core never does)."""

    seq: int
    hash: str
    event_id: str
    type: str
    at: datetime
    event: Event | None
    """The typed event; ``None`` when its payload was redacted (or no longer reads)."""
    decision: str | None = None
    reasons: tuple[str, ...] = ()
    alerts: tuple[RecordedAlert, ...] = ()


class VisitLine(msgspec.Struct, frozen=True):
    """A visit as its row shows it; what is not known is ``None``."""

    arrived: datetime
    door: str | None
    left: datetime | None
    left_event: str | None
    minutes: int | None
    time_of_day: str
    deepest: int | None = None
    deepest_zone: str | None = None
    deepest_event: str | None = None
    escorted: bool | None = None
    screening: str | None = None
    surrendered: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()
    wearing: tuple[str, ...] = ()


class Row(msgspec.Struct, frozen=True):
    kind: Kind
    at: datetime
    summary: str
    event: str
    seq: int
    hash: str
    type: str
    decision: str | None = None
    visit: VisitLine | None = None
    alert: RecordedAlert | None = None


class Timeline(msgspec.Struct, frozen=True):
    person: str
    rows: tuple[Row, ...]
    more: bool
    before: int | None
    """Read the next (older) page before this position; ``None`` when there is none."""


def timeline(
    state: State,
    person: str,
    entries: Iterable[Recorded],
    visits: Sequence[VisitTrace],
    limit: int,
    older: bool = False,
    hidden: frozenset[str] = frozenset(),
) -> Timeline:
    """The person's timeline from their entries (any order) and visit traces; see the module's procedure.

    ``older``: the shell holds older entries than those given. ``limit`` is held to 1 … ``MOST_ROWS``.
    """
    cap = max(1, min(limit, MOST_ROWS))
    ordered = sorted({e.seq: e for e in entries}.values(), key=lambda e: e.seq)
    traces = {trace.arrived.event: trace for trace in visits}
    folded = _folded_leaves(ordered, person, traces)
    inside = {leave.event_id for leave in folded.values()} | {t.left_event for t in visits if t.left_event}
    groups: list[list[Row]] = []
    for entry in ordered:
        own = not (isinstance(entry.event, Leave) and entry.event_id in inside)
        rows = _rows_of(state, person, entry, traces, folded, hidden, own=own)
        if rows:
            groups.append(rows)
    shown: list[Row] = []
    cut = False
    for rows in reversed(groups):
        if shown and len(shown) + len(rows) > cap:
            cut = True
            break
        shown.extend(rows[: cap - len(shown)])
        if len(rows) > cap:
            cut = True
    more = cut or older
    return Timeline(person, tuple(shown), more, min(r.seq for r in shown) if more and shown else None)


def _folded_leaves(ordered: Sequence[Recorded], person: str, traces: dict[str, VisitTrace]) -> dict[str, Recorded]:
    """Each arrival's leave shown in its visit row: the trace's, else their next leave (no arrival between)."""
    folded: dict[str, Recorded] = {}
    open_arrival: str | None = None
    present = {e.event_id: e for e in ordered}
    for entry in ordered:
        if isinstance(entry.event, Arrive) and person in entry.event.people:
            trace = traces.get(entry.event_id)
            open_arrival = None
            if trace is None:
                open_arrival = entry.event_id
            elif (left := present.get(trace.left_event or "")) is not None and isinstance(left.event, Leave):
                folded[entry.event_id] = left  # not the next arrival, where the engine closed a visit never ended
        elif isinstance(entry.event, Leave) and person in entry.event.people and open_arrival is not None:
            folded[open_arrival] = entry
            open_arrival = None
    return folded


def _rows_of(
    state: State,
    person: str,
    entry: Recorded,
    traces: dict[str, VisitTrace],
    folded: dict[str, Recorded],
    hidden: frozenset[str],
    own: bool,
) -> list[Row]:
    rows: list[Row] = []
    mine = _own_row(state, person, entry, traces, folded) if own else None
    if mine is not None:
        rows.append(mine)
    for alert in entry.alerts:
        if person in alert.subjects and alert.code not in hidden:
            summary = f"{alert.severity} · {alert.code}: {alert.message}"
            rows.append(_row(entry, "alert", summary, alert=alert))
    return rows


def _row(entry: Recorded, kind: Kind, summary: str, **more: object) -> Row:
    return msgspec.structs.replace(
        Row(kind, entry.at, summary, entry.event_id, entry.seq, entry.hash, entry.type, entry.decision), **more
    )


def _own_row(
    state: State, person: str, entry: Recorded, traces: dict[str, VisitTrace], folded: dict[str, Recorded]
) -> Row | None:
    event = entry.event
    if entry.type in ("move", "tick"):
        return None
    if event is None:
        return _row(entry, _kind_of_type(entry), f"{entry.type}: redacted (the retention rules removed its details)")
    if person not in people_named(event) and not isinstance(event, Badge):
        return None  # there for its alerts alone (a badge names a card: the shell chose it by its holder)
    if isinstance(event, Arrive):
        line = _visit_line(event, traces.get(entry.event_id), folded.get(entry.event_id), traces)
        return _row(entry, "visit", _visit_summary(state, event, person, line), visit=line)
    said = _said(state, person, event, entry)
    return _row(entry, said[0], said[1])


def _kind_of_type(entry: Recorded) -> Kind:
    denied = entry.decision == "deny"
    if entry.type == "request":
        return "denied request" if denied else "request"
    if entry.type == "badge":
        return "denied badge" if denied else "badge"
    simple: dict[str, Kind] = {
        "arrive": "visit",
        "leave": "visit",
        "observe": "observation",
        "invite": "invitation",
        "screen": "screening",
        "watchlist_check": "screening",
        "concern": "concern",
        "credential": "credential",
        "revoke": "credential",
        "override": "override",
        "waive": "override",
    }
    if entry.type in IDENTITY_TYPES:
        return "identity"
    if entry.type.startswith("case_") or entry.type == "note_read":
        return "case"
    return simple.get(entry.type, "other")


def _visit_line(
    event: Arrive, trace: VisitTrace | None, leave: Recorded | None, traces: dict[str, VisitTrace]
) -> VisitLine:
    """The visit's row; a trace the engine closed at the next arrival (``left_event`` is that
    visit's) was never seen to end: not known to have left, for no known time."""
    arrived = event.at
    left_at = leave.at if leave is not None else None
    left_event = leave.event_id if leave is not None else None
    if trace is not None:
        ended = trace.left_event is not None and trace.left_event not in traces
        left_at, left_event = (trace.left, trace.left_event) if ended else (None, None)
    if left_at is not None:  # the site's clock as the arrival shows it (the record may hold another offset)
        left_at = left_at.astimezone(arrived.tzinfo)
    minutes = int((left_at - arrived).total_seconds() // 60) if left_at is not None else None
    line = VisitLine(
        arrived=arrived,
        door=event.door,
        left=left_at,
        left_event=left_event,
        minutes=minutes,
        time_of_day=arrived.strftime("%H:%M"),
        wearing=tuple(event.wearing),
    )
    if trace is None:
        return line
    return msgspec.structs.replace(
        line,
        deepest=trace.deepest,
        deepest_zone=trace.deepest_zone,
        deepest_event=trace.deepest_event,
        escorted=trace.escorted,
        screening=trace.screening,
        surrendered=trace.surrendered,
        refused=trace.refused,
        wearing=trace.wearing or tuple(event.wearing),
    )


def _visit_summary(state: State, event: Arrive, person: str, line: VisitLine) -> str:
    parts = [f"Arrived at {_door(state, event.door)} at {line.time_of_day}"]
    others = [p for p in event.people if p != person]
    if others:
        parts[0] += f" with {wording.people(state, others)}"
    if line.deepest is not None:
        where = f"{_zone(state, line.deepest_zone)} (level {line.deepest})" if line.deepest_zone else "no further"
        escort = "" if line.escorted is None else (", escorted" if line.escorted else ", unescorted")
        parts.append(f"reached {where}{escort}")
    if line.screening is not None:
        parts.append(f"screened: {line.screening}")
    elif line.deepest is not None:
        parts.append("not screened")
    if line.surrendered:
        parts.append(f"surrendered {', '.join(line.surrendered)}")
    if line.refused:
        parts.append(f"refused to hand over {', '.join(line.refused)}")
    if line.wearing:
        parts.append(f"wearing {', '.join(line.wearing)}")
    if line.left is not None and line.minutes is not None:
        parts.append(f"left at {line.left:%H:%M} after {_duration(line.minutes)}")
    elif line.left_event is None:
        parts.append("not known to have left")
    return "; ".join(parts)


def _said(state: State, person: str, event: Event, entry: Recorded) -> tuple[Kind, str]:
    """The row's kind and its words for an event other than an arrival."""
    decision = {"grant": "granted", "deny": "denied"}.get(entry.decision or "", "")
    because = f" ({', '.join(entry.reasons)})" if entry.reasons and entry.decision == "deny" else ""
    by = _by(state, event)
    match event:
        case Leave():
            return "visit", "Left the site"
        case Request():
            if person in event.for_:
                said = f"Asked in at {_door(state, event.door)} by {wording.person(state, event.by)}"
            else:
                said = f"Asked {_door(state, event.door)} for {wording.people(state, event.for_)}"
            return _kind_of_type(entry), f"{said}: {decision or 'no decision'}{because}"
        case Badge():
            reader = state.site.readers.get(event.reader)
            where = f"reader {reader.name}" if reader is not None else f"reader {event.reader}"
            return _kind_of_type(entry), f"Badge {event.credential} at {where}: {decision or 'no decision'}{because}"
        case Observe():
            seen = ", ".join(event.indicators)
            if event.person == person:
                return "observation", f"Observed by {wording.person(state, event.by)}: {seen}"
            return "observation", f"Observed {wording.person(state, event.person)}: {seen}"
        case Invite():
            when = f" for {event.date:%Y-%m-%d}" if event.date else ""
            why = f" ({event.purpose})" if event.purpose else ""
            private = ", private" if event.private else ""
            if event.person == person:
                return "invitation", f"Invited by {wording.person(state, event.by)}{when}{why}{private}"
            return "invitation", f"Invited {wording.person(state, event.person)}{when}{why}{private}"
        case Screen():
            if event.person != person:
                return "screening", f"Screened {wording.person(state, event.person)}: {event.result}"
            said = f"Screened by {wording.person(state, event.by)}: {event.result}"
            for label, items in (("found", event.found), ("surrendered", event.surrendered)):
                if items:
                    said += f"; {label} {', '.join(items)}"
            if event.refused:
                said += f"; refused to hand over {', '.join(event.refused)}"
            return "screening", said
        case WatchlistCheck():
            return "screening", f"Checked against the watchlists by {event.screened_by}: {event.result}"
        case Register():
            return "identity", f"Registered as {event.person.name} ({event.person.role})"
        case Identify():
            return "identity", _identified(event)
        case Verify():
            return "identity", f"Claim of {event.claim} {event.result}, checked by {wording.person(state, event.by)}"
        case Vouch():
            if event.for_ == person:
                return "identity", f"Vouched for by {wording.person(state, event.by)}"
            return "identity", f"Vouched for {wording.person(state, event.for_)}"
        case Vet():
            if event.person == person:
                return "identity", f"Vetted as {event.clearance} by {wording.person(state, event.by)}"
            return "identity", f"Vetted {wording.person(state, event.person)} as {event.clearance}"
        case Concern():
            opened = "Made a person of concern" if event.open else "Concern cleared"
            return "concern", f"{opened} by {wording.person(state, event.by)}"
        case Credential():
            return "credential", f"Given credential {event.credential} ({event.kind}){by}"
        case Revoke():
            return "credential", f"Credential {event.credential} revoked{by}"
        case Override():
            approved = f", approved by {wording.person(state, event.approved_by)}" if event.approved_by else ""
            return "override", f"Override of request {event.request}{by}{approved}"
        case Waive():
            return "override", f"Waiver of {', '.join(event.rules)} for {wording.person(state, event.for_)}{by}"
    kind = _kind_of_type(entry)
    if kind == "case":
        case = getattr(event, "case", "")
        return kind, f"{entry.type.replace('_', ' ').capitalize()} · case {case}{by}"
    return kind, f"{entry.type}: {wording.describe(event)}"


def _identified(event: Identify) -> str:
    gave = []
    if event.name:
        gave.append(f"the name {event.name}")
    if event.document:
        gave.append(f"{event.document.kind} {event.document.country} {event.document.number}")
    for label, value in (
        ("address", event.address),
        ("employer", event.employer),
        ("phone", event.phone),
        ("vehicle", event.vehicle),
    ):
        if value:
            gave.append(f"{label} {value}")
    if event.birth_date:
        gave.append(f"born {event.birth_date:%Y-%m-%d}")
    return "Identity claimed: " + ("; ".join(gave) or "nothing new")


def _by(state: State, event: Event) -> str:
    by = getattr(event, "by", None)
    return f" by {wording.person(state, by)}" if isinstance(by, str) else ""


def _door(state: State, door: str) -> str:
    return wording.door(state, door) if door in state.site.doors else f"door {door}"


def _zone(state: State, zone: str | None) -> str:
    return wording.zone(state, zone) if zone is None or zone in state.site.zones else f"zone {zone}"


def _duration(minutes: int) -> str:
    hours, rest = divmod(max(0, minutes), 60)
    return f"{hours} h {rest} min" if hours else f"{rest} min"
