"""A person's whole timeline, page by page (newest first): for leads, analysts and admins only.

A guard is refused the page (403); the person page never links it for them. Each page read is
recorded as a read of the person's file.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from gatewatch.core.timeline import MOST_ROWS
from gatewatch.service.timeline import person_timeline
from gatewatch.store.schema import MAX_SEQ
from gatewatch.views.discretion import hidden_from
from gatewatch.views.timeline import timeline_view
from gatewatch.web.access import Viewer, Wired
from gatewatch.web.render import PEOPLE_WORKERS, page

router = APIRouter()

PAGE = 100
"""Rows on one page of the timeline."""


@router.get("/people/{person_id}/timeline", response_class=HTMLResponse, include_in_schema=False)
def timeline_page(
    request: Request,
    person_id: str,
    user: Viewer,
    wired: Wired,
    before: Annotated[int | None, Query(ge=1, le=MAX_SEQ)] = None,
    limit: Annotated[int, Query(ge=1, le=MOST_ROWS)] = PAGE,
) -> HTMLResponse:
    state = wired.desk.state
    person = state.people.get(person_id)
    if user.role not in PEOPLE_WORKERS:
        refused = page(request, "timeline.html", user, refused=True, person=person_id, name=person_id)
        refused.status_code = 403
        return refused
    if person is None:
        missing = page(request, "timeline.html", user, missing=True, person=person_id, name=person_id)
        missing.status_code = 404
        return missing
    wired.accounts.record_read(wired.clock().isoformat(), user.name, person_id)
    found = person_timeline(wired.log, state, person_id, limit, before, hidden_from(user))
    view = timeline_view(found, state, user, limit)
    return page(request, "timeline.html", user, person=person_id, name=person.name, view=view, before=before)
