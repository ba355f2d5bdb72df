"""The gate: today's expected visitors, arrival, screening, the door request and its decision,
and an override signed on the same screen by a lead with their own credentials."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from gatewatch.bootstrap import Services
from gatewatch.core.errors import InvalidInput
from gatewatch.http.access import client_of
from gatewatch.service import intake
from gatewatch.service.auth import BadLogin, TooManyAttempts
from gatewatch.service.desk import Decided, NotRecorded, OutOfOrder
from gatewatch.service.permissions import Actor, Refused
from gatewatch.store.log import IdConflict
from gatewatch.views.invitations import invitations_on
from gatewatch.web import gate_flow as flow
from gatewatch.web.access import Viewer, Wired
from gatewatch.web.credential_file import credential_file
from gatewatch.web.render import page, problem_of, words

router = APIRouter()
FORM_ERRORS = (InvalidInput, Refused, IdConflict, OutOfOrder, NotRecorded, BadLogin, TooManyAttempts)


def fresh_id(kind: str) -> str:
    """The id a form carries, made when the form is drawn: sending the form twice records it once."""
    return f"{kind}-{uuid.uuid4().hex[:12]}"


STEPS = ("arrive", "papers", "screen", "request", "override", "open", "pass", "close", "walk", "leave")
Through = tuple[str, list[str]]
"""A granted door and the people it lets through, carried from step to step of the passage."""


def gate_page(
    request: Request,
    user: Actor,
    wired: Services,
    *,
    visitor: list[str] | None = None,
    door: str | None = None,
    through: Through | None = None,
    **result: Any,
) -> HTMLResponse:
    """The Gate page, starting from the visitor and the door the last step was about."""
    state = wired.desk.state
    clock = wired.clock()
    today = max(state.now or clock, clock).astimezone(wired.zone).date()  # the record may run ahead in drills
    expected = invitations_on(state, today)
    doors = sorted(wired.site.doors.values(), key=lambda d: (wired.site.level(d.inward), d.id))
    ids = {kind: fresh_id(kind) for kind in STEPS}
    asked = result.get("asked")
    in_hand = visitor if visitor is not None else flow.carried(asked)
    context: dict[str, Any] = {
        "expected": expected,
        "today": today,
        "doors": doors,
        "ids": ids,
        "visitor": ", ".join(in_hand),
        "visitors": flow.visitors_today(state, (inv.person for inv in expected)),
        "arrival_door": flow.arrival_door(wired.site),
        "door_ahead": flow.door_ahead(state, in_hand),
        "passage": flow.passage(state, *through) if through else None,
        "cards": {p: credential_file(wired.log, state, p, clock, wired.zone, badges=False) for p in in_hand[:5]},
        "card_ids": {kind: fresh_id(kind) for kind in ("card", "revoke")},
    }
    decided: Decided | None = result.get("decided")
    if decided is not None and asked is not None:
        context["heading"] = flow.heading(state, decided.outcome, asked)
        context["when_where"] = flow.when_and_where(state, decided.outcome, door or asked.get("door"), wired.zone)
    return page(request, "gate.html", user, **context, **result)


def _decide(wired: Services, user: Actor, raw: dict[str, Any], approver: Actor | None = None) -> Decided:
    return intake.submit(wired.desk, wired.zone, user, raw, wired.clock(), approver)


def granted(decided: Decided, raw: dict[str, Any]) -> Through | None:
    """The door and people a granted request lets through, for the passage steps."""
    if decided.outcome.get("decision") != "grant":
        return None
    return str(raw.get("door", "")), [str(person) for person in raw.get("for", ())]


def answer(
    request: Request,
    user: Actor,
    wired: Services,
    raw: dict[str, Any],
    approver: Actor | None = None,
    through: Through | None = None,
) -> HTMLResponse:
    try:
        decided = _decide(wired, user, raw, approver)
    except FORM_ERRORS as error:
        return gate_page(request, user, wired, problem=problem_of(error), asked=raw, through=through)
    return gate_page(request, user, wired, decided=decided, asked=raw, through=granted(decided, raw) or through)


@router.get("/gate", response_class=HTMLResponse, include_in_schema=False)
def gate(request: Request, user: Viewer, wired: Wired, visitor: str = "") -> HTMLResponse:
    """The Gate page, for the visitor picked (``?visitor=vera``) when one is."""
    return gate_page(request, user, wired, visitor=words(visitor))


@router.post("/gate/arrive", response_class=HTMLResponse, include_in_schema=False)
def arrive(
    request: Request,
    user: Viewer,
    wired: Wired,
    id: Annotated[str, Form()],
    person: Annotated[str, Form()] = "",
    door: Annotated[str, Form()] = "",
    wearing: Annotated[str, Form()] = "",
    carrying: Annotated[str, Form()] = "",
    authority: Annotated[str, Form()] = "",
) -> HTMLResponse:
    raw: dict[str, Any] = {"id": id, "type": "arrive", "people": words(person), "door": door}
    raw |= {"wearing": words(wearing), "carrying": words(carrying)}
    if authority.strip():
        raw["claims"] = {"authority": authority.strip()}
    return answer(request, user, wired, raw)


@router.post("/gate/papers", response_class=HTMLResponse, include_in_schema=False)
def papers(
    request: Request,
    user: Viewer,
    wired: Wired,
    id: Annotated[str, Form()],
    person: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    birth_date: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "passport",
    country: Annotated[str, Form()] = "",
    number: Annotated[str, Form()] = "",
    expiry: Annotated[str, Form()] = "",
    mrz: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """The name and papers a person gives (an ``identify``); the watchlists are screened after it."""
    raw: dict[str, Any] = {"id": id, "type": "identify", "person": person.strip()}
    given = {"name": name.strip(), "birth_date": birth_date.strip(), "by": user.person or ""}
    raw |= {key: value for key, value in given.items() if value}
    if number.strip():
        document: dict[str, Any] = {
            "kind": kind.strip() or "passport",
            "country": country.strip(),
            "number": number.strip(),
        }
        lines = [line.strip() for line in mrz.splitlines() if line.strip()]
        document |= {"expiry": expiry.strip()} if expiry.strip() else {}
        document |= {"mrz": lines} if lines else {}
        raw["document"] = document
    return answer(request, user, wired, raw)


@router.post("/gate/screen", response_class=HTMLResponse, include_in_schema=False)
def screen(
    request: Request,
    user: Viewer,
    wired: Wired,
    id: Annotated[str, Form()],
    person: Annotated[str, Form()] = "",
    result: Annotated[str, Form()] = "",
    found: Annotated[str, Form()] = "",
    surrendered: Annotated[str, Form()] = "",
    refused: Annotated[str, Form()] = "",
) -> HTMLResponse:
    raw: dict[str, Any] = {"id": id, "type": "screen", "person": person.strip(), "by": user.person, "result": result}
    raw |= {"found": words(found), "surrendered": words(surrendered), "refused": words(refused)}
    return answer(request, user, wired, raw)


@router.post("/gate/request", response_class=HTMLResponse, include_in_schema=False)
def door_request(
    request: Request,
    user: Viewer,
    wired: Wired,
    id: Annotated[str, Form()],
    door: Annotated[str, Form()] = "",
    people: Annotated[str, Form()] = "",
) -> HTMLResponse:
    raw = {"id": id, "type": "request", "door": door, "by": user.person, "for": words(people)}
    return answer(request, user, wired, raw)


@router.post("/gate/override", response_class=HTMLResponse, include_in_schema=False)
def override(
    request: Request,
    user: Viewer,
    wired: Wired,
    id: Annotated[str, Form()],
    request_id: Annotated[str, Form()] = "",
    approver: Annotated[str, Form()] = "",
    approver_password: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """The guard asks; the lead signs here with their own name and password."""
    try:
        signer = wired.gatekeeper.check_password(approver, approver_password, client_of(request), by=user.name)
    except FORM_ERRORS as error:
        problem = (
            "The approving lead's name or password is wrong." if isinstance(error, BadLogin) else problem_of(error)
        )
        return gate_page(request, user, wired, problem=problem)
    raw: dict[str, Any] = {"id": id, "type": "override", "request": request_id.strip(), "by": user.person}
    raw |= {"approved_by": signer.person, "reason": reason.strip() or None}
    denied = wired.desk.state.requests.get(request_id.strip())
    if denied is None:
        return answer(request, user, wired, raw, approver=signer)
    return _overridden(request, user, wired, raw, signer, (denied.door, list(denied.people)))


def _overridden(
    request: Request, user: Actor, wired: Services, raw: dict[str, Any], signer: Actor, denied: Through
) -> HTMLResponse:
    """The override's card names the denied request's door; an approved one opens its passage."""
    try:
        decided = _decide(wired, user, raw, signer)
    except FORM_ERRORS as error:
        return gate_page(request, user, wired, problem=problem_of(error), asked=raw)
    approved = any(alert["code"] == "OVERRIDE" for alert in decided.outcome.get("alerts", ()))
    door, people = denied
    return gate_page(
        request,
        user,
        wired,
        visitor=people,
        door=door,
        decided=decided,
        asked=raw,
        through=denied if approved else None,
    )
