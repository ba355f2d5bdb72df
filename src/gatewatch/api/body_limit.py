"""A request body larger than the desk accepts is refused before it is read whole (413).

Two checks, as an ASGI middleware in front of everything else: a declared ``Content-Length``
above the bound is refused at once, without reading a byte of the body; a body sent without
one (chunked) is counted as it streams in, and refused at the first chunk past the bound.
The bounds are in ``gatewatch.core.limits``: the API's requests (an event, a sign-in) are
small; the console's pages take up to a drill file in a form.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gatewatch.core import limits

API_PREFIX = "/v1/"


def body_limit_for(path: str) -> int:
    """The largest body a request to ``path`` may carry, in bytes."""
    return limits.API_BODY_BYTES if path.startswith(API_PREFIX) else limits.OTHER_BODY_BYTES


def _size(count: int) -> str:
    return f"{count // 1024 // 1024} MiB" if count >= 1024 * 1024 else f"{count // 1024} KiB"


class BodyTooLarge(HTTPException):
    """A body past its bound: answered 413, saying the bound."""

    def __init__(self, limit: int, path: str, declared: int | None = None) -> None:
        said = f"is {declared:,} bytes" if declared is not None else "is larger than that"
        what = "an event or any other API request" if path.startswith(API_PREFIX) else "a page's form"
        super().__init__(
            413,
            f"the request body {said}: {what} may carry at most {_size(limit)} ({limit:,} bytes)",
        )


class BodyLimit:
    """The ASGI middleware: refuse, with 413 and the bound, a body above ``limit_for(path)``."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[str], int] = body_limit_for) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        limit = self.limit_for(path)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refusal(BodyTooLarge(limit, path, declared))(scope, receive, send)
            return
        await _Counted(self.app, limit, path)(scope, receive, send)


class _Counted:
    """One request whose body is counted as it is read."""

    def __init__(self, app: ASGIApp, limit: int, path: str) -> None:
        self.app, self.limit, self.path = app, limit, path
        self.read = 0
        self.started = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def counted() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                self.read += len(message.get("body", b""))
                if self.read > self.limit:
                    raise BodyTooLarge(self.limit, self.path)
            return message

        async def watched(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.started = True
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge as error:  # a route that did not turn it into an answer itself
            if self.started:
                raise
            await _refusal(error)(scope, receive, send)


def _refusal(error: BodyTooLarge) -> JSONResponse:
    return JSONResponse({"detail": error.detail, "field": "body"}, status_code=413, headers={"Connection": "close"})


def _content_length(scope: Scope) -> int | None:
    value = Headers(scope=scope).get("content-length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
