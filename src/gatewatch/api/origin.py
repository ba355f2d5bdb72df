"""The Origin check: a page of another site may not make a signed-in browser change anything.

A browser sends the session cookie with a form posted from any page of the same *site*, and
another port on the same host is the same site, so ``SameSite=strict`` alone does not stop a
page at ``http://desk:9000`` from posting an all-clear to ``http://desk:8000`` with a lead's
cookie. So every state-changing request (POST, PUT, PATCH, DELETE) that a session cookie would
sign in must say where it comes from: its ``Origin`` header (or, failing it, its ``Referer``)
must be this desk's own ``scheme://host:port``, as the request itself was addressed. Missing
both, it is refused. The console's sign-in form is checked the same way (a page of another site
may not sign a browser in as someone else). A request signed with ``Authorization: Bearer`` is
not checked: a browser never adds that header for another site's page. ``POST /v1/login``
without either header (a script, curl) is let through; with one, it must match.

Behind a TLS proxy, the proxy must pass the ``Host`` header on and say the scheme
(``X-Forwarded-Proto``, which ``gatewatch serve`` trusts from the loopback address only).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.requests import cookie_parser
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from gatewatch.http.access import SESSION_COOKIE

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SIGN_IN_FORM = "/login"
API_SIGN_IN = "/v1/login"
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True, slots=True)
class Place:
    """A scheme, host and port: what an origin is made of."""

    scheme: str
    host: str
    port: int

    def __str__(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"


def place_of(url: str) -> Place | None:
    """The origin of a URL (``None`` for ``null`` or anything that is not http(s))."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return Place(scheme, parts.hostname.lower(), port or DEFAULT_PORTS[scheme])


def own_place(scheme: str, host_header: str) -> Place | None:
    """Where the request was addressed: its scheme and its ``Host`` header."""
    return place_of(f"{scheme}://{host_header}") if host_header else None


def refusal(method: str, path: str, scheme: str, headers: Headers) -> str | None:
    """Why this request is refused, or ``None`` when it may go on."""
    if method.upper() not in UNSAFE or (_bearer(headers) and path.startswith("/v1/")):
        return None  # the API signs in by the Bearer token alone; the console's pages only by the cookie
    stated = headers.get("origin") or headers.get("referer")
    if path == API_SIGN_IN:  # a script signs in without saying where from; a browser says
        if not stated:
            return None
    elif path != SIGN_IN_FORM and not _has_session_cookie(headers):
        return None
    if not stated:
        return (
            "refused: this request does not say which page sent it (no Origin or Referer header), "
            "and a signed-in change must come from the desk's own pages"
        )
    own, sender = own_place(scheme, headers.get("host", "")), place_of(stated)
    if own is None or sender != own:
        said = "Origin" if headers.get("origin") else "Referer"
        return (
            f'refused: {said} "{stated.strip()[:200]}" is not this desk ({own or "unknown host"}); '
            "a change may be made only from the desk's own pages"
        )
    return None


def _bearer(headers: Headers) -> bool:
    scheme, _, value = headers.get("authorization", "").strip().partition(" ")
    return scheme.lower() == "bearer" and bool(value.strip())


def _has_session_cookie(headers: Headers) -> bool:
    return any(SESSION_COOKIE in cookie_parser(header) for header in headers.getlist("cookie"))


class OriginCheck:
    """ASGI middleware: refuse (403) a cookie-signed change sent from another origin."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            problem = refusal(scope["method"], scope["path"], scope.get("scheme", "http"), Headers(scope=scope))
            if problem is not None:
                response = JSONResponse({"detail": problem, "field": "Origin"}, status_code=403)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
