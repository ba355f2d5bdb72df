"""What the person page adds for those who work on people (leads, analysts, admins): the pathway
assessment, its signals marked on the depth chart, and the newest rows of the timeline.

A guard is given none of it: not the panel, not the marks in the chart's data, not the timeline.
Every time the chart is given is on the site's clock (``gatewatch.views.site_clock``), whatever
offset the state or the record holds it with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gatewatch.bootstrap import Services
from gatewatch.core.state import State
from gatewatch.service.permissions import Actor
from gatewatch.service.timeline import cited, event_refs, person_assessment, person_timeline
from gatewatch.views.discretion import hidden_from
from gatewatch.views.site_clock import on_site, site_zone
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
    start (ISO 8601, on the site's clock) and deepest level: the depth chart's points, those at the
    street included. Empty when none was traced (the page then charts the visits of its file)."""
    pathway = state.pathways.get(person)
    if pathway is None:
        return []
    zone = site_zone(state.site)
    return [{"at": on_site(visit.arrived.at, zone), "level": visit.deepest} for visit in pathway.visits]


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
    zone = site_zone(state.site)
    marks = [
        mark.model_copy(update={"at": on_site(datetime.fromisoformat(mark.at), zone)})
        for mark in signal_marks(found, [(str(v["at"]), int(v["level"])) for v in depth], refs)
    ]
    rows = person_timeline(services.log, state, person, PAGE_ROWS, hidden=hidden_from(viewer))
    return Insight(assessment_view(found, refs, viewer), marks, timeline_view(rows, state, viewer, PAGE_ROWS))
