"""Watchlists: the lists screened against, screening a name on demand, and the screenings kept."""

from __future__ import annotations

from collections import deque
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from gatewatch.bootstrap import Services
from gatewatch.service.permissions import Actor
from gatewatch.service.screening import on_demand, recorded_screenings
from gatewatch.web.access import Viewer, Wired
from gatewatch.web.render import page, problem_of
from gatewatch.web.routes.gate import FORM_ERRORS, fresh_id

router = APIRouter()
RECENT = 30


def watchlists_page(request: Request, user: Actor, wired: Services, **result: Any) -> HTMLResponse:
    recent = list(deque(recorded_screenings(wired.log), maxlen=RECENT))[::-1]
    lists = wired.screener.book.current()
    return page(request, "watchlists.html", user, lists=lists, recent=recent, new_id=fresh_id("screen"), **result)


@router.get("/watchlists", response_class=HTMLResponse, include_in_schema=False)
def watchlists(request: Request, user: Viewer, wired: Wired) -> HTMLResponse:
    return watchlists_page(request, user, wired)


@router.post("/watchlists/screen", response_class=HTMLResponse, include_in_schema=False)
def screen(
    request: Request,
    user: Viewer,
    wired: Wired,
    id: Annotated[str, Form()],
    names: Annotated[str, Form()] = "",
    birth_date: Annotated[str, Form()] = "",
    documents: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """Screen the names (one per line) and documents given; the screening is recorded."""
    try:
        born = date.fromisoformat(birth_date) if birth_date.strip() else None
    except ValueError:
        return watchlists_page(request, user, wired, problem=f'date of birth "{birth_date}": use the date picker')
    try:
        screened, decided = on_demand(
            wired.screener,
            wired.desk,
            wired.clock().astimezone(wired.zone),
            event_id=id,
            by=user.name,
            names=names.splitlines(),
            birth_date=born,
            documents=documents.split(";"),
        )
    except FORM_ERRORS as error:
        return watchlists_page(request, user, wired, problem=problem_of(error))
    return watchlists_page(request, user, wired, screened=screened, asked=names.splitlines(), seq=decided.seq)


@router.post("/people/{person_id}/screen", include_in_schema=False)
def screen_person(person_id: str, user: Viewer, wired: Wired, id: Annotated[str, Form()]) -> Response:
    """Screen everything a person on record presented, now, against the current lists."""
    try:
        on_demand(
            wired.screener,
            wired.desk,
            wired.clock().astimezone(wired.zone),
            event_id=id,
            by=user.name,
            person=person_id,
        )
    except FORM_ERRORS as error:
        return RedirectResponse(f"/people/{person_id}?problem={problem_of(error)}#screenings", status_code=303)
    return RedirectResponse(f"/people/{person_id}#screenings", status_code=303)
