"""``gatewatch report case | window | verify``: reports with proof, and their check against the record.

A report is written as PDF or HTML by its file's suffix. The command line reads the record as
its keeper does: everything in it is shown (a discreet alert too), and the report names as its
maker the ``--by`` given, else the account that runs the command.
"""

from __future__ import annotations

import getpass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from gatewatch.cli.log import Data, Db, open_log, record_url

if TYPE_CHECKING:
    from gatewatch.reports.content import Report
    from gatewatch.reports.verify import Verification
    from gatewatch.service.permissions import Actor

app = typer.Typer(help="Reports with proof: a case or a window of the record, and their check.", no_args_is_help=True)

Site = Annotated[Path, typer.Option("--site", help="The site file.")]
Out = Annotated[Path | None, typer.Option("--out", "-o", help="The file to write: .pdf or .html (default: PDF).")]
By = Annotated[str | None, typer.Option("--by", help="Who the report names as its maker (default: your account).")]
LISTED = 500
"""Cited events listed one by one by ``report verify`` (past this, only those that differ, unless --all)."""


def _maker(by: str | None) -> Actor:
    from gatewatch.service.permissions import Actor, UserRole

    return Actor(by or getpass.getuser(), UserRole.ADMIN, None)


@app.command("case")
def case_command(
    case: Annotated[str, typer.Argument(help="The case's id.")],
    site: Site,
    data: Data = None,
    db: Db = None,
    out: Out = None,
    by: By = None,
) -> None:
    """A case's report: the case, its person's timeline and chart, the assessment, the alerts, and the proof."""
    from gatewatch.bootstrap import build, utc_now
    from gatewatch.files.loader import FileError
    from gatewatch.reports.case import CaseNotFound, case_report

    console = Console(stderr=True, soft_wrap=True)
    target = out or default_case_file(case)
    _check_format(target, console)
    url = record_url(data, db, existing=True)
    try:
        with console.status("rebuilding the engine's state from the record…"):
            services = build(site, url)
    except (FileError, ValueError) as error:
        console.print(f"[bold red]error[/] {error}")
        raise typer.Exit(2) from None
    try:
        with console.status(f"gathering case {case}…"):
            report = case_report(services, case, _maker(by), utc_now())
    except CaseNotFound as error:
        console.print(f"[bold red]error[/] {error}")
        raise typer.Exit(1) from None
    finally:
        services.close()
    _write(report, target, console)


