"""``gatewatch drill FILE… [--json] [--max-bytes N] [--max-events N]``: replay drills, print
timelines and verdicts. A drill file is bounded (2 MiB, 20,000 events); the flags allow more."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from gatewatch.core.drill import DrillResult

EXIT_PASSED, EXIT_FAILED, EXIT_INVALID = 0, 1, 2


def drill_command(
    files: Annotated[list[Path], typer.Argument(help="Drill files (YAML).", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead.")] = False,
    max_bytes: Annotated[
        int | None,
        typer.Option("--max-bytes", min=1, help="Allow drill files up to this many bytes (2 MiB unless given)."),
    ] = None,
    max_events: Annotated[
        int | None, typer.Option("--max-events", min=1, help="Allow drills of this many events (20,000 unless given).")
    ] = None,
) -> None:
    """Replay drills through the engine and check what it decided."""
    from rich.console import Console  # the engine is loaded only for the command that needs it

    from gatewatch.cli import render
    from gatewatch.core.drill import play
    from gatewatch.core.site import Site
    from gatewatch.files.loader import MAX_DRILL_BYTES, MAX_DRILL_EVENTS, FileError, drill_limits, load_drill_or_site

    limits = drill_limits(max_bytes or MAX_DRILL_BYTES, max_events or MAX_DRILL_EVENTS)

    err = Console(stderr=True)
    results: list[tuple[Path, DrillResult]] = []
    invalid = False
    for path in files:
        try:
            loaded = load_drill_or_site(path, limits)
        except FileError as error:
            invalid = True
            err.print(f"[bold red]invalid[/] {error}", markup=True, highlight=False, soft_wrap=True)
            continue
        if isinstance(loaded, Site):
            err.print(f"{path}: a site file ({loaded.name}), checked: {render.site_summary(loaded)}", soft_wrap=True)
            continue
        results.append((path, play(loaded)))
    if as_json:
        sys.stdout.write(json.dumps(render.as_json(results), ensure_ascii=False, indent=2) + "\n")
    else:
        render.timelines(Console(), results)
    if invalid:
        raise typer.Exit(EXIT_INVALID)
    raise typer.Exit(EXIT_PASSED if all(r.passed for _, r in results) else EXIT_FAILED)
