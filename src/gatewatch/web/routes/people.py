"""People: search by any name or alias, and a person's file with the depth of their visits."""

from __future__ import annotations

from collections import deque
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from gatewatch.core.site import Site
from gatewatch.core.trust import trust_of
from gatewatch.service import intake
from gatewatch.service.cases import cases_in
from gatewatch.service.screening import recorded_screenings
from gatewatch.service.trust import facts_from
from gatewatch.store.alerts import AlertFilter
from gatewatch.views import people as people_views
from gatewatch.views.cases import case_view
from gatewatch.views.concerns import concern_said
from gatewatch.views.discretion import hidden_from
from gatewatch.web.access import Viewer, Wired
from gatewatch.web.assessment_panel import chart_visits, insight_for
from gatewatch.web.credential_file import credential_file
from gatewatch.web.render import PEOPLE_WORKERS, page, problem_of
from gatewatch.web.routes.gate import FORM_ERRORS, fresh_id

router = APIRouter()


@router.get("/people", response_class=HTMLResponse, include_in_schema=False)
def people(request: Request, user: Viewer, wired: Wired, q: str = "") -> HTMLResponse:
    found = people_views.search(wired.desk.state, q, 100) if q.strip() else []
    return page(request, "people.html", user, q=q, found=found)


@router.get("/people/{person_id}", response_class=HTMLResponse, include_in_schema=False)
def person_file(request: Request, person_id: str, user: Viewer, wired: Wired, problem: str = "") -> HTMLResponse:
    state = wired.desk.state
    person = state.people.get(person_id)
    if person is None:
        return page(request, "people.html", user, q=person_id, found=[], missing=person_id)
    wired.accounts.record_read(wired.clock().isoformat(), user.name, person_id)
    naming = wired.alerts.find(AlertFilter(person=person_id, limit=100, hidden=hidden_from(user)))
    file = people_views.person_file(state, person, naming)
    levels = level_names(wired.site)
    depth = chart_visits(state, person_id) or [
        {"at": v.started, "level": v.deepest_level} for v in (*file.visits, *([file.visit] if file.visit else []))
    ]
    ids = {kind: fresh_id(kind) for kind in ("concern", "vet", "screen", "revoke", "case")}
    cards = credential_file(wired.log, state, person_id, wired.clock(), wired.zone)
    trust = trust_of(person_id, facts_from(wired.log))
    screenings = list(deque(recorded_screenings(wired.log, person_id), maxlen=20))[::-1]
    insight = insight_for(wired, person_id, user, depth)  # leads, analysts and admins only
    return page(
        request,
        "person.html",
        user,
        file=file,
        depth=depth,
        levels=levels,
        ids=ids,
        problem=problem,
        trust=trust,
        screenings=screenings,
        card_file=cards,
        insight=insight,
        marks=[mark.model_dump() for mark in insight.marks] if insight else [],
        cases=[case_view(state, case, record) for case, record in cases_in(state, person_id)],
        concern_words=concern_said(
            state, person_id, wired.log.find, wired.zone, sees_cases=user.role in PEOPLE_WORKERS
        ),
    )


@router.post("/people/{person_id}/concern", include_in_schema=False)
def concern(
    person_id: str, user: Viewer, wired: Wired, id: Annotated[str, Form()], open: Annotated[str, Form()]
) -> Response:
    raw = {"id": id, "type": "concern", "person": person_id, "by": user.person, "open": open == "true"}
    return _submit(wired, user, raw, person_id)


@router.post("/people/{person_id}/vet", include_in_schema=False)
def vet(
    person_id: str, user: Viewer, wired: Wired, id: Annotated[str, Form()], clearance: Annotated[str, Form()]
) -> Response:
    raw = {"id": id, "type": "vet", "person": person_id, "by": user.person, "clearance": clearance}
    return _submit(wired, user, raw, person_id)


def _submit(wired: Wired, user: Viewer, raw: dict[str, Any], person_id: str) -> Response:
    try:
        intake.submit(wired.desk, wired.zone, user, raw, wired.clock())
    except FORM_ERRORS as error:
        return RedirectResponse(f"/people/{person_id}?problem={problem_of(error)}", status_code=303)
    return RedirectResponse(f"/people/{person_id}", status_code=303)


def level_names(site: Site) -> dict[int, str]:
    """Each level with the zones at it (``1: the vestibule / the garage``): a level is not one room."""
    named: dict[int, list[str]] = {}
    for zone in sorted(site.zones.values(), key=lambda z: z.id):
        named.setdefault(zone.level, []).append(zone.name)
    return {level: " / ".join(names) for level, names in sorted(named.items())}
