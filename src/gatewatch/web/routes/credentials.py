"""Credentials at the console: a visitor's one-day card issued at the gate after screening, and a
credential revoked from the Gate, from a person's page, or from an alert that names it.

Both are events like any other (``credential``, ``revoke``), submitted as the user: the engine
decides who may issue what (a guard, only a visitor's card), and the record keeps it. A PIN
typed here goes to the desk, which keeps only its hash.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from gatewatch.core import wording
from gatewatch.service import intake
from gatewatch.web.access import Viewer, Wired
from gatewatch.web.render import problem_of
from gatewatch.web.routes.gate import FORM_ERRORS, gate_page

router = APIRouter()

BACK_TO = ("/people/", "/alerts")
"""The pages a revocation made elsewhere than the Gate returns to."""


def day_card(id: str, person: str, card: str, pin: str, by: str | None) -> dict[str, Any]:
    """The ``credential`` event for a visitor's card: ``card+pin`` when a PIN is given, else ``card``."""
    raw: dict[str, Any] = {"id": id, "type": "credential", "person": person, "credential": card, "by": by}
    raw["kind"] = "card+pin" if pin else "card"
    if pin:
        raw["pin"] = pin
    return raw


@router.post("/gate/credential", response_class=HTMLResponse, include_in_schema=False)
def issue(
    request: Request,
    user: Viewer,
    wired: Wired,
    id: Annotated[str, Form()],
    person: Annotated[str, Form()] = "",
    card: Annotated[str, Form()] = "",
    pin: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """The visitor's one-day card: the number typed or scanned, a PIN if the reader asks for one."""
    holder, number = person.strip(), card.strip()
    if not number:
        problem = "field 'card': type or scan the card's number"
        return gate_page(request, user, wired, problem=problem, visitor=[holder] if holder else [])
    raw = day_card(id, holder, number, pin.strip(), user.person)
    try:
        decided = intake.submit(wired.desk, wired.zone, user, raw, wired.clock())
    except FORM_ERRORS as error:
        return gate_page(request, user, wired, problem=problem_of(error), visitor=[holder] if holder else [])
    refused = any(alert["code"] == "NOT_PERMITTED" for alert in decided.outcome.get("alerts", ()))
    done = "" if refused else f"Card {number} issued to {wording.person(wired.desk.state, holder)}."
    asked = {key: value for key, value in raw.items() if key != "pin"}
    return gate_page(request, user, wired, visitor=[holder], decided=decided, asked=asked, done=done)


def _revoke(wired: Wired, user: Viewer, id: str, credential: str, reason: str) -> str:
    """Revoke it; what went wrong, in the service's words, or "" when it is recorded."""
    raw: dict[str, Any] = {"id": id, "type": "revoke", "credential": credential.strip(), "by": user.person}
    if reason.strip():
        raw["reason"] = reason.strip()
    try:
        decided = intake.submit(wired.desk, wired.zone, user, raw, wired.clock())
    except FORM_ERRORS as error:
        return problem_of(error)
    refused = [alert["message"] for alert in decided.outcome.get("alerts", ()) if alert["code"] == "NOT_PERMITTED"]
    return refused[0] if refused else ""


@router.post("/gate/revoke", response_class=HTMLResponse, include_in_schema=False)
def revoke_at_gate(
    request: Request,
    user: Viewer,
    wired: Wired,
    id: Annotated[str, Form()],
    credential: Annotated[str, Form()],
    visitor: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """A visitor's card revoked at the gate (lost, handed over, or the visit cut short)."""
    problem = _revoke(wired, user, id, credential, reason)
    carried = [visitor.strip()] if visitor.strip() else []
    if problem:
        return gate_page(request, user, wired, problem=problem, visitor=carried)
    return gate_page(
        request, user, wired, visitor=carried, done=f"Card {credential.strip()} revoked: it opens nothing."
    )


@router.post("/credentials/revoke", include_in_schema=False)
def revoke(
    user: Viewer,
    wired: Wired,
    id: Annotated[str, Form()],
    credential: Annotated[str, Form()],
    back: Annotated[str, Form()] = "/alerts",
    reason: Annotated[str, Form()] = "",
) -> Response:
    """Revoked from a person's page or an alert; back to that page, with the problem if there was one."""
    to = back if back.startswith(BACK_TO) and not back.startswith("//") else "/alerts"
    page, _, anchor = to.partition("#")
    problem = _revoke(wired, user, id, credential, reason)
    said = f"{'&' if '?' in page else '?'}problem={quote(problem)}" if problem else ""
    return RedirectResponse(f"{page}{said}{'#' + anchor if anchor else ''}", status_code=303)
