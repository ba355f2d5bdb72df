"""The insider view: each staff member's signals over a span of days, with the events behind them.

For leads, analysts and admins only: a guard, whom it is about, is refused the page (403) and
is never shown the link to it.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from gatewatch.core.errors import InvalidInput
from gatewatch.service.insider import insider_view, span_of
from gatewatch.views import insider as insider_views
from gatewatch.web.access import Viewer, Wired
from gatewatch.web.render import PEOPLE_WORKERS, page

router = APIRouter()


@router.get("/insider", response_class=HTMLResponse, include_in_schema=False)
def insider(
    request: Request, user: Viewer, wired: Wired, since: str = "", until: str = "", person: str = ""
) -> HTMLResponse:
    asked = {"since": since.strip(), "until": until.strip(), "person": person.strip()}
    if user.role not in PEOPLE_WORKERS:
        refused = page(request, "insider.html", user, refused=True, asked=asked)
        refused.status_code = 403
        return refused
    try:
        today = wired.clock().astimezone(wired.zone).date()
        span = span_of(_day(asked, "since"), _day(asked, "until"), today, wired.zone)
        report = insider_view(wired.log, wired.desk.state, span, asked["person"][:200] or None)
    except (InvalidInput, LookupError) as error:
        return page(request, "insider.html", user, problem=_said(error), asked=asked)
    return page(request, "insider.html", user, view=insider_views.insider_view(report), asked=asked)


def _day(asked: dict[str, str], field: str) -> date | None:
    text = asked[field]
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f'"{text[:40]}" is not a date: use the date picker (YYYY-MM-DD)', field=field) from None


def _said(error: Exception) -> str:
    return error.describe() if isinstance(error, InvalidInput) else str(error)
