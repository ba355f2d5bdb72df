"""Drills: upload a drill file and run it against this site, apart from the live record."""

from __future__ import annotations

from typing import Annotated

import yaml
from fastapi import APIRouter, Request, UploadFile
from fastapi.params import File
from fastapi.responses import HTMLResponse

from gatewatch.core.drill import build_drill, play
from gatewatch.core.errors import InvalidInput
from gatewatch.core.wording import describe
from gatewatch.web.access import Viewer, Wired
from gatewatch.web.render import page

router = APIRouter()
MAX_BYTES = 2_000_000


@router.get("/drills", response_class=HTMLResponse, include_in_schema=False)
def drills(request: Request, user: Viewer) -> HTMLResponse:
    return page(request, "drills.html", user)


@router.post("/drills", response_class=HTMLResponse, include_in_schema=False)
async def run_drill(request: Request, user: Viewer, wired: Wired, drill: Annotated[UploadFile, File()]) -> HTMLResponse:
    """The drill's events are played on this site from its start; nothing enters the record."""
    content = await drill.read(MAX_BYTES + 1)
    name = drill.filename or "drill"
    if len(content) > MAX_BYTES:
        return page(request, "drills.html", user, problem=f"{name}: larger than 2 MB")
    try:
        raw = yaml.safe_load(content.decode("utf-8"))
        if not isinstance(raw, dict):
            raise InvalidInput("a drill file is a mapping with drill, start and events")
        result = play(build_drill(raw, wired.site, wired.zone))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        return page(request, "drills.html", user, problem=f"{name}: not valid YAML ({error.__class__.__name__})")
    except InvalidInput as error:
        return page(request, "drills.html", user, problem=f"{name}: {error.describe()}")
    steps = [
        (event, describe(event), outcome) for event, outcome in zip(result.drill.events, result.steps, strict=True)
    ]
    return page(request, "drills.html", user, name=name, result=result, steps=steps)
