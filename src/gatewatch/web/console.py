"""The console's pages and files, attached to the application beside the API."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from gatewatch.web.access import SignInNeeded
from gatewatch.web.render import STATIC
from gatewatch.web.routes import (
    alerts,
    board,
    cases,
    credentials,
    doors,
    drills,
    duty,
    gate,
    insider,
    invitations,
    muster,
    passage,
    people,
    reports,
    session,
    timeline,
    watchlists,
)

PAGES = (
    session,
    board,
    duty,
    doors,
    gate,
    passage,
    credentials,
    alerts,
    people,
    timeline,
    cases,
    insider,
    reports,
    watchlists,
    invitations,
    muster,
    drills,
)
FAVICON = STATIC / "favicon.svg"


def attach(app: FastAPI) -> None:
    for module in PAGES:
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        """Browsers ask for /favicon.ico whatever the page says: the console's icon, an SVG."""
        return FileResponse(FAVICON, media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"})

    @app.exception_handler(SignInNeeded)
    async def sign_in(_: Request, needed: SignInNeeded) -> Response:
        return RedirectResponse(f"/login?next={needed.back_to}", status_code=303)
