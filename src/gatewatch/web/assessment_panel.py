"""What the person page adds for those who work on people (leads, analysts, admins): the pathway
assessment, its signals marked on the depth chart, and the newest rows of the timeline.

A guard is given none of it: not the panel, not the marks in the chart's data, not the timeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gatewatch.bootstrap import Services
from gatewatch.core.state import State
from gatewatch.service.permissions import Actor
from gatewatch.service.timeline import cited, event_refs, person_assessment, person_timeline
from gatewatch.views.discretion import hidden_from
from gatewatch.views.timeline import (
    AssessmentOut,
    SignalMarkOut,
    TimelineOut,
    assessment_view,
    signal_marks,
    timeline_view,
)
from gatewatch.web.render import PEOPLE_WORKERS

PAGE_ROWS = 25
"""Timeline rows on the person page; the rest page by page on the timeline's own page."""


def chart_visits(state: State, person: str) -> list[dict[str, Any]]:
    """The visits the engine traced for the person (up to ``MAX_VISITS``, oldest first), each its
    start and deepest level: the depth chart's points, those at the street included. Empty when
    none was traced (the page then charts the visits of its file)."""
    pathway = state.pathways.get(person)
    if pathway is None:
        return []
    return [{"at": visit.arrived.at.isoformat(), "level": visit.deepest} for visit in pathway.visits]


@dataclass(frozen=True, slots=True)
class Insight:
    assessment: AssessmentOut
    marks: list[SignalMarkOut]
    timeline: TimelineOut


def insight_for(services: Services, person: str, viewer: Actor, depth: Sequence[dict[str, Any]]) -> Insight | None:
    """The assessment, its marks on the chart of ``depth`` (each visit's ``at`` and ``level``, oldest
    first) and the timeline's newest rows; ``None`` for a viewer who is not shown them."""
    if viewer.role not in PEOPLE_WORKERS:
        return None
    state = services.desk.state
    found = person_assessment(state, person)
    if found is None:
        return None
    refs = event_refs(services.log, cited(found))
    marks = signal_marks(found, [(str(v["at"]), int(v["level"])) for v in depth], refs)
    rows = person_timeline(services.log, state, person, PAGE_ROWS, hidden=hidden_from(viewer))
    return Insight(assessment_view(found, refs, viewer), marks, timeline_view(rows, state, viewer, PAGE_ROWS))
