"""After a grant, the steps a guard records at the door: it opened, the people passed, it
closed; and a visitor leaving the site. Each step carries the door and the people on."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from gatewatch.bootstrap import Services
from gatewatch.service.permissions import Actor
from gatewatch.web import gate_flow as flow
from gatewatch.web.access import Viewer, Wired
from gatewatch.web.render import words
from gatewatch.web.routes.gate import answer, gate_page

router = APIRouter()


def by_whom(user: Actor) -> dict[str, Any]:
    """The guard at the switch, when the user is a person on the site."""
    return {"by": user.person} if user.person else {}


@router.post("/gate/open", response_class=HTMLResponse, include_in_schema=False)
def door_opened(
    request: Request,
    user: Viewer,
    wired: Wired,
    id: Annotated[str, Form()],
    door: Annotated[str, Form()] = "",
    people: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """The door's sensor, as the guard at the switch reports it."""
    return switched("open", request, user, wired, id, door, people)


@router.post("/gate/pass", response_class=HTMLResponse, include_in_schema=False)
def people_passed(
    request: Request,
    user: Viewer,
    wired: Wired,
    id: Annotated[str, Form()],
    door: Annotated[str, Form()] = "",
    people: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """The people went through the door: a ``move`` to the zone on its far side."""
    named = words(people)
    through = (door.strip(), named)
    to = flow.far_side(wired.desk.state, door.strip(), named)
    if to is None:
        problem = f"field 'door': unknown door \"{door.strip()}\"; pick the door they went through"
        return gate_page(request, user, wired, problem=problem, visitor=named)
    raw = {"id": id, "type": "move", "people": named, "to": to}
    return answer(request, user, wired, raw, through=through)


@router.post("/gate/close", response_class=HTMLResponse, include_in_schema=False)
def door_closed(
    request: Request,
    user: Viewer,
    wired: Wired,
    id: Annotated[str, Form()],
    door: Annotated[str, Form()] = "",
    people: Annotated[str, Form()] = "",
) -> HTMLResponse:
    return switched("close", request, user, wired, id, door, people)


def switched(
    kind: str, request: Request, user: Actor, wired: Services, id: str, door: str, people: str
) -> HTMLResponse:
    """The door ``open`` or ``close``, the people who go through it carried on to the next step."""
    raw = {"id": id, "type": kind, "door": door.strip()} | by_whom(user)
    return answer(request, user, wired, raw, through=(door.strip(), words(people)))


@router.post("/gate/leave", response_class=HTMLResponse, include_in_schema=False)
def visitor_left(
    request: Request, user: Viewer, wired: Wired, id: Annotated[str, Form()], people: Annotated[str, Form()] = ""
) -> HTMLResponse:
    """The visitors left the site: their visit ends."""
    return answer(request, user, wired, {"id": id, "type": "leave", "people": words(people)})
