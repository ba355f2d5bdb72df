"""Alerts: newest first, filtered; acknowledged with a comment."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query

from gatewatch.api import models as m
from gatewatch.api import views
from gatewatch.api.access import User, Wired
from gatewatch.store.alerts import AlertFilter, AlreadyAcknowledged
from gatewatch.store.schema import MAX_SEQ

router = APIRouter(tags=["alerts"])


@router.get("/alerts", summary="Alerts, newest first", response_model=list[m.StoredAlertOut])
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
) -> list[m.StoredAlertOut]:
    wanted = AlertFilter(code, person, severity, acknowledged, limit, before)
    return [views.alert_view(a) for a in wired.alerts.find(wanted)]


@router.post("/alerts/{alert_id}/ack", summary="Acknowledge an alert", response_model=m.StoredAlertOut)
def acknowledge(alert_id: str, body: m.Acknowledge, user: User, wired: Wired) -> m.StoredAlertOut:
    """Keep who acknowledged it, when and what was done; the first acknowledgement stands (409 after)."""
    if wired.alerts.get(alert_id) is None:
        raise HTTPException(404, f'no alert "{alert_id}"')
    try:
        stored = wired.alerts.acknowledge(alert_id, user.name, wired.clock().isoformat(), body.comment)
    except AlreadyAcknowledged:
        raise HTTPException(409, f'alert "{alert_id}" is already acknowledged') from None
    return views.alert_view(stored)
