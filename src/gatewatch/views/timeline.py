"""A person's timeline and pathway assessment, as the API answers and the console shows them (pure).

The read models (Pydantic), made from the core's ``Timeline`` and ``Assessment``, the cited
events' places in the record, and the viewer (an entry's hash only for those shown everything it
covers: ``gatewatch.views.discretion.hash_for``). ``signal_marks`` places each signal's events on
the depth chart: at the visit the event belongs to (the last visit begun at or before it, else the
first), at that visit's deepest level.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from gatewatch.core import wording
from gatewatch.core.pathway import Assessment
from gatewatch.core.state import State
from gatewatch.core.timeline import Kind, Row, Timeline, VisitLine
from gatewatch.service.permissions import Actor
from gatewatch.service.timeline import EventRef
from gatewatch.views.discretion import hash_for


class VisitDetailOut(BaseModel):
    arrived: str
    door: str | None
    left: str | None = Field(description="When they left (none: not known to have left, or still here)")
    left_event: str | None
    minutes: int | None = Field(description="How long the visit lasted")
    time_of_day: str = Field(description="Site time of arrival, HH:MM")
    deepest: int | None = Field(description="The deepest zone level reached (none: no trace of the visit kept)")
    deepest_zone: str | None
    deepest_zone_name: str | None
    deepest_event: str | None
    escorted: bool | None = Field(description="An escort was with them where they went deepest")
    screening: Literal["clear", "found", "refused"] | None
    surrendered: list[str]
    refused: list[str]
    wearing: list[str]


class TimelineAlertOut(BaseModel):
    code: str
    severity: str
    message: str


class TimelineRowOut(BaseModel):
    kind: Kind
    at: str
    summary: str = Field(description="What happened, in plain words")
    event: str = Field(description="The event's id in the record")
    seq: int = Field(description="The entry's position in the record")
    hash: str = Field(description="The entry's hash (empty for a viewer not shown everything it covers)")
    type: str = Field(description="The event's type")
    decision: str | None
    visit: VisitDetailOut | None = None
    alert: TimelineAlertOut | None = None


class TimelineOut(BaseModel):
    """A page of a person's timeline: the newest rows first."""

    person: str
    rows: list[TimelineRowOut]
    limit: int
    more: bool = Field(description="Older rows exist: ask again with before")
    before: int | None = Field(description="The position to ask the next (older) page before")


class EventRefOut(BaseModel):
    event: str
    seq: int | None = Field(description="Its position in the record (none: not found there)")
    hash: str
    type: str | None
    at: str | None


class SignalOut(BaseModel):
    code: str
    label: str
    points: float
    detail: str
    events: list[EventRefOut]


class BehaviourOut(BaseModel):
    name: str
    label: str
    present: bool
    because: str
    events: list[EventRefOut]


class AssessmentOut(BaseModel):
    """A person's pathway score with the signals that made it, and TRAP-18's eight warning behaviours."""

    person: str
    scored: bool = Field(description="False for those not scored: not visitors, or trusted")
    score: float
    threshold: float
    over: bool
    signals: list[SignalOut] = Field(description="The signals with points, highest first")
    behaviours: list[BehaviourOut] = Field(description="All eight, in TRAP-18's order")


class SignalMarkOut(BaseModel):
    """One event behind a signal, placed on the depth chart."""

    signal: str
    label: str
    event: str
    at: str
    visit: int = Field(description="The chart's visit (index) it is drawn at")
    level: int


def timeline_view(found: Timeline, state: State, viewer: Actor, limit: int) -> TimelineOut:
    return TimelineOut(
        person=found.person,
        rows=[_row(row, state, viewer) for row in found.rows],
        limit=limit,
        more=found.more,
        before=found.before,
    )


def _row(row: Row, state: State, viewer: Actor) -> TimelineRowOut:
    return TimelineRowOut(
        kind=row.kind,
        at=row.at.isoformat(),
        summary=row.summary,
        event=row.event,
        seq=row.seq,
        hash=hash_for(row.hash, viewer),
        type=row.type,
        decision=row.decision,
        visit=_visit(row.visit, state) if row.visit is not None else None,
        alert=TimelineAlertOut(code=row.alert.code, severity=row.alert.severity, message=row.alert.message)
        if row.alert is not None
        else None,
    )


def _visit(line: VisitLine, state: State) -> VisitDetailOut:
    zone = line.deepest_zone
    return VisitDetailOut(
        arrived=line.arrived.isoformat(),
        door=line.door,
        left=line.left.isoformat() if line.left is not None else None,
        left_event=line.left_event,
        minutes=line.minutes,
        time_of_day=line.time_of_day,
        deepest=line.deepest,
        deepest_zone=zone,
        deepest_zone_name=wording.zone(state, zone) if zone is not None and zone in state.site.zones else None,
        deepest_event=line.deepest_event,
        escorted=line.escorted,
        screening=line.screening,  # type: ignore[arg-type]
        surrendered=list(line.surrendered),
        refused=list(line.refused),
        wearing=list(line.wearing),
    )


def assessment_view(found: Assessment, refs: Mapping[str, EventRef], viewer: Actor) -> AssessmentOut:
    def cite(events: Sequence[str]) -> list[EventRefOut]:
        return [_ref(event, refs.get(event), viewer) for event in events]

    return AssessmentOut(
        person=found.person,
        scored=found.scored,
        score=found.score,
        threshold=found.threshold,
        over=found.over,
        signals=[
            SignalOut(code=s.code, label=s.label, points=s.points, detail=s.detail, events=cite(s.events))
            for s in found.signals
        ],
        behaviours=[
            BehaviourOut(name=b.name, label=b.label, present=b.present, because=b.because, events=cite(b.events))
            for b in found.behaviours
        ],
    )


def _ref(event: str, ref: EventRef | None, viewer: Actor) -> EventRefOut:
    if ref is None:
        return EventRefOut(event=event, seq=None, hash="", type=None, at=None)
    return EventRefOut(event=event, seq=ref.seq, hash=hash_for(ref.hash, viewer), type=ref.type, at=ref.at)


def signal_marks(
    found: Assessment, visits: Sequence[tuple[str, int]], refs: Mapping[str, EventRef]
) -> list[SignalMarkOut]:
    """Each signal's events on the chart of ``visits`` (oldest first: each its start, ISO, and deepest
    level), signal by signal.

    An event not found in the record, or a chart without visits, has no place: it is left out.
    """
    if not visits:
        return []
    starts = [datetime.fromisoformat(at) for at, _ in visits]
    marks: list[SignalMarkOut] = []
    for signal in found.signals:
        for event in signal.events:
            ref = refs.get(event)
            if ref is None:
                continue
            index = max(0, bisect_right(starts, datetime.fromisoformat(ref.at)) - 1)
            marks.append(
                SignalMarkOut(
                    signal=signal.code,
                    label=signal.label,
                    event=event,
                    at=ref.at,
                    visit=index,
                    level=visits[index][1],
                )
            )
    return marks
