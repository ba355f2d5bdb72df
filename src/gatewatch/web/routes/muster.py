"""Muster: everyone on site now, by zone, printable, with a roll-call that ticks people off."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from gatewatch.views.board import state_view
from gatewatch.web.access import Viewer, Wired
from gatewatch.web.render import page

router = APIRouter()


@router.get("/muster", response_class=HTMLResponse, include_in_schema=False)
def muster(request: Request, user: Viewer, wired: Wired) -> HTMLResponse:
    shown = state_view(wired.desk.state, wired.log.head()[0])
    on_site = [zone for zone in shown.zones if zone.people]
    total = sum(len(zone.people) for zone in on_site)
    return page(request, "muster.html", user, zones=on_site, total=total, at=wired.clock().astimezone(wired.zone))
