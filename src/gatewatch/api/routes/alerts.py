"""Alerts: newest first, filtered; acknowledged with a comment."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query

from gatewatch.api import models as m
from gatewatch.api.access import User
from gatewatch.http.access import Wired
from gatewatch.store.alerts import AlertFilter, AlreadyAcknowledged
from gatewatch.store.schema import MAX_SEQ
from gatewatch.views.alerts import alert_view
from gatewatch.views.discretion import hidden_from, shown
from gatewatch.views.models import StoredAlertOut

router = APIRouter(tags=["alerts"])


@router.get("/alerts", summary="Alerts, newest first", response_model=list[StoredAlertOut])
def alerts(
    user: User,
    wired: Wired,
    code: Annotated[str | None, Query(max_length=40, description="An alert code, e.g. DOOR_FORCED")] = None,
    person: Annotated[str | None, Query(max_length=200, description="A person the alert names")] = None,
    severity: Literal["info", "warning", "high", "critical"] | None = None,
    acknowledged: bool | None = None,
    before: Annotated[
        int | None, Query(ge=1, le=MAX_SEQ, description="Only alerts from entries before this one")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[StoredAlertOut]:
    wanted = AlertFilter(code, person, severity, acknowledged, limit, before, hidden_from(user))
    return [alert_view(a) for a in wired.alerts.find(wanted)]


@router.post("/alerts/{alert_id}/ack", summary="Acknowledge an alert", response_model=StoredAlertOut)
def acknowledge(alert_id: str, body: m.Acknowledge, user: User, wired: Wired) -> StoredAlertOut:
    """Keep who acknowledged it, when and what was done; the first acknowledgement stands (409 after)."""
    found = wired.alerts.get(alert_id)
    if found is None or not shown(found.code, user):  # a discreet alert is not there for those not shown it
        raise HTTPException(404, f'no alert "{alert_id}"')
    try:
        stored = wired.alerts.acknowledge(alert_id, user.name, wired.clock().isoformat(), body.comment)
    except AlreadyAcknowledged:
        raise HTTPException(409, f'alert "{alert_id}" is already acknowledged') from None
    return alert_view(stored)
