"""``POST /v1/events``: tell the desk what happened; it answers with the engine's decision."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, HTTPException, Request
from pydantic import BaseModel

from gatewatch.api import models as m
from gatewatch.api.access import User, too_many_attempts
from gatewatch.api.event_schema import BODY
from gatewatch.bootstrap import Services
from gatewatch.core import retention
from gatewatch.http.access import Wired, client_of
from gatewatch.service import intake
from gatewatch.service.auth import BadLogin, TooManyAttempts
from gatewatch.service.desk import Decided
from gatewatch.service.permissions import Actor, check_shown
from gatewatch.views.discretion import hash_for, outcome_for, payload_for

router = APIRouter(tags=["events"])


class EntryOut(BaseModel):
    seq: int
    event_id: str
    type: str
    at: str
    received: str
    submitted_by: str
    payload: dict[str, Any] | None
    outcome: m.OutcomeOut
    hash: str
    redacted: bool


@router.post(
    "/events",
    summary="Submit an event",
    response_model=m.Decision,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": BODY}},
            "description": "One event, as in a drill file; id required, at optional (the desk's clock).",
        }
    },
)
def submit(
    body: Annotated[dict[str, Any], Body()],
    user: User,
    wired: Wired,
    request: Request,
    x_approver_authorization: Annotated[
        str | None,
        Header(description="An override's approver signs here: Basic base64(name:password), or Bearer TOKEN"),
    ] = None,
) -> m.Decision:
    """Decide the event, record it, and answer with the decision, reasons and alerts.

    Resending an event id already recorded returns the first outcome (``duplicate``: true); the
    same id with other content is refused (409).
    """
    approver = (
        approver_of(x_approver_authorization, wired, client_of(request), user.name)
        if x_approver_authorization
        else None
    )
    return decision(intake.submit(wired.desk, wired.zone, user, body, wired.clock(), approver), user)


@router.get("/events/{event_id}", summary="One recorded event", response_model=EntryOut)
def recorded(event_id: str, user: User, wired: Wired) -> EntryOut:
    """The entry as recorded. Reading an identity event is reading its person's file, and is recorded so."""
    entry = wired.log.find(event_id)
    if entry is None:
        raise HTTPException(404, f'no event "{event_id}" is recorded')
    check_shown(user, entry.type)
    if entry.type in retention.IDENTITY_EVENTS and entry.payload is not None:
        person = retention.subject(entry.payload)
        if person is not None:
            wired.accounts.record_read(wired.clock().isoformat(), user.name, person)
    return EntryOut(
        seq=entry.seq,
        event_id=entry.event_id,
        type=entry.type,
        at=entry.at,
        received=entry.received,
        submitted_by=entry.submitted_by,
        payload=payload_for(entry.payload, user),
        outcome=m.OutcomeOut.model_validate(outcome_for(entry.outcome, user)),
        hash=hash_for(entry.hash, user),
        redacted=entry.redacted,
    )


def decision(decided: Decided, viewer: Actor) -> m.Decision:
    """The answer, without the alerts the viewer is not shown (``gatewatch.views.discretion``)."""
    return m.Decision(
        outcome=m.OutcomeOut.model_validate(outcome_for(decided.outcome, viewer)),
        seq=decided.seq,
        hash=hash_for(decided.hash, viewer),
        duplicate=decided.duplicate,
        explained=[
            m.ReasonOut(code=r.code.value, people=list(r.people), explanation=r.explanation, remedy=r.remedy)
            for r in decided.reasons
        ],
        then=[decision(d, viewer) for d in decided.then],
    )


def approver_of(header: str, wired: Services, client: str, asked_by: str) -> Actor:
    """The lead signing an override: by name and password (Basic) or by their token (Bearer)."""
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() == "bearer":
        approver = wired.gatekeeper.authenticate(value.strip())
        if approver is None:
            raise HTTPException(401, "X-Approver-Authorization: this token is unknown or has expired")
        return approver
    if scheme.lower() == "basic":
        try:
            name, _, password = base64.b64decode(value.strip(), validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            raise HTTPException(400, "X-Approver-Authorization: Basic needs base64 of name:password") from None
        try:
            return wired.gatekeeper.check_password(name, password, client, by=asked_by)
        except BadLogin:
            raise HTTPException(401, "X-Approver-Authorization: wrong name or password") from None
        except TooManyAttempts as limit:
            raise too_many_attempts(limit.retry_after) from None
    raise HTTPException(400, "X-Approver-Authorization: use Basic base64(name:password) or Bearer TOKEN")
