"""A person's timeline and pathway assessment: for leads, analysts and admins only.

A guard is refused both (403): a timeline lists everything the record holds of someone, a
colleague's requests, overrides and dismissed alarms included, and an assessment is a judgement
on a visitor that stays with those who work on people. Each read is recorded as a read of the
person's file.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query

from gatewatch.api.access import needs
from gatewatch.core.timeline import MOST_ROWS
from gatewatch.http.access import Wired
from gatewatch.service import timeline as service
from gatewatch.service.permissions import Actor, UserRole
from gatewatch.store.schema import MAX_SEQ
from gatewatch.views.discretion import hidden_from
from gatewatch.views.timeline import AssessmentOut, TimelineOut, assessment_view, timeline_view

router = APIRouter(tags=["people"])

Reader = Annotated[Actor, Depends(needs(UserRole.LEAD, UserRole.ANALYST, UserRole.ADMIN))]
PersonId = Annotated[str, Path(min_length=1, max_length=200, description="The person's id")]


def _known(wired: Wired, person_id: str, user: Actor) -> None:
    if person_id not in wired.desk.state.people:
        raise HTTPException(404, f'no person "{person_id}" is known on this site')
    wired.accounts.record_read(wired.clock().isoformat(), user.name, person_id)


@router.get("/people/{person_id}/timeline", summary="A person's timeline, newest first", response_model=TimelineOut)
def person_timeline(
    person_id: PersonId,
    user: Reader,
    wired: Wired,
    limit: Annotated[int, Query(ge=1, le=MOST_ROWS, description="The most rows in this page")] = 100,
    before: Annotated[
        int | None, Query(ge=1, le=MAX_SEQ, description="Only what was recorded before this position (the next page)")
    ] = None,
) -> TimelineOut:
    """Every visit (deepest level and zone, time of day, duration, escort, screening, what was surrendered
    or refused), denied requests and badges, observations, alerts naming them, identity changes,
    invitations, screenings and cases: the newest ``limit`` rows, then ``before`` for the older ones."""
    _known(wired, person_id, user)
    state = wired.desk.state
    found = service.person_timeline(wired.log, state, person_id, limit, before, hidden_from(user))
    return timeline_view(found, state, user, limit)


@router.get("/people/{person_id}/assessment", summary="A person's pathway assessment", response_model=AssessmentOut)
def person_assessment(person_id: PersonId, user: Reader, wired: Wired) -> AssessmentOut:
    """The score against the site's threshold, each signal with its points and the events behind it,
    and TRAP-18's eight warning behaviours, present or not, and why. Only visitors below trusted are
    scored (``scored: false`` for the others)."""
    _known(wired, person_id, user)
    found = service.person_assessment(wired.desk.state, person_id)
    if found is None:
        raise HTTPException(404, f'no person "{person_id}" is known on this site')
    return assessment_view(found, service.event_refs(wired.log, service.cited(found)), user)
