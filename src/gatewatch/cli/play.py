"""``gatewatch log play``: a drill's events recorded through the desk, as if they had happened.

A new site's record starts empty; an example's history (the long approach, months of visits)
is worth having on record to see what the console makes of it. Each event goes through the desk
as any event does (decided, chained, written), in the drill's order and at the drill's times;
the drill's own people are registered first. Playing again records nothing twice: an event id
already on record is passed over.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import Progress

from gatewatch.cli.log import Checkpoints, Data, Db, Key, checkpoint_place

if TYPE_CHECKING:
    from gatewatch.bootstrap import Services
    from gatewatch.core.drill import Drill as PlayedDrill
    from gatewatch.core.events import Event

Until = Annotated[
    str | None, typer.Option("--until", help="Stop after the event with this id (it is recorded; what follows is not).")
]
Drill = Annotated[Path, typer.Argument(help="The drill file (YAML) whose events to record.", exists=True)]
SiteFile = Annotated[Path, typer.Option("--site", help="The site file (YAML) the record is kept for.")]


def play_command(
    drill: Drill,
    site: SiteFile,
    data: Data = None,
    db: Db = None,
    until: Until = None,
    key: Key = None,
    checkpoints: Checkpoints = None,
) -> None:
    """Record a drill's events through the desk, in order (already recorded ids are passed over)."""
    from gatewatch.bootstrap import build
    from gatewatch.files.loader import FileError, drill_on_site
    from gatewatch.store.log import database_url

    console = Console(stderr=True, soft_wrap=True)
    try:
        services = build(site, database_url(data, db), cache=data, checkpoints=checkpoint_place(data, key, checkpoints))
    except (FileError, ValueError) as error:
        console.print(f"[bold red]error[/] {error}")
        raise typer.Exit(2) from None
    try:
        try:
            played = drill_on_site(drill.name, drill.read_bytes(), services.site, services.zone)
        except FileError as error:
            console.print(f"[bold red]error[/] {error}")
            raise typer.Exit(2) from None
        events = _events_to_play(played, until, console)
        recorded = _record(services, events)
    finally:
        services.close()
    console.print(
        f"{recorded} of {len(events)} events recorded from {drill.name} ({len(events) - recorded} already were)"
    )


def _events_to_play(played: PlayedDrill, until: str | None, console: Console) -> list[Event]:
    from gatewatch.core import events as ev

    events: list[Event] = []
    if played.events:
        first = played.events[0].at
        events += [ev.Register(id=f"{played.id}:{p.id}", at=first, person=p) for p in played.people]
    ids = [e.id for e in played.events]
    if until is not None and until not in ids:
        console.print(f'[bold red]error[/] --until "{until}": the drill has no event with that id')
        raise typer.Exit(2)
    stop = ids.index(until) + 1 if until is not None else len(ids)
    return events + list(played.events[:stop])


def _record(services: Services, events: list[Event]) -> int:
    recorded = 0
    with Progress(transient=True) as progress:
        task = progress.add_task("recording", total=len(events))
        for event in events:
            decided = services.desk.submit(event, "play", services.clock())
            recorded += 0 if decided.duplicate else 1
            progress.advance(task)
    services.desk.flush()
    return recorded
