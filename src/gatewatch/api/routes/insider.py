"""The insider view: what the record shows of the site's own people, for leads and analysts only."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query

from gatewatch.api.access import needs
from gatewatch.http.access import Wired
from gatewatch.service.insider import DEFAULT_DAYS, insider_view, span_of
from gatewatch.service.permissions import UserRole
from gatewatch.views import insider as insider_views
from gatewatch.views.insider import InsiderOut

router = APIRouter(tags=["insider"])

READERS = (UserRole.LEAD, UserRole.ANALYST, UserRole.ADMIN)
"""Who may read the insider view: never a guard, whom it is about."""


@router.get(
    "/insider",
    summary="Guards' and staff's own signals, with the events behind each",
    response_model=InsiderOut,
    dependencies=[Depends(needs(*READERS))],
)
def insider(
    wired: Wired,
    since: Annotated[date | None, Query(description=f"First site day (default: {DEFAULT_DAYS} days to until)")] = None,
    until: Annotated[date | None, Query(description="Last site day, included (default: today)")] = None,
    person: Annotated[str | None, Query(max_length=200, description="One staff member's id")] = None,
) -> InsiderOut:
    """Doors opened without a grant, overrides asked or approved, alarms dismissed or muted,
    check-ins missed, night openings alone, credentials lent, badges at odd hours, and requests
    for people later found of concern: each with its count and its events. At most 366 days
    at a time; a span backwards, too long or out of the record's years is refused (422)."""
    today = wired.clock().astimezone(wired.zone).date()
    span = span_of(since, until, today, wired.zone)
    try:
        report = insider_view(wired.log, wired.desk.state, span, person)
    except LookupError as error:
        raise HTTPException(404, str(error)) from None
    return insider_views.insider_view(report)
