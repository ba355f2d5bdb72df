"""Head office's console: a read-only view of every site, over head office's database.

``attach(app, store, token_file)`` mounts its pages on head office's application: the sites with
their lag, last entry and chain status (refreshed live), alerts, links, and a person across
sites; everything behind the sign-in token kept in ``token_file`` (made on first use, 0600).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from gatewatch.hq.console.pages import HEADERS, SignInNeeded, Unavailable, console_router, render
from gatewatch.hq.console.token import TOKEN_FILE, TokenFileError, TokenKeeper, ensure_token

if TYPE_CHECKING:
    from gatewatch.hq.store import OfficeStore

__all__ = ["TOKEN_FILE", "TokenFileError", "attach", "ensure_token", "sign_in_url"]


def attach(app: FastAPI, store: OfficeStore, token_file: Path) -> None:
    """Mount the console's pages on ``app``; the token is read from ``token_file`` (made there if absent)."""
    keeper = TokenKeeper(token_file)
    app.include_router(console_router(store.engine, keeper))

    @app.exception_handler(SignInNeeded)
    async def sign_in_first(_: Request, __: SignInNeeded) -> Response:
        return RedirectResponse("/sign-in", status_code=303, headers=HEADERS)

    @app.exception_handler(Unavailable)
    async def unavailable(request: Request, problem: Unavailable) -> Response:
        answer = render(request, "problem.html", status_code=503, title="Not available", problem=str(problem))
        answer.headers["Retry-After"] = "5"
        return answer


def sign_in_url(base: str, token_file: Path) -> str:
    """The link that signs a browser in (``base``: where the console answers, ``http://host:port``)."""
    return f"{base.rstrip('/')}/sign-in?token={ensure_token(token_file)}"
