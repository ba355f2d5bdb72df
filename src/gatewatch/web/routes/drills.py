"""Drills: upload a drill file and run it against this site, apart from the live record."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.params import File
from fastapi.responses import HTMLResponse

from gatewatch.core.limits import DRILL_BYTES
from gatewatch.files.drill_worker import NotPlayed, play_apart
from gatewatch.files.loader import DRILL_LIMITS, FileError, read_yaml
from gatewatch.web.access import Viewer, Wired
from gatewatch.web.render import page

router = APIRouter()
MAX_BYTES = DRILL_BYTES


def beside_the_site(wired: Wired) -> dict[str, Path]:
    """Drill files kept in the site file's folder (a YAML mapping with a ``drill`` key); a file
    beyond a drill's bounds is not one."""
    if wired.site_path is None:
        return {}
    found: dict[str, Path] = {}
    for path in sorted(wired.site_path.parent.glob("*.y*ml")):
        try:
            raw = read_yaml(path, DRILL_LIMITS.yaml)
        except FileError:
            continue
        if isinstance(raw, dict) and "drill" in raw:
            found[path.name] = path
    return found


@router.get("/drills", response_class=HTMLResponse, include_in_schema=False)
def drills(request: Request, user: Viewer, wired: Wired) -> HTMLResponse:
    return page(request, "drills.html", user, kept=sorted(beside_the_site(wired)))


@router.post("/drills/kept", response_class=HTMLResponse, include_in_schema=False)
async def run_kept(request: Request, user: Viewer, wired: Wired, file: Annotated[str, Form()] = "") -> HTMLResponse:
    """A drill kept beside the site file, picked by name (nothing else on disk can be named)."""
    kept = await asyncio.to_thread(beside_the_site, wired)
    if file not in kept:
        return page(request, "drills.html", user, kept=sorted(kept), problem=f'no drill "{file}" beside the site')
    content = await asyncio.to_thread(kept[file].read_bytes)
    return await _run(request, user, wired, file, content, sorted(kept))


@router.post("/drills", response_class=HTMLResponse, include_in_schema=False)
async def run_drill(request: Request, user: Viewer, wired: Wired, drill: Annotated[UploadFile, File()]) -> HTMLResponse:
    """The drill's events are played on this site from its start; nothing enters the record."""
    content = await drill.read(MAX_BYTES + 1)
    name = drill.filename or "drill"
    kept = sorted(await asyncio.to_thread(beside_the_site, wired))
    if len(content) > MAX_BYTES:
        problem = f"{name}: file size over the limit of {MAX_BYTES:,} bytes"
        return page(request, "drills.html", user, kept=kept, problem=problem)
    return await _run(request, user, wired, name, content, kept)


async def _run(
    request: Request, user: Viewer, wired: Wired, name: str, content: bytes, kept: list[str]
) -> HTMLResponse:
    """Read and play the drill in a worker process (never on the desk's event loop or in its
    interpreter); the page is rendered off the loop too, as a long timeline takes a while."""
    played = await asyncio.to_thread(play_apart, name, content, wired.site, wired.zone)
    if isinstance(played, NotPlayed):
        return page(request, "drills.html", user, kept=kept, problem=played.problem)
    return await asyncio.to_thread(
        page, request, "drills.html", user, kept=kept, name=name, result=played, steps=played.steps
    )
