"""``gatewatch watchlist import | list | withdraw | screenings`` and ``gatewatch screen NAME``."""

from __future__ import annotations

import getpass
import json
import re
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from gatewatch.cli.log import Data, Db, open_log
from gatewatch.core.limits import EARLIEST_YEAR

if TYPE_CHECKING:
    from gatewatch.files.watchlist_files import Finding, Reading
    from gatewatch.service.screening import Screener
    from gatewatch.store.watchlists import ListVersion

app = typer.Typer(
    help="Watchlists: import named lists (FollowTheMoney JSON lines, CSV), see their versions, export the screenings.",
    no_args_is_help=True,
)

By = Annotated[str | None, typer.Option("--by", help="Who is doing this, for the record (default: your login name).")]


def _fail(message: str) -> typer.Exit:
    Console(stderr=True, soft_wrap=True).print(f"[bold red]error[/] {message}")
    return typer.Exit(2)


def _by(by: str | None) -> str:
    return by or getpass.getuser()


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

SHOWN_FINDINGS = 10
"""How many values set aside or moved an import shows (``--report`` writes them all)."""

IMPORT_HELP = (
    "Import a file as the list's next version; screenings use it from then on.\n\n"
    "One transaction: a file with a bad line changes nothing, and the error names the line.\n\n"
    "Every entry is checked as it is read. A value that cannot be true is set aside: a date of birth "
    "that names no day, lies after --published (default: today) or more than 120 years before it; a "
    "nationality no country is known by; a placeholder name or document number. A value plainly in the "
    "wrong field is moved to its field: a date of birth among the nationalities, a country code among the "
    "dates, a passport number as the name. An entry left with no usable name is set aside whole.\n\n"
    f"The import keeps what passed, and says how many were set aside and moved, the first {SHOWN_FINDINGS} "
    "with line, entry, field, value and reason; --report FILE writes every one."
)


@app.command("import", help=IMPORT_HELP)
def import_(
    file: Annotated[Path, typer.Argument(help="FollowTheMoney JSON lines (.json, .jsonl, .ftm) or CSV (.csv).")],
    list_name: Annotated[str, typer.Option("--list", help="The list's name: denied persons, court orders, site…")],
    kind: Annotated[str | None, typer.Option("--format", help="ftm or csv (default: by the file's extension).")] = None,
    published: Annotated[
        str | None,
        typer.Option(
            "--published",
            help="YYYY-MM-DD, the list's date of publication: dates of birth after it, or more than "
            "120 years before it, are set aside (default: today).",
        ),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            help="Write every value set aside or moved to this file: JSON lines for .json/.jsonl, CSV "
            f"otherwise (line, entry, field, value, action, reason). The first {SHOWN_FINDINGS} are shown either way.",
        ),
    ] = None,
    data: Data = None,
    db: Db = None,
    by: By = None,
) -> None:
    """Import a file as the list's next version, every entry checked as it is read (``IMPORT_HELP``).

    Reads, checks, stores and indexes in one pass; then says what was passed over, set aside and moved.
    """
    from gatewatch.files.watchlist_files import Reading, guess_format

    if not file.is_file():
        raise _fail(f"{file}: no such file")
    chosen = kind or guess_format(file)
    if chosen not in ("ftm", "csv"):
        raise _fail(f'--format "{chosen}": give ftm or csv')
    if not list_name.strip():
        raise _fail("--list: give the list a name")
    if report is not None:
        _check_report(report, file, data, db)
    reading = Reading(file, *_reference(published))
    started = time.perf_counter()
    version = _import_file(file, "csv" if chosen == "csv" else "ftm", list_name.strip(), reading, report, data, db, by)
    console = Console(soft_wrap=True)
    console.print(
        f"[bold green]imported[/] {version.entries} entries as [bold]{version.list}[/] version {version.version} "
        f"in {time.perf_counter() - started:.1f} s (digest {version.digest[:16]}…)"
    )
    for why, count in reading.passed_over.items():
        console.print(f"  passed over {count} {why}")
    _print_findings(console, reading, report)


def _check_report(report: Path, file: Path, data: Path | None, db: str | None) -> None:
    """Refuse a report that would overwrite the file being imported, or the record: anything in
    the data directory (the database, its keys, the indexes) or the SQLite file ``--db`` names."""
    where = report.resolve()
    if where == file.resolve():
        raise _fail(f"--report {report}: that is the file being imported; give another file")
    if data is not None and where.is_relative_to(data.resolve()):
        raise _fail(f"--report {report}: that is in the data directory {data} (the record); give a file outside it")
    if db is not None and db.startswith("sqlite:"):
        from sqlalchemy.engine import make_url

        database = make_url(db).database
        if database and where == Path(database).resolve():
            raise _fail(f"--report {report}: that is the database --db names; give another file")


