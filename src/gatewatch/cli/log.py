"""``gatewatch log verify | export | import``: the record, checked and carried."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

if TYPE_CHECKING:
    from gatewatch.store.log import EventLog

app = typer.Typer(help="The event record: verify its hash chain, export it, import it.", no_args_is_help=True)

Data = Annotated[Path | None, typer.Option("--data", help="Data directory (SQLite file gatewatch.db inside).")]
Db = Annotated[str | None, typer.Option("--db", help="Database URL, e.g. postgresql+psycopg://user@host/db.")]


def open_log(data: Path | None, db: str | None) -> EventLog:
    """The record named by ``--data`` or ``--db``; a clear error (exit 2) if it cannot be opened."""
    from gatewatch.store.log import EventLog, database_url

    try:
        return EventLog.open(database_url(data, db))
    except ValueError as error:
        Console(stderr=True).print(f"[bold red]error[/] {error}")
        raise typer.Exit(2) from None


@app.command()
def verify(data: Data = None, db: Db = None) -> None:
    """Check the whole chain: the count and head hash, or the first entry altered, removed or reordered."""
    verdict = open_log(data, db).verify()
    console = Console(soft_wrap=True)
    if not verdict.ok:
        console.print(f"[bold red]FAILED[/] {verdict.problem} (the {verdict.count} entries before it verify)")
        raise typer.Exit(1)
    redacted = f", {verdict.redacted} redacted" if verdict.redacted else ""
    console.print(f"[bold green]OK[/] {verdict.count} entries{redacted}; head {verdict.head}")


@app.command()
def export(
    data: Data = None,
    db: Db = None,
    out: Annotated[Path | None, typer.Option("--out", help="File to write (default: standard output).")] = None,
) -> None:
    """Write every entry as JSON lines."""
    store = open_log(data, db)
    if out is None:
        count = store.export(sys.stdout)
    else:
        with out.open("w", encoding="utf-8") as handle:
            count = store.export(handle)
    Console(stderr=True).print(f"exported {count} entries")


@app.command("import")
def import_(
    source: Annotated[Path, typer.Argument(help="JSON lines written by 'gatewatch log export'.")],
    data: Data = None,
    db: Db = None,
) -> None:
    """Read exported entries into an empty store, then verify the chain."""
    from gatewatch.store.log import NotEmpty

    store = open_log(data, db)
    console = Console(stderr=True, soft_wrap=True)
    try:
        with source.open(encoding="utf-8") as handle:
            verdict = store.import_lines(handle)
    except NotEmpty as error:
        console.print(f"[bold red]refused[/] {error}")
        raise typer.Exit(2) from None
    if not verdict.ok:
        console.print(f"[bold red]imported, but the chain FAILED[/] {verdict.problem}")
        raise typer.Exit(1)
    console.print(f"[bold green]OK[/] imported {verdict.count} entries; head {verdict.head}")


@app.command()
def redact(
    site: Annotated[Path, typer.Option("--site", help="The site file (its policy.retention_days applies).")],
    data: Data = None,
    db: Db = None,
) -> None:
    """Redact visitors' identity data past the site's retention (the server also does this hourly).

    Run it while the server is stopped: a running server keeps its own state, and redacts by itself.
    """
    from gatewatch.bootstrap import build, utc_now
    from gatewatch.files.loader import FileError
    from gatewatch.store.log import database_url

    console = Console(stderr=True, soft_wrap=True)
    try:
        services = build(site, database_url(data, db))
    except (FileError, ValueError) as error:
        console.print(f"[bold red]error[/] {error}")
        raise typer.Exit(2) from None
    count = services.desk.redact_expired(utc_now())
    verdict = services.log.verify()
    services.close()
    days = services.site.policy.retention_days
    console.print(f"redacted {count} entries older than {days} days")
    if not verdict.ok:
        console.print(f"[bold red]the chain FAILED[/] {verdict.problem}")
        raise typer.Exit(1)
    console.print(f"[bold green]OK[/] {verdict.count} entries, {verdict.redacted} redacted; head {verdict.head}")