@app.command("window")
def window_command(
    start: Annotated[str, typer.Argument(metavar="FROM", help="A date (1940-08-01) or a date and time, site time.")],
    end: Annotated[str, typer.Argument(metavar="TO", help="A date (its whole day included) or a date and time.")],
    site: Site,
    data: Data = None,
    db: Db = None,
    out: Out = None,
    by: By = None,
) -> None:
    """A window's alerts and decisions, day by day, with the proof (92 days, 20,000 events, 3,000 lines at most)."""
    from rich.progress import Progress

    from gatewatch.files.loader import FileError, load_site
    from gatewatch.reports.window import WindowRefused, window_report

    console = Console(stderr=True, soft_wrap=True)
    target = out or Path(f"window-{_safe(start)}-{_safe(end)}.pdf")
    _check_format(target, console)
    try:
        loaded, zone = load_site(site)
    except FileError as error:
        console.print(f"[bold red]error[/] {error}")
        raise typer.Exit(2) from None
    log = open_log(data, db, existing=True)
    try:
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("reading the window", total=None)
            report = window_report(
                log,
                (loaded.id, loaded.name),
                zone,
                start,
                end,
                _maker(by),
                datetime.now(UTC),
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
    except WindowRefused as error:
        console.print(f"[bold red]refused[/] {error}")
        raise typer.Exit(2) from None
    finally:
        log.close()
    _write(report, target, console)


@app.command("verify")
def verify_command(
    report: Annotated[Path, typer.Argument(help="The report: a PDF or HTML file made by 'gatewatch report'.")],
    data: Data = None,
    db: Db = None,
    all_: Annotated[bool, typer.Option("--all", help="List every cited event, however many.")] = False,
) -> None:
    """Check every event a report cites, and its chain head, against the record; and the report against its proof."""
    from gatewatch.reports.proof import ProofError
    from gatewatch.reports.read import read_report
    from gatewatch.reports.verify import verify

    console = Console(soft_wrap=True)
    url = record_url(data, db, existing=True)  # a mistyped --data is said before the report is read
    try:
        found = read_report(report)
    except ProofError as error:
        Console(stderr=True).print(f"[bold red]error[/] {error}")
        raise typer.Exit(2) from None
    log = open_log(None, url, existing=True)
    try:
        with Console(stderr=True).status(f"checking {len(found.proof.cited)} cited events against the record…"):
            checked = verify(found.proof, found.printed, log)
    finally:
        log.close()
    _print_verification(console, checked, all_)
    if not checked.ok:
        raise typer.Exit(1)


def _print_verification(console: Console, checked: Verification, every: bool) -> None:
    """The check, compact: a line for each cited event (✔ or ✘, its time to the second, the hash's
    first characters), what differs in full under the table (full hashes there only), and the
    verdict last, on a line of its own."""
    from rich.markup import escape
    from rich.text import Text

    from gatewatch.reports.content import SHORT_HASH

    proof = checked.proof
    console.print(escape(f"{proof.subject} · site {proof.site} · made {proof.made_at} by {proof.made_by}"))
    differing = {mismatch.seq for mismatch in checked.mismatches}
    listed = proof.cited if every or len(proof.cited) <= LISTED else [c for c in proof.cited if c.seq in differing]
    digits = max((len(str(cited.seq)) for cited in listed), default=1)
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    # ✔ or ✘ in the entry's cell: a narrow terminal cuts the other columns, never that one.
    table.add_column("  entry", no_wrap=True, min_width=max(digits + 2, 7))
    table.add_column("event", no_wrap=True, overflow="ellipsis", max_width=24, min_width=6)
    table.add_column("type", no_wrap=True, overflow="ellipsis", max_width=18, min_width=6)
    table.add_column("recorded at", no_wrap=True, min_width=10)
    table.add_column("hash", no_wrap=True, min_width=8)
    for cited in listed:
        mark = ("✘", "bold red") if cited.seq in differing else ("✔", "green")
        entry = Text.assemble(mark, f" {cited.seq:>{max(digits, 5)}}")
        at = cited.at[:19].replace("T", " ")  # as recorded, to the second
        table.add_row(entry, Text(cited.event), Text(cited.type), at, cited.hash[:SHORT_HASH])
    if listed:
        console.print(table)
    if len(listed) < len(proof.cited):
        console.print(f"({len(proof.cited) - len(listed)} more cited events matched; --all lists them)")
    for problem in checked.report:
        console.print(f"[bold red]REPORT ALTERED[/] {escape(problem)}")
    if checked.head:
        console.print(f"[bold red]FAILED[/] {escape(checked.head)}")
    for mismatch in checked.mismatches:
        console.print(f"[bold red]FAILED[/] {escape(mismatch.describe())}")
    if checked.ok:
        console.print(
            f"[bold green]OK[/] all {len(proof.cited)} cited events match the record; "
            f"chain head seq {proof.head.seq} still {proof.head.hash}"
        )
        return
    failed = [f"{len(differing)} of {len(proof.cited)} cited events no longer match the record"] if differing else []
    failed += ["the chain head no longer matches"] if checked.head else []
    failed += ["the report does not print the proof it keeps"] if checked.report else []
    console.print(f"[bold red]FAILED[/] {'; '.join(failed)}")


def _check_format(target: Path, console: Console) -> None:
    from gatewatch.reports.render import format_of, pdf_available

    try:
        kind = format_of(target)
    except ValueError as error:
        console.print(f"[bold red]error[/] {error}")
        raise typer.Exit(2) from None
    if kind == "pdf" and (missing := pdf_available()):
        console.print(f"[bold red]error[/] {missing}")
        raise typer.Exit(2)


def _write(report: Report, target: Path, console: Console) -> None:
    from gatewatch.reports.render import write_report

    with console.status(f"laying out {target.name}…"):
        size = write_report(report, target)
    console.print(
        f"[bold green]wrote[/] {target} ({size:,} bytes): {len(report.proof.cited)} cited events, "
        f"chain head seq {report.proof.head.seq}"
    )


def default_case_file(case: str) -> Path:
    """The report's file when none is named: ``case-C-1.pdf``; an id that says "case-" already
    is not said twice (``case-abc`` gives ``case-abc.pdf``)."""
    name = _safe(case)
    return Path(f"{name if name.startswith('case-') else f'case-{name}'}.pdf")


def _safe(text: str) -> str:
    """A file name's part from an id or a date: letters, digits, dots, dashes and underscores."""
    return "".join(ch if ch.isalnum() or ch in "._-" else "-" for ch in text)[:80]
