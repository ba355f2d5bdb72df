"""Alerts: newest first, coloured and marked by severity, filtered; acknowledged with a comment."""

from __future__ import annotations

import contextlib
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from gatewatch.store.alerts import AlertFilter, AlreadyAcknowledged
from gatewatch.web.access import Viewer, Wired
from gatewatch.web.render import SEVERITY_MARK, page

router = APIRouter()


@router.get("/alerts", response_class=HTMLResponse, include_in_schema=False)
def alerts(
    request: Request, user: Viewer, wired: Wired, code: str = "", person: str = "", severity: str = ""
) -> HTMLResponse:
    wanted = AlertFilter(
        code=code or None, person=person or None, severity=severity if severity in SEVERITY_MARK else None, limit=200
    )
    return page(
        request,
        "alerts.html",
        user,
        alerts=wired.alerts.find(wanted),
        filters={"code": code, "person": person, "severity": severity},
    )


@router.post("/alerts/{alert_id}/ack", include_in_schema=False)
def acknowledge(alert_id: str, user: Viewer, wired: Wired, comment: Annotated[str, Form()]) -> Response:
    if comment.strip() and wired.alerts.get(alert_id) is not None:
        with contextlib.suppress(AlreadyAcknowledged):  # the first acknowledgement stands; the page shows it
            wired.alerts.acknowledge(alert_id, user.name, wired.clock().isoformat(), comment.strip())
    return RedirectResponse(f"/alerts#alert-{alert_id}", status_code=303)
