"""The FastAPI application: routes under ``/v1``, and errors that name what is wrong."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from gatewatch.api import models as m
from gatewatch.api.body_errors import body_problem, unreadable_body
from gatewatch.api.body_limit import BodyLimit
from gatewatch.api.event_schema import event_components
from gatewatch.api.origin import OriginCheck
from gatewatch.api.routes import alerts, board, events, invitations, people, record, screenings, session, stream
from gatewatch.bootstrap import Services
from gatewatch.core.errors import InvalidInput
from gatewatch.service.desk import NotRecorded, OutOfOrder
from gatewatch.service.permissions import Refused
from gatewatch.store.log import IdConflict
from gatewatch.web import console

logger = logging.getLogger("gatewatch.api")

PROBLEMS: dict[int | str, dict[str, Any]] = {
    code: {"model": m.Problem, "description": text}
    for code, text in (
        (400, "Malformed request"),
        (401, "Not signed in"),
        (403, "Not allowed for this user"),
        (404, "Not found"),
        (409, "Conflicts with what is recorded"),
        (413, "The request body is larger than the desk accepts"),
        (422, "Invalid input: the field and the problem are named"),
        (429, "Too many failed sign-ins"),
        (503, "Not recorded in time: the door stays shut; send the same event again"),
    )
}


def create_app(services: Services) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        keeper = asyncio.create_task(_keep_retention(services))
        warming = asyncio.create_task(asyncio.to_thread(_warm_screening, services))
        stop_checkpoints = threading.Event()
        checkpoints = asyncio.create_task(asyncio.to_thread(services.keep_checkpoints, stop_checkpoints))
        yield
        keeper.cancel()
        warming.cancel()
        stop_checkpoints.set()
        await checkpoints
        services.close()

    app = FastAPI(
        title="gatewatch",
        version="1",
        summary="The site's protective-security procedures, executable at the door.",
        lifespan=lifespan,
        docs_url=None,  # Swagger UI and ReDoc load their code from a CDN: the desk stays offline
        redoc_url=None,
    )
    app.state.services = services
    app.state.broadcaster = broadcaster = stream.Broadcaster()
    services.desk.listeners.append(broadcaster.publish)
    services.desk.unrecorded.append(broadcaster.publish)
    for module in (session, events, board, alerts, people, invitations, screenings, record, stream):
        app.include_router(module.router, prefix="/v1", responses=PROBLEMS)
    _handle_errors(app)
    app.add_middleware(OriginCheck)
    app.add_middleware(BodyLimit)  # outermost: a body too large is refused before anything reads it
    console.attach(app)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _warm_screening(services: Services) -> None:
    """Load the watchlists' indexes now, not at the first screening."""
    try:
        services.screener.warm()
    except Exception:  # a screening will try again and say what is wrong
        logger.exception("screening: could not load the watchlists")


RETENTION_EVERY_SECONDS = 3600.0
RETENTION_FIRST_AFTER_SECONDS = 60.0


async def _keep_retention(services: Services) -> None:
    """Redact what the site's retention has let go: a minute after start, then every hour."""
    await asyncio.sleep(RETENTION_FIRST_AFTER_SECONDS)
    while True:
        try:
            redacted = await asyncio.to_thread(services.desk.redact_expired, services.clock())
        except Exception:  # the record is untouched by a failed run; try again next time
            logger.exception("retention: redaction failed")
        else:
            if redacted:
                logger.warning("retention: redacted the identity data of %d entries", redacted)
        await asyncio.sleep(RETENTION_EVERY_SECONDS)


def problem(status: int, detail: str, field: str | None = None, where: str | None = None) -> JSONResponse:
    body = m.Problem(detail=detail, field=field or None, where=where or None)
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status)


def _handle_errors(app: FastAPI) -> None:
    @app.exception_handler(InvalidInput)
    async def invalid(_: Request, error: InvalidInput) -> JSONResponse:
        return problem(422, error.describe(), error.field, error.where)

    @app.exception_handler(Refused)
    async def refused(_: Request, error: Refused) -> JSONResponse:
        return problem(403, error.problem, error.field)

    @app.exception_handler(IdConflict)
    async def conflict(_: Request, error: IdConflict) -> JSONResponse:
        return problem(409, str(error), "id")

    @app.exception_handler(NotRecorded)
    async def not_recorded(_: Request, error: NotRecorded) -> JSONResponse:
        response = problem(503, str(error), "id")
        response.headers["Retry-After"] = "1"
        return response

    @app.exception_handler(OperationalError)
    async def store_unavailable(_: Request, error: OperationalError) -> JSONResponse:
        logger.error("the store did not answer: %s", str(error.orig or error).splitlines()[0][:200])
        response = problem(503, "the store did not answer: nothing was decided, and a door stays shut; try again")
        response.headers["Retry-After"] = "2"
        return response

    @app.exception_handler(OutOfOrder)
    async def out_of_order(_: Request, error: OutOfOrder) -> JSONResponse:
        return problem(409, str(error), "at")

    @app.exception_handler(RequestValidationError)
    async def malformed(request: Request, error: RequestValidationError) -> JSONResponse:
        said = body_problem(error, request.url.path)
        if said is not None:
            return problem(422, said, where="body")
        first = error.errors()[0] if error.errors() else {}
        location = [str(part) for part in first.get("loc", ())]
        field = ".".join(location[1:]) if len(location) > 1 else ""
        place = location[0] if location else ""
        return problem(422, f"{place} field '{field}': {first.get('msg', 'invalid')}".strip(), field, place)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        unreadable = unreadable_body(error) if error.status_code == 400 else None
        response = problem(error.status_code, unreadable or str(error.detail), where="body" if unreadable else None)
        for key, value in (error.headers or {}).items():
            response.headers[key] = value
        return response


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, with the events' schemas (from the core's types) added."""
    if app.openapi_schema is None:
        document = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
        components = event_components(app.state.services.site)
        document.setdefault("components", {}).setdefault("schemas", {}).update(components)
        app.openapi_schema = document
    return app.openapi_schema
