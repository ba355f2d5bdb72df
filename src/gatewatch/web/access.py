"""Who is signed in to the console: the session cookie, else a redirect to the sign-in page."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request

from gatewatch.http.access import SESSION_COOKIE, Wired, services
from gatewatch.service.permissions import Actor


class SignInNeeded(Exception):
    def __init__(self, back_to: str) -> None:
        self.back_to = back_to


def page_user(request: Request) -> Actor:
    token = request.cookies.get(SESSION_COOKIE)
    user = services(request).gatekeeper.authenticate(token) if token else None
    if user is None:
        raise SignInNeeded(quote(request.url.path))
    return user


Viewer = Annotated[Actor, Depends(page_user)]
__all__ = ["SignInNeeded", "Viewer", "Wired", "page_user"]
