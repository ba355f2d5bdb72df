"""Cases in the console: the list, a case's page, and the forms that open, update, note, read and close.

Shown to leads, analysts and admins only: a guard is refused the pages (403) and the forms.
Reading the notes is a form (a POST, checked for its origin like every change): each read is
recorded before the words are on the page. A case opened here says why (the API leaves it to
the client).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from gatewatch.bootstrap import Services
from gatewatch.core.errors import InvalidInput
from gatewatch.service import cases
from gatewatch.service.case_notes import NoteKey, NotesKeyError
from gatewatch.service.permissions import Actor
from gatewatch.views import cases as views
from gatewatch.web.access import Viewer, Wired
from gatewatch.web.render import PEOPLE_WORKERS, page, problem_of, words
from gatewatch.web.routes.gate import FORM_ERRORS, fresh_id

router = APIRouter()
ERRORS = (*FORM_ERRORS, NotesKeyError)
STATUSES = ("open", "investigating", "monitoring", "closed")


def _refused(request: Request, user: Actor) -> HTMLResponse | None:
    if user.role in PEOPLE_WORKERS:
        return None
    shown = page(
        request,
        "cases.html",
        user,
        listed=[],
        person="",
        status="",
        refused=True,
        problem=f"a {user.role} may not see cases: they are for leads, analysts and admins",
    )
    shown.status_code = 403
    return shown


@router.get("/cases", response_class=HTMLResponse, include_in_schema=False)
def case_list(request: Request, user: Viewer, wired: Wired, person: str = "", status: str = "") -> HTMLResponse:
    refused = _refused(request, user)
    if refused is not None:
        return refused
    state = wired.desk.state
    chosen = status if status in STATUSES else None
    found = cases.cases_in(state, person.strip() or None, chosen)
    listed = [views.case_view(state, case, record) for case, record in found]
    return page(request, "cases.html", user, listed=listed, person=person, status=chosen or "", statuses=STATUSES)


def case_page(
    request: Request, user: Actor, wired: Services, case_id: str, status_code: int = 200, **extra: Any
) -> HTMLResponse:
    state = wired.desk.state
    record = state.cases.get(case_id)
    if record is None:
        shown = page(request, "cases.html", user, listed=[], person="", status="", problem=f'no case "{case_id}"')
        shown.status_code = 404
        return shown
    file = views.case_file(state, case_id, record, cases.case_entries(wired.log, case_id), wired.log.find)
    # Keys a template reads as ids.KEY: never a dict's own method's name (ids.update is dict.update).
    ids = {"note": fresh_id("note"), "change": fresh_id("update"), "close": fresh_id("close")}
    shown = page(request, "case.html", user, case=file, ids=ids, statuses=STATUSES[:-1], **extra)
    shown.status_code = status_code
    return shown


@router.get("/cases/{case_id}", response_class=HTMLResponse, include_in_schema=False)
def case(request: Request, case_id: str, user: Viewer, wired: Wired, problem: str = "", done: str = "") -> HTMLResponse:
    return _refused(request, user) or case_page(request, user, wired, case_id, problem=problem, done=done)


@router.post("/cases", include_in_schema=False)
def open_case(
    request: Request,
    user: Viewer,
    wired: Wired,
    id: Annotated[str, Form()],
    person: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
    assignee: Annotated[str, Form()] = "",
    review: Annotated[str, Form()] = "",
) -> Response:
    refused = _refused(request, user)
    if refused is not None:
        return refused
    try:
        if not reason.strip():
            raise InvalidInput("say why the case is opened: it is what the case is reviewed against", field="reason")
        cases.open_case(
            wired.desk,
            wired.zone,
            user,
            wired.clock(),
            case=id.strip(),
            person=person.strip(),
            assignee=assignee.strip() or None,
            review=_day(review),
            reason=reason.strip(),
        )
    except ERRORS as error:
        return RedirectResponse(f"/people/{quote(person.strip())}?problem={quote(problem_of(error))}", status_code=303)
    return RedirectResponse(f"/cases/{quote(id.strip())}", status_code=303)


@router.post("/cases/{case_id}/update", include_in_schema=False)
def update_case(
    request: Request,
    case_id: str,
    user: Viewer,
    wired: Wired,
    id: Annotated[str, Form()],
    status: Annotated[str, Form()] = "",
    assignee: Annotated[str, Form()] = "",
    review: Annotated[str, Form()] = "",
    links: Annotated[str, Form()] = "",
) -> Response:
    def act() -> object:
        return cases.update_case(
            wired.desk,
            wired.zone,
            user,
            wired.clock(),
            case=case_id,
            event_id=id,
            status=status.strip() or None,
            assignee=assignee.strip() or None,
            review=_day(review),
            links=words(links),
        )

    return _acting(request, user, wired, case_id, act, "The case is updated.")


@router.post("/cases/{case_id}/notes", include_in_schema=False)
def add_note(
    request: Request, case_id: str, user: Viewer, wired: Wired, id: Annotated[str, Form()], text: Annotated[str, Form()]
) -> Response:
    def act() -> object:
        return cases.add_note(
            wired.desk, wired.zone, _key(wired), user, wired.clock(), case=case_id, event_id=id, text=text
        )

    return _acting(request, user, wired, case_id, act, "The note is sealed and recorded.")


@router.post("/cases/{case_id}/close", include_in_schema=False)
def close_case(
    request: Request,
    case_id: str,
    user: Viewer,
    wired: Wired,
    id: Annotated[str, Form()],
    reason: Annotated[str, Form()],
) -> Response:
    def act() -> object:
        return cases.close_case(wired.desk, wired.zone, user, wired.clock(), case=case_id, event_id=id, reason=reason)

    return _acting(request, user, wired, case_id, act, "The case is closed.")


@router.post("/cases/{case_id}/read", response_class=HTMLResponse, include_in_schema=False)
def read_notes(request: Request, case_id: str, user: Viewer, wired: Wired) -> HTMLResponse:
    """The notes' words, on this page only, once each read is recorded."""
    refused = _refused(request, user)
    if refused is not None:
        return refused
    try:
        read = cases.read_notes(wired.desk, wired.zone, _key(wired), user, wired.clock(), case=case_id)
    except NotesKeyError as error:
        return case_page(request, user, wired, case_id, 503, problem=error.problem)
    except FORM_ERRORS as error:
        return case_page(request, user, wired, case_id, 422, problem=problem_of(error))
    return case_page(request, user, wired, case_id, opened=read)


def _acting(
    request: Request, user: Actor, wired: Services, case_id: str, act: Callable[[], object], done: str
) -> Response:
    refused = _refused(request, user)
    if refused is not None:
        return refused
    try:
        act()
    except NotesKeyError as error:
        return case_page(request, user, wired, case_id, 503, problem=error.problem)
    except ERRORS as error:
        return case_page(request, user, wired, case_id, 422, problem=problem_of(error))
    return RedirectResponse(f"/cases/{quote(case_id)}?done={quote(done)}", status_code=303)


def _key(wired: Services) -> NoteKey:
    if wired.notes is None:
        raise NotesKeyError(
            "no key for case notes is configured: start the server with --notes-key PATH (or --data DIR)"
        )
    return wired.notes


def _day(text: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f'"{text.strip()}" is not a date (YYYY-MM-DD)', field="review") from None
