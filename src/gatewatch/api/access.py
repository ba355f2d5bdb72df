"""Who is asking: the session or API token on each request, and the role it needs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from gatewatch.http.access import SESSION_COOKIE, services
from gatewatch.service.permissions import Actor, UserRole

bearer = HTTPBearer(auto_error=False, description="A session token from /v1/login, or an API token")


def token_of(request: Request, credentials: HTTPAuthorizationCredentials | None) -> str | None:
    if credentials is not None:
        return credentials.credentials
    return request.cookies.get(SESSION_COOKIE)


def current_user(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Actor:
    token = token_of(request, credentials)
    if not token:
        raise HTTPException(
            401, "sign in first: send a session or API token (Authorization: Bearer …)", {"WWW-Authenticate": "Bearer"}
        )
    user = services(request).gatekeeper.authenticate(token)
    if user is None:
        raise HTTPException(401, "this token is unknown or has expired: sign in again", {"WWW-Authenticate": "Bearer"})
    return user


User = Annotated[Actor, Depends(current_user)]


def needs(*roles: UserRole) -> Callable[[Actor], Actor]:
    """A dependency that lets through only users with one of ``roles``."""
    allowed = ", ".join(r.value for r in roles)

    def check(user: User) -> Actor:
        if user.role not in roles:
            raise HTTPException(403, f"a {user.role} may not do this: it needs one of {allowed}")
        return user

    return check


def too_many_attempts(retry_after: int) -> HTTPException:
    return HTTPException(
        429, f"too many failed sign-ins: try again in {retry_after} s", {"Retry-After": str(retry_after)}
    )
