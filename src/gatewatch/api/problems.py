"""Errors that name what is wrong: each failure the API knows, answered as a ``Problem``."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from gatewatch.api import models as m
from gatewatch.api.body_errors import body_problem, unreadable_body
from gatewatch.core.errors import InvalidInput
from gatewatch.service.desk import NotRecorded, OutOfOrder
from gatewatch.service.name_data import NameDataUnavailable
from gatewatch.service.permissions import Refused
from gatewatch.store.log import IdConflict

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
"""The answers every route may give besides its own, for the OpenAPI document."""


def problem(status: int, detail: str, field: str | None = None, where: str | None = None) -> JSONResponse:
    body = m.Problem(detail=detail, field=field or None, where=where or None)
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status)


def handle_errors(app: FastAPI) -> None:
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

    @app.exception_handler(NameDataUnavailable)
    async def names_unavailable(_: Request, error: NameDataUnavailable) -> JSONResponse:
        logger.error("the name data did not answer: %s", str(error)[:200])
        response = problem(503, "the name data is not ready: nothing was decided; send the same event again")
        response.headers["Retry-After"] = "5"
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
