"""Alerts: newest first, coloured and marked by severity, filtered; acknowledged with a comment.

A lead revokes from here the credential an alert names (a revoked card tried, PINs guessed, a card
passed back, a duress PIN keyed). A discreet alert (DURESS) is listed only for leads and admins.
"""

from __future__ import annotations

import contextlib
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from gatewatch.bootstrap import Services
from gatewatch.core.alerts import AlertCode
from gatewatch.store.alerts import AlertFilter, AlreadyAcknowledged, StoredAlert
from gatewatch.store.credential_trail import credentials_presented
from gatewatch.views.discretion import hidden_from, shown
from gatewatch.web.access import Viewer, Wired
from gatewatch.web.render import LEADS, SEVERITY_MARK, page
from gatewatch.web.routes.gate import fresh_id

router = APIRouter()

NAMES_A_CREDENTIAL = frozenset(
    code.value
    for code in (AlertCode.REVOKED_CREDENTIAL_USED, AlertCode.PIN_GUESSING, AlertCode.PASSBACK, AlertCode.DURESS)
)
"""Alerts raised at a badge, naming the credential presented: a lead may revoke it from the alert."""


def revocable(wired: Services, listed: list[StoredAlert]) -> dict[str, tuple[str, str]]:
    """For each listed alert raised at a badge, the credential presented and what may be done:
    ``revoke`` it, or nothing, for it is ``revoked`` already or ``reissued`` to someone the alert
    does not name (revoking it would take the card of the wrong person)."""
    events = {alert.event for alert in listed if alert.code in NAMES_A_CREDENTIAL}
    presented = credentials_presented(wired.log, events) if events else {}
    credentials = wired.desk.state.credentials
    named = {}
    for alert in listed:
        credential = presented.get(alert.event) if alert.code in NAMES_A_CREDENTIAL else None
        record = credentials.get(credential) if credential is not None else None
        if credential is None or record is None:
            continue
        if record.holder not in alert.subjects:
            named[alert.id] = (credential, "reissued")
        else:
            named[alert.id] = (credential, "revoked" if record.revoked is not None else "revoke")
    return named


@router.get("/alerts", response_class=HTMLResponse, include_in_schema=False)
def alerts(
    request: Request,
    user: Viewer,
    wired: Wired,
    code: str = "",
    person: str = "",
    severity: str = "",
    problem: str = "",
) -> HTMLResponse:
    wanted = AlertFilter(
        code=code or None,
        person=person or None,
        severity=severity if severity in SEVERITY_MARK else None,
        limit=200,
        hidden=hidden_from(user),
    )
    listed = wired.alerts.find(wanted)
    return page(
        request,
        "alerts.html",
        user,
        alerts=listed,
        filters={"code": code, "person": person, "severity": severity},
        revocable=revocable(wired, listed) if user.role in LEADS else {},
        revoke_id=fresh_id("revoke"),
        problem=problem,
    )


@router.post("/alerts/{alert_id}/ack", include_in_schema=False)
def acknowledge(alert_id: str, user: Viewer, wired: Wired, comment: Annotated[str, Form()]) -> Response:
    found = wired.alerts.get(alert_id)
    if comment.strip() and found is not None and shown(found.code, user):
        with contextlib.suppress(AlreadyAcknowledged):  # the first acknowledgement stands; the page shows it
            wired.alerts.acknowledge(alert_id, user.name, wired.clock().isoformat(), comment.strip())
    return RedirectResponse(f"/alerts#alert-{alert_id}", status_code=303)
