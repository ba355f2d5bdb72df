"""Head office's console pages: sites, alerts, links, a person across sites, and signing in.

Each page reads ``gatewatch.hq.views`` in a thread and renders a template of its own. Every page
but signing in needs the session cookie (``token.TokenKeeper``); without it the answer is a 303
to the sign-in page, which says where the token is.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Engine

from gatewatch.hq import views
from gatewatch.hq.console.token import SESSION_S, TOKEN_FILE, TokenKeeper

HERE = Path(__file__).parent
STATIC = HERE / "static"
STATIC_FILES = {"hq.css": "text/css", "hq.js": "text/javascript"}
SESSION_COOKIE = "gatewatch_hq"
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; connect-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}
"""Every page: nothing loaded from elsewhere, no framing, no token in a referrer, nothing cached."""
Before = Annotated[int | None, Query(ge=1, le=2**63 - 1)]
"""A page of alerts or links: the id to read before (the previous page's last)."""
Size = Annotated[int | None, Query(ge=1, le=views.PAGE_MOST)]


class SignInNeeded(Exception):
    """A page asked for without a valid session cookie."""


def when(text: str | None) -> str:
    """An ISO time as UTC to the second (``2026-12-01 10:55:04 UTC``); as written when unreadable."""
    moment = views.instant(text)
    if moment is None:
        return text or "—"
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
templates.filters["when"] = when
templates.globals["SIGN_IN_HOURS"] = SESSION_S // 3600
templates.globals["TOKEN_FILE"] = TOKEN_FILE


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    html = templates.get_template(template).render(request=request, **context)
    return HTMLResponse(html, status_code=status_code, headers=HEADERS)


def console_router(engine: Engine, keeper: TokenKeeper) -> APIRouter:
    """The console's routes over head office's database (``engine``), signed in with ``keeper``'s token."""
    router = APIRouter(include_in_schema=False)

    def signed_in(request: Request) -> None:
        """Sync on purpose: FastAPI runs it in a thread (it may read the token file)."""
        if not keeper.valid(request.cookies.get(SESSION_COOKIE)):
            raise SignInNeeded

    pages = APIRouter(include_in_schema=False, dependencies=[Depends(signed_in)])

    def enter(request: Request, given: str) -> Response:
        if not keeper.matches(given):
            problem = "That is not head office's console token."
            return render(request, "sign_in.html", status_code=401, problem=problem)
        response = RedirectResponse("/", status_code=303, headers=HEADERS)
        secure = request.url.scheme == "https"
        response.set_cookie(
            SESSION_COOKIE, keeper.session(), max_age=SESSION_S, httponly=True, samesite="strict", secure=secure
        )
        return response

    @router.get("/sign-in")
    async def sign_in_page(request: Request, token: Annotated[str | None, Query(max_length=200)] = None) -> Response:
        if token is None:
            return render(request, "sign_in.html")
        return await asyncio.to_thread(enter, request, token)

    @router.post("/sign-in")
    async def sign_in(request: Request, token: Annotated[str, Form(max_length=200)]) -> Response:
        return await asyncio.to_thread(enter, request, token)

    @router.post("/sign-out")
    def sign_out() -> Response:
        response = RedirectResponse("/sign-in", status_code=303, headers=HEADERS)
        response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="strict")
        return response

    @pages.get("/")
    async def sites_page(request: Request) -> HTMLResponse:
        found = await asyncio.to_thread(views.sites, engine, datetime.now(UTC))
        return render(request, "sites.html", sites=found, as_of=datetime.now(UTC).isoformat())

    @pages.get("/sites/live")
    async def sites_live(request: Request) -> HTMLResponse:
        """The sites table alone, for the page's script to refetch."""
        found = await asyncio.to_thread(views.sites, engine, datetime.now(UTC))
        return render(request, "_sites.html", sites=found, as_of=datetime.now(UTC).isoformat())

    @pages.get("/alerts")
    async def alerts_page(request: Request, before: Before = None, size: Size = None) -> HTMLResponse:
        found = await asyncio.to_thread(views.alerts, engine, before, size)
        return render(request, "alerts.html", page=found, size=views.page_size(size))

    @pages.get("/links")
    async def links_page(request: Request, before: Before = None, size: Size = None) -> HTMLResponse:
        found = await asyncio.to_thread(views.links, engine, before, size)
        return render(request, "links.html", page=found, size=views.page_size(size))

    @pages.get("/people/{site}/{person:path}")
    async def person_page(request: Request, site: str, person: str) -> HTMLResponse:
        try:
            views.check_person(site, person)
        except views.ViewError as error:
            return render(request, "problem.html", status_code=404, problem=str(error))
        across = await asyncio.to_thread(views.person_across, engine, site, person)
        return render(request, "person.html", across=across)

    @router.get("/hq-static/{name}")
    def static(name: str) -> Response:
        """The console's own stylesheet and script (nothing from elsewhere); readable before signing in."""
        if name not in STATIC_FILES:
            return Response("no such file", status_code=404, media_type="text/plain")
        return FileResponse(STATIC / name, media_type=STATIC_FILES[name], headers={"Cache-Control": "max-age=300"})

    router.include_router(pages)
    return router