def _reference(published: str | None) -> tuple[date, str]:
    """The day dates of birth are judged on, and how the reasons name it."""
    today = date.today()
    if published is None:
        return today, "the day of import"
    if not _ISO_DAY.fullmatch(published):
        raise _fail(f'--published "{escape(published)}": write it as YYYY-MM-DD')
    try:
        day = date.fromisoformat(published)
    except ValueError:
        raise _fail(f"--published {published}: not a day of the calendar") from None
    if day > today:
        raise _fail(f"--published {published}: that is after today")
    if day.year < EARLIEST_YEAR:
        raise _fail(f"--published {published}: before {EARLIEST_YEAR}; no list is that old (a mistyped year?)")
    return day, "the list's date of publication"


def _import_file(
    file: Path,
    kind: Literal["ftm", "csv"],
    list_name: str,
    reading: Reading,
    report: Path | None,
    data: Path | None,
    db: str | None,
    by: str | None,
) -> ListVersion:
    """Read, check, store and index the file in one pass (every finding to ``report``), and keep the index
    (``service.watchlist_import``, as the site's inbox does with a version from head office)."""
    from gatewatch.files.watchlist_files import WatchlistFileError
    from gatewatch.service.screening import Screener
    from gatewatch.service.watchlist_import import import_list
    from gatewatch.store.watchlists import Watchlists

    log = open_log(data, db)
    screener = Screener(Watchlists(log.engine), data)
    try:
        with ExitStack() as stack:
            if report is not None:
                reading.sink = _report_writer(report, stack)
            advance = stack.enter_context(_progress(file))
            return import_list(
                screener,
                file,
                kind,
                list_name,
                reading,
                source=file.name,
                by=_by(by),
                at=datetime.now(UTC).isoformat(timespec="seconds"),
                progress=advance,
            )
    except WatchlistFileError as error:
        if report is not None:
            report.unlink(missing_ok=True)  # a report of an import that did not happen would mislead
        raise _fail(f"{error}; nothing was imported") from None


def _report_writer(report: Path, stack: ExitStack) -> Callable[[Finding], None]:
    """Open the report file for the import's findings (closed with ``stack``)."""
    from gatewatch.files.watchlist_files import write_report

    try:
        return stack.enter_context(write_report(report))
    except OSError as error:
        raise _fail(f"--report {report}: cannot write it ({error.strerror or error})") from None


