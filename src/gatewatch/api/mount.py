"""The API on an application the composition root built: routes under ``/v1``, their errors,
the middlewares that guard every request, and the OpenAPI document."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from gatewatch.api.body_limit import BodyLimit
from gatewatch.api.event_schema import event_components
from gatewatch.api.origin import OriginCheck
from gatewatch.api.problems import PROBLEMS, handle_errors
from gatewatch.api.routes import (
    alerts,
    board,
    cases,
    events,
    insider,
    invitations,
    people,
    record,
    screenings,
    session,
    stream,
    timeline,
)
from gatewatch.bootstrap import Services
from gatewatch.core.site import Site

RESOURCES = (session, events, board, alerts, people, timeline, invitations, screenings, record, stream, cases, insider)


def attach(app: FastAPI, services: Services) -> None:
    """Mount the API on ``app``; the middlewares guard the console's pages as well."""
    app.state.broadcaster = broadcaster = stream.Broadcaster()
    services.desk.listeners.append(broadcaster.publish)
    services.desk.unrecorded.append(broadcaster.publish)
    for module in RESOURCES:
        app.include_router(module.router, prefix="/v1", responses=PROBLEMS)
    handle_errors(app)
    app.add_middleware(OriginCheck)
    app.add_middleware(BodyLimit)  # outermost: a body too large is refused before anything reads it
    app.openapi = lambda: _openapi(app, services.site)  # type: ignore[method-assign]


def _openapi(app: FastAPI, site: Site) -> dict[str, Any]:
    """FastAPI's document, with the events' schemas (from the core's types) added."""
    if app.openapi_schema is None:
        document = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
        document.setdefault("components", {}).setdefault("schemas", {}).update(event_components(site))
        app.openapi_schema = document
    return app.openapi_schema
