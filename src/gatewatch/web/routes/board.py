"""The board: the site as its zones, who is in each, doors, posts, and the lockdown banner."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from gatewatch.bootstrap import Services
from gatewatch.service import intake
from gatewatch.service.permissions import Actor
from gatewatch.store.alerts import AlertFilter
from gatewatch.views.board import state_view
from gatewatch.web.access import Viewer, Wired
from gatewatch.web.door_panel import panel_of
from gatewatch.web.duty_panel import duty_panel
from gatewatch.web.render import critical_open, fragment, page
from gatewatch.web.routes.gate import fresh_id

router = APIRouter()


def board_context(wired: Services) -> dict[str, object]:
    state = wired.desk.state
    shown = state_view(state, wired.log.head()[0])
    escorted = {zone.id: state.escorts_there(zone.id) > 0 for zone in shown.zones}
    return {"board": shown, "escorted": escorted, "forced": forced_doors(wired)}


def forced_doors(wired: Services) -> frozenset[str]:
    """Doors named by a DOOR_FORCED alert nobody has acknowledged yet."""
    open_alerts = wired.alerts.find(AlertFilter(code="DOOR_FORCED", acknowledged=False, limit=200))
    return frozenset(subject for alert in open_alerts for subject in alert.subjects if subject in wired.site.doors)


def board_page(request: Request, user: Actor, wired: Services, **result: object) -> HTMLResponse:
    """The board, with the duty panel for this user and what their last entry there came to."""
    panel = duty_panel(wired.desk.state, user, wired.zone)
    ids = {kind: fresh_id(kind) for kind in ("post", "weather")}
    doors = panel_of(wired)
    return page(request, "board.html", user, duty=panel, duty_ids=ids, doors=doors, **board_context(wired), **result)


@router.get("/board", response_class=HTMLResponse, include_in_schema=False)
def board(request: Request, user: Viewer, wired: Wired) -> HTMLResponse:
    return board_page(request, user, wired)


@router.get("/board/live", response_class=HTMLResponse, include_in_schema=False)
def board_live(user: Viewer, wired: Wired) -> HTMLResponse:
    return fragment("_board.html", **board_context(wired))


@router.get("/banner", response_class=HTMLResponse, include_in_schema=False)
def banner(user: Viewer, wired: Wired) -> HTMLResponse:
    """The lockdown banner and the unacknowledged critical alerts, shown on every page."""
    return fragment("_banner.html", lockdown=wired.desk.state.lockdown, critical=critical_open(wired, user))


@router.post("/board/all-clear", include_in_schema=False)
def all_clear(user: Viewer, wired: Wired, id: Annotated[str, Form()]) -> Response:
    intake.submit(wired.desk, wired.zone, user, {"id": id, "type": "all_clear", "by": user.person}, wired.clock())
    return RedirectResponse("/board", status_code=303)
