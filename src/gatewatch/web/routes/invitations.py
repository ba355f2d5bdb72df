"""Invitations: who is expected, and a host pre-registering a visitor."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from gatewatch.service import intake
from gatewatch.views.invitations import invitations_on
from gatewatch.web.access import Viewer, Wired
from gatewatch.web.render import page, problem_of
from gatewatch.web.routes.gate import FORM_ERRORS, fresh_id

router = APIRouter()


def _page(request: Request, user: Viewer, wired: Wired, day: date | None, **extra: object) -> HTMLResponse:
    listed = sorted(invitations_on(wired.desk.state, day), key=lambda i: (i.date, i.person))
    shown_day = day.isoformat() if day else ""
    return page(
        request, "invitations.html", user, invitations=listed, day=shown_day, new_id=fresh_id("invite"), **extra
    )


@router.get("/invitations", response_class=HTMLResponse, include_in_schema=False)
def invitations(request: Request, user: Viewer, wired: Wired, day: str = "") -> HTMLResponse:
    try:
        chosen = date.fromisoformat(day) if day else None
    except ValueError:
        return _page(request, user, wired, None, problem=f'"{day}" is not a date (YYYY-MM-DD)')
    return _page(request, user, wired, chosen)


@router.post("/invitations", response_class=HTMLResponse, include_in_schema=False)
def invite(
    request: Request,
    user: Viewer,
    wired: Wired,
    id: Annotated[str, Form()],
    person: Annotated[str, Form()],
    day: Annotated[str, Form()],
    name: Annotated[str, Form()] = "",
    purpose: Annotated[str, Form()] = "",
    private: Annotated[bool, Form()] = False,
) -> HTMLResponse:
    """The invitation, and the visitor's name when the host gives it (an ``identify`` event)."""
    raw = {"id": id, "type": "invite", "by": user.person, "person": person.strip(), "date": day, "private": private}
    if purpose.strip():
        raw["purpose"] = purpose.strip()
    named = {"id": f"{id}-name", "type": "identify", "person": person.strip(), "name": name.strip()}
    try:
        intake.submit(wired.desk, wired.zone, user, raw, wired.clock())
        if name.strip():
            intake.submit(wired.desk, wired.zone, user, named, wired.clock())
    except FORM_ERRORS as error:
        return _page(request, user, wired, None, problem=problem_of(error))
    return _page(request, user, wired, None, done=f"{person.strip()} is expected on {day}.")
