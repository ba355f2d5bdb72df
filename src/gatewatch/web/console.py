"""The console's pages and files, attached to the application beside the API."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from gatewatch.web.access import SignInNeeded
from gatewatch.web.render import STATIC
from gatewatch.web.routes import alerts, board, drills, gate, invitations, muster, people, session, watchlists

PAGES = (session, board, gate, alerts, people, watchlists, invitations, muster, drills)


def attach(app: FastAPI) -> None:
    for module in PAGES:
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.exception_handler(SignInNeeded)
    async def sign_in(_: Request, needed: SignInNeeded) -> Response:
        return RedirectResponse(f"/login?next={needed.back_to}", status_code=303)
