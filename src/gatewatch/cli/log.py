"""``gatewatch log verify | checkpoint | checkpoints | export | import | redact``: the record, checked and carried."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

if TYPE_CHECKING:
    from gatewatch.store.checkpoint import CheckpointPlace
    from gatewatch.store.log import EventLog

app = typer.Typer(
    help="The event record: verify it, sign checkpoints of it, export it, import it.", no_args_is_help=True
)

Data = Annotated[Path | None, typer.Option("--data", help="Data directory (SQLite file gatewatch.db inside).")]
Db = Annotated[str | None, typer.Option("--db", help="Database URL, e.g. postgresql+psycopg://user@host/db.")]
Key = Annotated[
    Path | None,
    typer.Option(
        "--checkpoint-key",
        envvar="GATEWATCH_CHECKPOINT_KEY",
        help="The checkpoints' private key (default DATA/checkpoint.key, made 0600 on first use; public key beside).",
    ),
]
Checkpoints = Annotated[
    Path | None,
    typer.Option(
        "--checkpoints",
        envvar="GATEWATCH_CHECKPOINTS",
        help="The file the signed checkpoints are appended to (default DATA/checkpoints.jsonl).",
    ),
]


def open_log(data: Path | None, db: str | None, *, existing: bool = False) -> EventLog:
    """The record named by ``--data`` or ``--db``; a clear error (exit 2) if it cannot be opened.

    ``existing``: for a command that only reads the record, a ``--data`` directory with no
    record in it is refused (exit 2), and nothing is created there."""
    from gatewatch.store.log import EventLog

    url = record_url(data, db, existing=existing)
    try:
        return EventLog.open(url)
    except ValueError as error:
        Console(stderr=True).print(f"[bold red]error[/] {error}")
        raise typer.Exit(2) from None


def record_url(data: Path | None, db: str | None, *, existing: bool = False) -> str:
    """The database URL that ``--data`` or ``--db`` names; a clear error (exit 2) if it cannot be
    (``existing``: or if it holds no record, creating nothing)."""
    from gatewatch.store.log import database_url

    try:
        return database_url(data, db, existing=existing)
    except ValueError as error:
        Console(stderr=True, soft_wrap=True).print(f"[bold red]error[/] {error}")
        raise typer.Exit(2) from None


@app.command()
def verify(
    data: Data = None,
    db: Db = None,
    key: Key = None,
    checkpoints: Checkpoints = None,
    public_key: Annotated[
        Path | None,
        typer.Option("--public-key", help="Check the checkpoints with this public key (e.g. an off-site copy)."),
    ] = None,
) -> None:
    """Check the whole record: the log's chain, redactions, alerts, the side tables, and every signed checkpoint."""
    from gatewatch.store.audit import verify_record
    from gatewatch.store.checkpoint import CheckpointError

    place = checkpoint_place(data, key, checkpoints)
    try:
        audit = verify_record(open_log(data, db, existing=True), place, public=public_key)
    except CheckpointError as error:
        Console(stderr=True).print(f"[bold red]error[/] {error}")
        raise typer.Exit(2) from None
    console = Console(soft_wrap=True)
    if not audit.ok:
        for problem in audit.problems:
            console.print(f"[bold red]FAILED[/] {problem}")
        raise typer.Exit(1)
    verdict = audit.chain
    redacted = f", {verdict.redacted} redacted" if verdict.redacted else ""
    console.print(f"[bold green]OK[/] {verdict.count} entries{redacted}; head {verdict.head}")
    console.print("side tables: " + ", ".join(f"{t.table} {t.count} rows" for t in audit.tables))
    if audit.newest is None:
        console.print(
            "[yellow]no checkpoints[/]: a rewritten, cut or emptied record cannot be told from an honest one "
            "(the server signs them; or run 'gatewatch log checkpoint')"
        )
    else:
        console.print(f"checkpoints: {audit.checkpoints} signed, all match; the newest is {audit.newest.describe()}")