@contextmanager
def _progress(file: Path) -> Iterator[Callable[[int], None]]:
    """A progress bar over the file's bytes, on standard error."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    columns = ("[progress.description]{task.description}", BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True)) as progress:
        task = progress.add_task(f"importing {file.name}", total=file.stat().st_size)
        yield lambda n: progress.advance(task, n)


def _print_findings(console: Console, reading: Reading, report: Path | None) -> None:
    """How many entries and values were set aside and moved, and the first ``SHOWN_FINDINGS`` of them."""
    if not reading.findings:
        console.print("  every entry passed the checks")
        return
    console.print(
        f"  set aside {reading.entries_set_aside} entries and {reading.values_set_aside} values; "
        f"moved {reading.values_moved} values to their fields"
    )
    for finding in reading.first[:SHOWN_FINDINGS]:
        console.print(f"    {escape(finding.describe())}")
    more = reading.findings - min(len(reading.first), SHOWN_FINDINGS)
    where = f"all are in {report}" if report is not None else "--report FILE writes them all"
    if more > 0:
        console.print(f"    … and {more} more ({where})")
    elif report is not None:
        console.print(f"  written to {report}")


@app.command("list")
def list_(
    data: Data = None,
    db: Db = None,
    all_versions: Annotated[bool, typer.Option("--all", help="Every version ever imported.")] = False,
) -> None:
    """The lists screened against now (or every version imported, with --all)."""
    from gatewatch.store.watchlists import Watchlists

    book = Watchlists(open_log(data, db).engine)
    versions = book.history() if all_versions else book.current()
    if not versions:
        Console().print("no watchlist imported yet: gatewatch watchlist import FILE --list NAME")
        return
    console = Console(soft_wrap=True)
    for v in versions:
        mark = "[bold green]current[/]" if v.current else "[dim]replaced[/]"
        console.print(
            f"[bold]{v.list}[/] v{v.version} {mark}: {v.entries} entries, imported {v.imported} by {v.imported_by} "
            f"from {v.source} (digest {v.digest[:16]}…)"
        )


@app.command()
def withdraw(
    list_name: Annotated[str, typer.Argument(help="The list to stop screening against.")],
    data: Data = None,
    db: Db = None,
) -> None:
    """Stop screening against a list (its versions stay on record)."""
    from gatewatch.store.watchlists import Watchlists

    if not Watchlists(open_log(data, db).engine).withdraw(list_name):
        raise _fail(f'no current list named "{list_name}"')
    Console().print(f"withdrew {list_name}")


@app.command()
def screenings(
    data: Data = None,
    db: Db = None,
    person: Annotated[str | None, typer.Option("--person", help="Only this person's screenings.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="File to write (default: standard output).")] = None,
    kind: Annotated[str, typer.Option("--format", help="csv or jsonl.")] = "csv",
) -> None:
    """Export every screening kept in the record: who screened whom, against which list versions, the result."""
    from gatewatch.service.screening import recorded_screenings, write_screenings

    if kind not in ("csv", "jsonl"):
        raise _fail(f'--format "{kind}": give csv or jsonl')
    rows = recorded_screenings(open_log(data, db), person)
    handle = out.open("w", encoding="utf-8", newline="") if out else sys.stdout
    try:
        count = write_screenings(rows, handle, "jsonl" if kind == "jsonl" else "csv")
    finally:
        if out:
            handle.close()
    Console(stderr=True).print(f"exported {count} screenings")


def screen_command(
    names: Annotated[list[str], typer.Argument(help="The name to screen, and any other names the person gave.")],
    site: Annotated[Path, typer.Option("--site", help="The site file (YAML): the screening is recorded there.")],
    birth_date: Annotated[
        str | None, typer.Option("--birth-date", help="YYYY-MM-DD: a date that disagrees lowers a candidate.")
    ] = None,
    document: Annotated[
        list[str] | None, typer.Option("--document", help="A document number (repeat for more).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100, help="How many candidates to show.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    data: Data = None,
    db: Db = None,
    by: By = None,
) -> None:
    """Screen a name against every current watchlist: the best candidates with scores and reasons.

    The screening is kept in the record (who screened, which list versions, the result).
    Exit status 1 when a candidate is a match, 0 when clear.
    """
    from gatewatch.bootstrap import build
    from gatewatch.core.errors import InvalidInput
    from gatewatch.files.loader import FileError
    from gatewatch.service.screening import on_demand
    from gatewatch.store.log import database_url

    try:
        born = date.fromisoformat(birth_date) if birth_date else None
    except ValueError:
        raise _fail(f'--birth-date "{birth_date}": write it as YYYY-MM-DD') from None
    try:
        services = build(site, database_url(data, db), cache=data)
    except (FileError, ValueError) as error:
        raise _fail(str(error)) from None
    _load_with_progress(services.screener)
    now = services.clock().astimezone(services.zone)
    event_id = f"screen-{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    try:
        screened, decided = on_demand(
            services.screener,
            services.desk,
            now,
            event_id=event_id,
            by=_by(by),
            names=names,
            birth_date=born,
            documents=document or (),
            limit=limit,
        )
    except InvalidInput as error:
        raise _fail(error.describe()) from None
    finally:
        services.close()
    subject_names = screened_names(names)
    if as_json:
        import msgspec

        body = {
            "names": list(subject_names),
            "result": screened.result,
            "lists": [msgspec.to_builtins(v) for v in screened.lists],
            "candidates": [msgspec.to_builtins(c) for c in screened.candidates],
            "recorded": {"event": event_id, "seq": decided.seq},
        }
        print(json.dumps(body, ensure_ascii=False, indent=2))
    else:
        _print_screened(subject_names, screened, event_id, decided.seq)
    raise typer.Exit(1 if screened.result == "match" else 0)


def screened_names(names: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n.strip() for n in names if n.strip()))


def _load_with_progress(screener: Screener) -> None:
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("loading watchlists", total=None)

        def moved(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total, description="indexing a watchlist")

        screener.current(moved)


def _print_screened(names: tuple[str, ...], screened: Any, event_id: str, seq: int) -> None:
    console = Console(soft_wrap=True)
    lists = ", ".join(f"{v.list} v{v.version}" for v in screened.lists) or "no list imported"
    if not screened.candidates:
        console.print(f"[bold green]clear[/] {' / '.join(names)}: no candidate on {lists}")
    else:
        verdict = "[bold red]MATCH[/]" if screened.result == "match" else "[bold green]clear[/]"
        console.print(f"{verdict} {' / '.join(names)} against {lists}")
        table = Table("score", "list", "entry", "matched", "reasons")
        for c in screened.candidates:
            mark = "[bold red]" if c.is_match else ""
            matched = c.alias if c.alias == c.name else f"{c.alias} (alias of {c.name})"
            table.add_row(f"{mark}{c.score:.3f}", c.list, c.entry, matched, "\n".join(c.reasons))
        console.print(table)
    console.print(f"recorded as {event_id} (entry {seq})")
