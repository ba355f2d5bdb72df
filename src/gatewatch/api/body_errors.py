"""What is wrong with a request body as a whole, in plain words: empty, not JSON, not an object.

FastAPI reports these as validation errors located at ``("body",)`` or ``("body", position)``,
which name no field; these are said as what the client must send instead.
"""

from __future__ import annotations

from typing import Any

from fastapi.exceptions import RequestValidationError

EVENTS_PATH = "/v1/events"
NOT_AN_OBJECT = frozenset({"dict_type", "model_attributes_type", "model_type"})


def body_problem(error: RequestValidationError, path: str) -> str | None:
    """The problem with the whole body, or None when the error is about one of its fields."""
    errors = error.errors()
    first: dict[str, Any] = dict(errors[0]) if errors else {}
    location = tuple(first.get("loc", ()))
    if not location or location[0] != "body":
        return None
    wanted = "one event as a JSON object" if path == EVENTS_PATH else "a JSON object"
    kind = first.get("type")
    if kind == "json_invalid":
        return f"the body is not JSON: {_decode_problem(first, error.body, location)}"
    if len(location) != 1:
        return None
    if kind == "missing":
        return f"the body is empty: send {wanted}"
    if kind in NOT_AN_OBJECT:
        given = first.get("input")
        if isinstance(given, bytes):  # not parsed: it was not sent as JSON
            return f"the body is not JSON: send {wanted}, with Content-Type: application/json"
        return f"the body is {_kind_of(given)}: send {wanted}"
    return None


def _decode_problem(first: dict[str, Any], document: Any, location: tuple[Any, ...]) -> str:
    """``Expecting value at line 1 column 8`` from the decoder's message and position."""
    ctx = first.get("ctx") or {}
    said = str(ctx.get("error", "it cannot be read"))
    said = said[:1].lower() + said[1:]
    position = location[1] if len(location) > 1 and isinstance(location[1], int) else None
    if position is None or not isinstance(document, str):
        return said
    line = document.count("\n", 0, position) + 1
    column = position - (document.rfind("\n", 0, position) + 1) + 1
    return f"{said} at line {line} column {column}"


def _kind_of(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return f"a {type(value).__name__}"


def unreadable_body(error: BaseException) -> str | None:
    """Why a body could not be parsed at all (FastAPI answers a bare 400), or None."""
    cause = error.__cause__
    if isinstance(cause, RecursionError):
        return "the body is not an event: its JSON is nested too deeply"
    if isinstance(cause, UnicodeDecodeError):
        return f"the body is not UTF-8 text: byte {cause.start} cannot be read ({cause.reason})"
    if isinstance(cause, ValueError) and "digits" in str(cause):
        return "the body is not an event: it holds a number with thousands of digits, which no field can take"
    return None