@app.command()
def checkpoint(
    data: Data = None,
    db: Db = None,
    key: Key = None,
    checkpoints: Checkpoints = None,
    site: Annotated[
        Path | None, typer.Option("--site", help="The site file (default: the newest checkpoint's site).")
    ] = None,
    accept_unverified_record: Annotated[
        bool, typer.Option("--accept-unverified-record", help="Sign even a record that fails the start-up check.")
    ] = False,
) -> None:
    """Sign a checkpoint of the record now (after checking it against the newest one)."""
    from gatewatch.store.audit import UnverifiedRecord, require_verified
    from gatewatch.store.checkpoint import make_checkpoint

    console = Console(stderr=True, soft_wrap=True)
    place = _required_place(data, key, checkpoints, console)
    store = open_log(data, db)
    try:
        site_id = _site_id(site, data, place)
        require_verified(store, place, site_id, accept_unverified_record)
        made = make_checkpoint(place, store, site_id)
    except UnverifiedRecord as error:
        console.print(f"[bold red]refused[/] {error}")
        raise typer.Exit(1) from None
    except ValueError as error:
        console.print(f"[bold red]error[/] {error}")
        raise typer.Exit(2) from None
    console.print(f"[bold green]signed[/] {made.describe()}: head {made.state.head}; kept in {place.file}")


@app.command("checkpoints")
def list_checkpoints(
    data: Data = None,
    key: Key = None,
    checkpoints: Checkpoints = None,
    export_to: Annotated[
        Path | None, typer.Option("--export", help="Copy the checkpoints to this file, and the public key to FILE.pub.")
    ] = None,
) -> None:
    """List the signed checkpoints (each signature checked), or export them to keep elsewhere."""
    from gatewatch.store.checkpoint import export_checkpoints, read_checkpoints

    console = Console(soft_wrap=True)
    place = _required_place(data, key, checkpoints, Console(stderr=True))
    if export_to is not None:
        count = export_checkpoints(place, export_to)
        console.print(f"exported {count} checkpoints to {export_to}, the public key to {export_to.with_suffix('.pub')}")
        return
    reading = read_checkpoints(place)
    for signed in reading.checkpoints:
        console.print(f"{signed.at}  entry {signed.state.seq}  head {signed.state.head}  site {signed.site}")
    for problem in reading.problems:
        console.print(f"[bold red]FAILED[/] {problem}")
    if reading.problems:
        raise typer.Exit(1)


def checkpoint_place(data: Path | None, key: Path | None, checkpoints: Path | None) -> CheckpointPlace | None:
    """Where the checkpoints are kept: the options, each defaulting to the data directory."""
    from gatewatch.store.checkpoint import CheckpointPlace

    return CheckpointPlace.of(data, key, checkpoints)


def _required_place(data: Path | None, key: Path | None, checkpoints: Path | None, console: Console) -> CheckpointPlace:
    place = checkpoint_place(data, key, checkpoints)
    if place is None:
        console.print(
            "[bold red]error[/] give a data directory (--data DIR) or both --checkpoint-key and --checkpoints"
        )
        raise typer.Exit(2)
    return place


def _site_id(site: Path | None, data: Path | None, place: CheckpointPlace) -> str:
    """The site a checkpoint is signed for: the site file's, else the newest checkpoint's."""
    if site is not None:
        from gatewatch.files.loader import load_site

        return load_site(site, data)[0].id
    from gatewatch.store.checkpoint import read_checkpoints

    newest = read_checkpoints(place, only_newest=True).newest
    if newest is None:
        raise ValueError("name the site (--site FILE): there is no checkpoint yet to take it from")
    return newest.site


@app.command()
def export(
    data: Data = None,
    db: Db = None,
    out: Annotated[Path | None, typer.Option("--out", help="File to write (default: standard output).")] = None,
) -> None:
    """Write every entry as JSON lines."""
    store = open_log(data, db, existing=True)
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
