"""Head office's console pages: sites, alerts, links, a person across sites, and signing in.

Each page reads ``gatewatch.hq.views`` in a thread and renders a template of its own. Every page
but signing in needs the session cookie (``token.TokenKeeper``); without it the answer is a 303
to the sign-in page, which says where the token is.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

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
READS_AT_ONCE = 4
"""The most database reads the console runs at once: the rest of head office (the ingest's writer)
shares the connections and threads, and many open tabs refreshing must not take them all."""
READ_WAIT_S = 10.0
"""How long a page waits for its turn to read before it says head office is busy."""
T = TypeVar("T")


class SignInNeeded(Exception):
    """A page asked for without a valid session cookie."""


class Unavailable(Exception):
    """The database did not answer in time, or too many pages are being read: says which."""


logger = logging.getLogger("gatewatch.hq.console")


def when(text: str | None) -> str:
    """An ISO time as UTC to the second (``2026-12-01 10:55:04 UTC``); as written when unreadable
    or when UTC cannot say it (a site's ``9999-12-31T23:59:59-14:00`` is past the year 9999 in UTC)."""
    moment = views.instant(text)
    if moment is None:
        return text or "—"
    try:
        return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    except OverflowError:
        return text or "—"


def shown(value: Any) -> Any:
    """Every value a template writes: text with its control characters and direction marks as escapes."""
    return views.visible(value) if isinstance(value, str) and not isinstance(value, Markup) else value


templates = Environment(
    loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]), finalize=shown
)
templates.filters["when"] = when
templates.globals["SIGN_IN_HOURS"] = SESSION_S // 3600
templates.globals["TOKEN_FILE"] = TOKEN_FILE


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    html = templates.get_template(template).render(request=request, **context)
    return HTMLResponse(html, status_code=status_code, headers=HEADERS)


def console_router(engine: Engine, keeper: TokenKeeper) -> APIRouter:
    """The console's routes over head office's database (``engine``), signed in with ``keeper``'s token."""
    router = APIRouter(include_in_schema=False)
    turns = asyncio.Semaphore(READS_AT_ONCE)

    async def read(call: Callable[..., T], *args: Any) -> T:
        """``call(engine, *args)`` in a thread, at most ``READS_AT_ONCE`` at a time.

        A turn is given back when the thread ends, not when the browser goes away (a read already
        running keeps its connection until it ends). A database that does not answer, or no turn
        within ``READ_WAIT_S``, is ``Unavailable``."""
        try:
            await asyncio.wait_for(turns.acquire(), READ_WAIT_S)
        except TimeoutError:
            raise Unavailable(
                f"Head office is busy: {READS_AT_ONCE} pages are being read. Try again shortly."
            ) from None
        work = asyncio.ensure_future(asyncio.to_thread(call, engine, *args))
        work.add_done_callback(lambda _: turns.release())
        try:
            return await asyncio.shield(work)
        except (OperationalError, PoolTimeout) as error:
            logger.warning("console: the database did not answer: %s", str(error).splitlines()[0][:300])
            raise Unavailable("Head office's database did not answer in time. Try again shortly.") from None

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
        found = await read(views.sites, datetime.now(UTC))
        return render(request, "sites.html", sites=found, as_of=datetime.now(UTC).isoformat())

    @pages.get("/sites/live")
    async def sites_live(request: Request) -> HTMLResponse:
        """The sites table alone, for the page's script to refetch."""
        found = await read(views.sites, datetime.now(UTC))
        return render(request, "_sites.html", sites=found, as_of=datetime.now(UTC).isoformat())

    @pages.get("/alerts")
    async def alerts_page(request: Request, before: Before = None, size: Size = None) -> HTMLResponse:
        found = await read(views.alerts, before, size)
        return render(request, "alerts.html", page=found, size=views.page_size(size))

    @pages.get("/links")
    async def links_page(request: Request, before: Before = None, size: Size = None) -> HTMLResponse:
        found = await read(views.links, before, size)
        return render(request, "links.html", page=found, size=views.page_size(size))

    @pages.get("/people/{site}/{person:path}")
    async def person_page(request: Request, site: str, person: str) -> HTMLResponse:
        try:
            views.check_person(site, person)
        except views.ViewError as error:
            return render(request, "problem.html", status_code=404, title="Not found", problem=str(error))
        across = await read(views.person_across, site, person)
        return render(request, "person.html", across=across)

    @router.get("/hq-static/{name}")
    def static(name: str) -> Response:
        """The console's own stylesheet and script (nothing from elsewhere); readable before signing in."""
        if name not in STATIC_FILES:
            return Response("no such file", status_code=404, media_type="text/plain")
        return FileResponse(STATIC / name, media_type=STATIC_FILES[name], headers={"Cache-Control": "max-age=300"})

    router.include_router(pages)
    return router
