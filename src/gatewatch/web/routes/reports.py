"""Reports in the console: a case's report (PDF or HTML) from its page, and a window's from ``/reports``.

For leads and admins only (403 for anyone else, an analyst too): a report is the hashes of the
entries it cites, and the console shows an entry's hash only to those shown every alert
(``views.discretion``). A report is gathered and laid out in the server's thread pool (these
routes are plain functions, never run on the event loop), one at a time: laying out a long report
takes a minute and hundreds of megabytes, and the thread pool is the one the doors' requests are
decided in, so a report asked for while another is being made is refused at once (503, with
``Retry-After``) rather than queued, and reports can never hold the threads the doors wait for.
Making a case's report is recorded as a read of its person's file. An HTML report is served with a
policy that lets it run nothing and fetch nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from gatewatch.reports.case import CaseNotFound, case_report
from gatewatch.reports.render import PdfUnavailable, pdf_available, render
from gatewatch.reports.window import MAX_WINDOW_DAYS, MAX_WINDOW_EVENTS, MAX_WINDOW_LINES, WindowRefused, window_report
from gatewatch.service.permissions import Actor
from gatewatch.views.discretion import sees_discreet
from gatewatch.web.access import Viewer, Wired
from gatewatch.web.render import page

router = APIRouter()
KINDS = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}
SHOWN_ONLY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
"""An HTML report runs no script and fetches nothing (its proof is JSON, never run)."""
ONE_AT_A_TIME = threading.Lock()
"""Held while a report is gathered and laid out; a report asked for meanwhile is refused, not queued."""
RETRY_AFTER_S = 30


def _one_at_a_time(make: Callable[[], Response]) -> Response:
    """``make()`` if no other report is being made, else a 503 saying so (the request does not wait)."""
    if not ONE_AT_A_TIME.acquire(blocking=False):
        busy = _plain(503, "another report is being made: the console makes one at a time; try again in a minute")
        busy.headers["Retry-After"] = str(RETRY_AFTER_S)
        return busy
    try:
        return make()
    finally:
        ONE_AT_A_TIME.release()


def _refused(user: Actor) -> Response | None:
    """Leads and admins only: a report is its cited entries' hashes, and only those shown every alert
    are shown an entry's hash (``views.discretion.hash_for``: checked against an entry shown without
    its discreet alert, the hash would tell that one was left out)."""
    if sees_discreet(user):
        return None
    return _plain(
        403,
        f"a {user.role} may not make reports: a report carries the record's hashes, which only leads "
        "and admins are shown",
    )


def _no_pdf(kind: str) -> Response | None:
    """A PDF asked for where WeasyPrint cannot run: 503 saying what to install, before anything is gathered."""
    missing = pdf_available() if kind == "pdf" else ""
    return _plain(503, missing) if missing else None


def _plain(status: int, problem: str) -> Response:
    return Response(problem + "\n", status_code=status, media_type="text/plain; charset=utf-8")


def _file(content: bytes, kind: str, name: str) -> Response:
    how = "attachment" if kind == "pdf" else "inline"
    headers = {"Content-Disposition": f'{how}; filename="{name}.{kind}"', "Cache-Control": "no-store"}
    if kind == "html":
        headers["Content-Security-Policy"] = SHOWN_ONLY
    return Response(content, media_type=KINDS[kind], headers=headers)


@router.get("/cases/{case_id}/report.{kind}", include_in_schema=False)
def case_file_report(case_id: str, kind: str, user: Viewer, wired: Wired) -> Response:
    if kind not in KINDS:
        return _plain(404, f"a report is made as .pdf or .html, not .{kind}")
    refused = _refused(user) or _no_pdf(kind)
    if refused is not None:
        return refused

    def make() -> Response:
        try:
            report = case_report(wired, case_id, user, wired.clock())
            content = render(report, kind)
        except CaseNotFound as error:
            return _plain(404, str(error))
        except PdfUnavailable as error:
            return _plain(503, str(error))
        return _file(content, kind, f"case-{_safe(case_id)}")

    return _one_at_a_time(make)


@router.get("/reports", response_class=HTMLResponse, include_in_schema=False)
def reports_page(request: Request, user: Viewer, problem: str = "") -> Response:
    refused = _refused(user)
    if refused is not None:
        return refused
    return page(
        request,
        "reports.html",
        user,
        problem=problem,
        most_days=MAX_WINDOW_DAYS,
        most_events=MAX_WINDOW_EVENTS,
        most_lines=MAX_WINDOW_LINES,
    )


@router.get("/reports/window.{kind}", include_in_schema=False)
def window_file_report(request: Request, kind: str, user: Viewer, wired: Wired) -> Response:
    """``?from=…&to=…``: a date (a whole day) or a date and time, site time."""
    if kind not in KINDS:
        return _plain(404, f"a report is made as .pdf or .html, not .{kind}")
    refused = _refused(user) or _no_pdf(kind)
    if refused is not None:
        return refused
    start, end = request.query_params.get("from", ""), request.query_params.get("to", "")
    site = (wired.site.id, wired.site.name)

    def make() -> Response:
        try:
            report = window_report(wired.log, site, wired.zone, start[:40], end[:40], user, wired.clock())
            content = render(report, kind)
        except WindowRefused as error:
            shown = page(
                request,
                "reports.html",
                user,
                problem=str(error),
                start=start[:40],
                end=end[:40],
                most_days=MAX_WINDOW_DAYS,
                most_events=MAX_WINDOW_EVENTS,
                most_lines=MAX_WINDOW_LINES,
            )
            shown.status_code = 422
            return shown
        except PdfUnavailable as error:
            return _plain(503, str(error))
        return _file(content, kind, f"window-{_safe(start)}-{_safe(end)}")

    return _one_at_a_time(make)


def _safe(text: str) -> str:
    """A file name's part: letters, digits, dots, dashes and underscores (quoted for the header)."""
    return quote("".join(ch if ch.isalnum() or ch in "._-" else "-" for ch in text)[:80])
