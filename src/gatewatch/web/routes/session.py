"""Sign in and out of the console."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from gatewatch.http.access import SESSION_COOKIE, client_of
from gatewatch.service.auth import BadLogin, TooManyAttempts
from gatewatch.web.access import Wired
from gatewatch.web.render import templates

router = APIRouter()


def _safe(next_page: str) -> str:
    return next_page if next_page.startswith("/") and not next_page.startswith("//") else "/board"


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(next: str = "/board", problem: str = "") -> HTMLResponse:
    return HTMLResponse(templates.get_template("login.html").render(next=_safe(next), problem=problem))


@router.post("/login", include_in_schema=False)
def login(
    request: Request,
    wired: Wired,
    name: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/board",
) -> Response:
    try:
        session = wired.gatekeeper.login(name, password, client_of(request))
    except BadLogin:
        problem = "Wrong name or password."
    except TooManyAttempts:
        problem = "Too many failed sign-ins: wait a quarter of an hour, or ask a lead."
    else:
        response = RedirectResponse(_safe(next), status_code=303)
        response.set_cookie(SESSION_COOKIE, session.token, httponly=True, samesite="strict")
        return response
    page = templates.get_template("login.html").render(next=_safe(next), problem=problem, name=name)
    return HTMLResponse(page, status_code=401)


@router.post("/logout", include_in_schema=False)
def logout(request: Request, wired: Wired) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        wired.gatekeeper.logout(token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/", include_in_schema=False)
def home() -> Response:
    return RedirectResponse("/board", status_code=303)
