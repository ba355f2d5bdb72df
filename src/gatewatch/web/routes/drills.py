"""Drills: upload a drill file and run it against this site, apart from the live record."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import yaml
from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.params import File
from fastapi.responses import HTMLResponse

from gatewatch.core.drill import build_drill, play
from gatewatch.core.errors import InvalidInput
from gatewatch.core.wording import describe
from gatewatch.web.access import Viewer, Wired
from gatewatch.web.render import page

router = APIRouter()
MAX_BYTES = 2_000_000


def beside_the_site(wired: Wired) -> dict[str, Path]:
    """Drill files kept in the site file's folder (a YAML mapping with a ``drill`` key)."""
    if wired.site_path is None:
        return {}
    found: dict[str, Path] = {}
    for path in sorted(wired.site_path.parent.glob("*.y*ml")):
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if isinstance(raw, dict) and "drill" in raw:
            found[path.name] = path
    return found


@router.get("/drills", response_class=HTMLResponse, include_in_schema=False)
def drills(request: Request, user: Viewer, wired: Wired) -> HTMLResponse:
    return page(request, "drills.html", user, kept=sorted(beside_the_site(wired)))


@router.post("/drills/kept", response_class=HTMLResponse, include_in_schema=False)
def run_kept(request: Request, user: Viewer, wired: Wired, file: Annotated[str, Form()] = "") -> HTMLResponse:
    """A drill kept beside the site file, picked by name (nothing else on disk can be named)."""
    kept = beside_the_site(wired)
    if file not in kept:
        return page(request, "drills.html", user, kept=sorted(kept), problem=f'no drill "{file}" beside the site')
    return _run(request, user, wired, file, kept[file].read_bytes(), sorted(kept))


@router.post("/drills", response_class=HTMLResponse, include_in_schema=False)
async def run_drill(request: Request, user: Viewer, wired: Wired, drill: Annotated[UploadFile, File()]) -> HTMLResponse:
    """The drill's events are played on this site from its start; nothing enters the record."""
    content = await drill.read(MAX_BYTES + 1)
    name = drill.filename or "drill"
    if len(content) > MAX_BYTES:
        return page(request, "drills.html", user, problem=f"{name}: larger than 2 MB")
    return _run(request, user, wired, name, content, sorted(beside_the_site(wired)))


def _run(request: Request, user: Viewer, wired: Wired, name: str, content: bytes, kept: list[str]) -> HTMLResponse:
    try:
        raw = yaml.safe_load(content.decode("utf-8"))
        if not isinstance(raw, dict):
            raise InvalidInput("a drill file is a mapping with drill, start and events")
        result = play(build_drill(raw, wired.site, wired.zone))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        problem = f"{name}: not valid YAML ({error.__class__.__name__})"
        return page(request, "drills.html", user, kept=kept, problem=problem)
    except InvalidInput as error:
        return page(request, "drills.html", user, kept=kept, problem=f"{name}: {error.describe()}")
    steps = [
        (event, describe(event), outcome) for event, outcome in zip(result.drill.events, result.steps, strict=True)
    ]
    return page(request, "drills.html", user, kept=kept, name=name, result=result, steps=steps)
