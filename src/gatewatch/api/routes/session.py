"""Sign in and out, and who am I."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.security import HTTPAuthorizationCredentials

from gatewatch.api import models as m
from gatewatch.api.access import User, bearer, token_of, too_many_attempts
from gatewatch.http.access import SESSION_COOKIE, Wired, client_of
from gatewatch.service.auth import BadLogin, TooManyAttempts

router = APIRouter(tags=["session"])


@router.post("/login", summary="Sign in", response_model=m.SessionOut)
def login(body: m.Login, request: Request, response: Response, wired: Wired) -> m.SessionOut:
    """A session token for a name and password (also set as an HttpOnly cookie for the console).

    Failed attempts are recorded; after too many, sign-in is refused for a while (429).
    """
    try:
        session = wired.gatekeeper.login(body.name, body.password, client_of(request))
    except BadLogin:
        raise HTTPException(401, "wrong name or password") from None
    except TooManyAttempts as limit:
        raise too_many_attempts(limit.retry_after) from None
    response.set_cookie(SESSION_COOKIE, session.token, httponly=True, samesite="strict")
    return m.SessionOut(
        token=session.token,
        user=session.user.name,
        role=session.user.role.value,
        person=session.user.person,
        expires=session.expires.isoformat() if session.expires else None,
    )


@router.post("/logout", summary="Sign out", status_code=204)
def logout(
    request: Request,
    response: Response,
    user: User,
    wired: Wired,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Response:
    """End this session (the token it was signed in with, and the console's cookie).

    A logout ends sessions only: signed in with an API token, it is refused (400) and the token
    stays valid; an API token is revoked with the ``gatewatch user`` commands.
    """
    token = token_of(request, credentials)
    if token and wired.gatekeeper.token_kind(token) == "api":
        raise HTTPException(
            400,
            "this is an API token, and a logout ends sessions only: the token stays valid; "
            "an administrator revokes it with the `gatewatch user` commands",
        )
    if token:
        wired.gatekeeper.logout(token)
    response.delete_cookie(SESSION_COOKIE)
    response.status_code = 204
    return response


@router.get("/me", summary="Who is signed in", response_model=m.Me)
def me(user: User) -> m.Me:
    return m.Me(user=user.name, role=user.role.value, person=user.person)
