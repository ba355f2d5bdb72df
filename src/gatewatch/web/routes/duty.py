"""The Board's duty panel: taking and leaving posts, and the temperature at the gate."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from gatewatch.service import intake
from gatewatch.service.permissions import Actor
from gatewatch.web.access import Viewer, Wired
from gatewatch.web.duty_panel import temperature
from gatewatch.web.render import problem_of, words
from gatewatch.web.routes.board import board_page
from gatewatch.web.routes.gate import FORM_ERRORS

router = APIRouter()


def _record(request: Request, user: Actor, wired: Wired, raw: dict[str, Any], done: str) -> HTMLResponse:
    try:
        intake.submit(wired.desk, wired.zone, user, raw, wired.clock())
    except FORM_ERRORS as error:
        return board_page(request, user, wired, problem=problem_of(error))
    return board_page(request, user, wired, done=done)


@router.post("/board/post", response_class=HTMLResponse, include_in_schema=False)
def post_change(
    request: Request,
    user: Viewer,
    wired: Wired,
    id: Annotated[str, Form()],
    post: Annotated[str, Form()] = "",
    on_duty: Annotated[str, Form()] = "",
    off_duty: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """Guards take or leave a post (a guard only themselves; the service holds to that)."""
    taking, leaving = words(on_duty), words(off_duty)
    if not taking and not leaving:
        return board_page(
            request, user, wired, problem="fields 'on_duty' and 'off_duty': name a guard to take or leave the post"
        )
    raw = {"id": id, "type": "post", "post": post.strip(), "on_duty": taking, "off_duty": leaving}
    said = "; ".join(
        part
        for part in (
            f"on duty: {', '.join(taking)}" if taking else "",
            f"off duty: {', '.join(leaving)}" if leaving else "",
        )
        if part
    )
    return _record(request, user, wired, raw, f"Post {post.strip()}: {said}.")


@router.post("/board/weather", response_class=HTMLResponse, include_in_schema=False)
def weather(
    request: Request, user: Viewer, wired: Wired, id: Annotated[str, Form()], temp_c: Annotated[str, Form()] = ""
) -> HTMLResponse:
    """The temperature now (heavy outerwear on a hot day is a sign worth noting)."""
    try:
        degrees = temperature(temp_c)
    except ValueError as error:
        return board_page(request, user, wired, problem=str(error))
    return _record(request, user, wired, {"id": id, "type": "weather", "temp_c": degrees}, f"Weather: {degrees:g} °C.")
