"""The Board's doors: locks, readers and controllers, kept live; and a card presented at one of
the simulated driver's readers, which answers as a reader does, green or red and nothing more."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from gatewatch.devices.simulated import UnknownDevice
from gatewatch.service.permissions import UserRole
from gatewatch.web.access import Viewer, Wired
from gatewatch.web.door_panel import NotPresented, light, panel_of, presented_card, simulator
from gatewatch.web.render import fragment
from gatewatch.web.routes.board import board_page

router = APIRouter()

PRESENTS = frozenset({UserRole.GUARD, UserRole.LEAD, UserRole.ADMIN})
"""Who may present a card at a simulated reader (those who work the doors)."""


@dataclass(frozen=True, slots=True)
class ReaderSaid:
    reader: str
    light: str
    """green or red: all a reader shows."""


@router.get("/board/doors", response_class=HTMLResponse, include_in_schema=False)
def doors_live(user: Viewer, wired: Wired) -> HTMLResponse:
    """The doors with readers, for the Board to refresh in place."""
    return fragment("_doors.html", panel=panel_of(wired))


@router.post("/board/reader", response_class=HTMLResponse, include_in_schema=False)
def present(
    request: Request,
    user: Viewer,
    wired: Wired,
    reader: Annotated[str, Form()] = "",
    credential: Annotated[str, Form()] = "",
    pin: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """A card (and PIN) at a simulated reader: the driver asks the desk as any reader does."""
    driver = simulator(wired)
    if user.role not in PRESENTS:
        return board_page(request, user, wired, problem=f"a {user.role} does not present cards at the doors")
    if driver is None:
        return board_page(request, user, wired, problem="no simulated reader runs on this site")
    try:
        card, keyed = presented_card(credential, pin)
        answer = driver.present(reader.strip(), card, keyed)
    except (NotPresented, UnknownDevice) as error:
        return board_page(request, user, wired, problem=str(error))
    found = wired.site.readers.get(reader.strip())
    said = ReaderSaid(found.name if found is not None else reader.strip(), light(answer))
    return board_page(request, user, wired, reader_said=said, presented_at=reader.strip())
