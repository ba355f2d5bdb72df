"""A request's session cookie, the client it came from, and the services the server was built with."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from gatewatch.bootstrap import Services

SESSION_COOKIE = "gatewatch_session"
"""The cookie that carries a session token, for the console's pages and the API alike."""


def services(request: Request) -> Services:
    """The services the composition root put in the application's state."""
    found: Services = request.app.state.services
    return found


def client_of(request: Request) -> str:
    """The client's address, as the sign-in throttle and the record name it."""
    return request.client.host if request.client else "unknown"


Wired = Annotated[Services, Depends(services)]
"""A route's parameter: the server's services."""
