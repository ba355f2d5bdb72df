"""Invitations: who is expected, and a host pre-registering a visitor."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from gatewatch.api import models as m
from gatewatch.api.access import User
from gatewatch.api.routes.events import decision
from gatewatch.http.access import Wired
from gatewatch.service import intake
from gatewatch.views.invitations import invitations_on
from gatewatch.views.models import InvitationOut

router = APIRouter(tags=["invitations"])


@router.get("/invitations", summary="Invitations, for one day or all", response_model=list[InvitationOut])
def invitations(
    user: User,
    wired: Wired,
    day: Annotated[date | None, Query(alias="date", description="YYYY-MM-DD")] = None,
) -> list[InvitationOut]:
    return invitations_on(wired.desk.state, day)


@router.post("/invitations", summary="Invite a visitor (you are the host)", response_model=m.Decision)
def invite(body: m.Invite, user: User, wired: Wired) -> m.Decision:
    """Records an ``invite`` event with the signed-in user's person as the host."""
    if user.person is None:
        raise HTTPException(403, f"{user.name} is no person on the site, so cannot be a host")
    raw = {"type": "invite", "by": user.person, **body.model_dump(exclude_none=True)}
    return decision(intake.submit(wired.desk, wired.zone, user, raw, wired.clock()), user)
