"""``gatewatch names compare``: are two written names one person's name? With the reason, part by part."""

from __future__ import annotations

import contextlib
import csv
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import track

from gatewatch.files.cells import inert

app = typer.Typer(help="Name matching: compare two names, or a CSV of pairs.", no_args_is_help=True)
err = Console(stderr=True, soft_wrap=True)
COLUMNS = ("name1", "name2")
ADDED = ("score", "match", "explanation")
"""``match`` is ``match`` from 0.8, ``weak`` from 0.5 (worth a look, not the same name), else ``no``."""


@app.command()
def compare(
    names: Annotated[list[str] | None, typer.Argument(help="Two names.", show_default=False)] = None,
    pairs: Annotated[Path | None, typer.Option("--pairs", help="A CSV with columns name1,name2.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Where to write the CSV (default: stdout).")] = None,
) -> None:
    """Score two names (or every row of a CSV) as variants of one name, and say why.

    From 0.8 the two are one name written two ways (a match); from 0.5 a weak match worth a
    guard's look (a title with a surname alone, given and family names swapped, a part or two of
    a long name); below, no match.
    """
    from gatewatch.core.names import compare_names

    if pairs is None:
        if not names or len(names) != 2:
            err.print('[bold red]error[/] give two names (gatewatch names compare "NAME" "NAME"), or --pairs FILE.csv')
            raise typer.Exit(2)
        with err.status("loading the name data (once per run)"):
            found = compare_names(names[0], names[1])
        decision = "match" if found.is_variant else "weak: worth a look" if found.is_weak else "no match"
        Console().print(f"{found.score:.2f} {decision}: {found.explanation}", highlight=False)
        return
    if names:
        err.print("[bold red]error[/] give two names or --pairs, not both")
        raise typer.Exit(2)
    rows = _read(pairs)
    with out.open("w", encoding="utf-8", newline="") if out else contextlib.nullcontext(sys.stdout) as handle:
        writer = csv.writer(handle)
        header = list(rows[0].keys()) if rows else list(COLUMNS)
        writer.writerow([*header, *ADDED])
        for row in track(rows, description="comparing", console=err, transient=True):
            found = compare_names(row["name1"], row["name2"])
            said = "match" if found.is_variant else "weak" if found.is_weak else "no"
            cells = [*(row[c] for c in header), f"{found.score:.4f}", said, found.explanation]
            writer.writerow([inert(cell) for cell in cells])
    err.print(f"compared {len(rows)} pairs")


def _read(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                err.print(
                    f"[bold red]error[/] {path}: missing column {', '.join(missing)} (the header needs name1,name2)"
                )
                raise typer.Exit(2)
            rows = []
            for line, row in enumerate(reader, start=2):
                if not row.get("name1") or not row.get("name2"):
                    err.print(f"[bold red]error[/] {path}, line {line}: name1 and name2 must both be given")
                    raise typer.Exit(2)
                rows.append({k: v for k, v in row.items() if k is not None})
            return rows
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        err.print(f"[bold red]error[/] {path}: {getattr(error, 'strerror', None) or error}")
        raise typer.Exit(2) from None
