"""Durable ingest: events per second through the hash-chained log, against plain inserts.

For SQLite (WAL, synchronous=FULL, in a temporary directory) and PostgreSQL (a fresh database
on the server named by ``GATEWATCH_BENCH_PG``), the same rows go in four ways, side by side in
one run: through ``EventLog`` one event per transaction and in batches of 100 (idempotency
check, hash chain), and as plain ``executemany`` inserts of the same rows into a table of the
same shape, one per transaction and 100 per transaction: the limit. The target is at least
half the limit.

    python bench/ingest.py [--quick]
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import track
from rich.table import Table
from sqlalchemy import MetaData, create_engine, insert, text
from sqlalchemy.engine import make_url

from gatewatch.store.log import EventLog, Submission, _row
from gatewatch.store.schema import log

PG = os.environ.get("GATEWATCH_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def submissions(count: int, prefix: str) -> list[Submission]:
    return [
        Submission(
            event_id=f"{prefix}-{n}",
            type="request",
            at="2025-05-05T09:00:00-06:00",
            payload={"type": "request", "id": f"{prefix}-{n}", "door": "outer", "by": "g1", "for": [f"visitor-{n}"]},
            outcome={"decision": "grant", "reasons": [], "alerts": []},
            submitted_by="desk-1",
            received="2025-05-05T15:00:00+00:00",
        )
        for n in range(count)
    ]


@contextmanager
def database(kind: str) -> Iterator[str]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'bench.db'}"
        return
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    name = f"gatewatch_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def through_log(store: EventLog, items: list[Submission], batch: int) -> float:
    began = time.perf_counter()
    for start in track(range(0, len(items), batch), description=f"log, batches of {batch}", transient=True):
        store.append_many(items[start : start + batch])
    return len(items) / (time.perf_counter() - began)


def plain_inserts(store: EventLog, rows: list[dict[str, Any]], batch: int) -> float:
    """The same rows into a table of the same shape, with nothing but ``executemany``."""
    plain = log.to_metadata(MetaData(), name=f"plain_{batch}")
    plain.create(store.engine)
    began = time.perf_counter()
    for start in track(range(0, len(rows), batch), description=f"plain, batches of {batch}", transient=True):
        with store.engine.begin() as connection:
            connection.execute(insert(plain), rows[start : start + batch])
    return len(rows) / (time.perf_counter() - began)


def measure(kind: str, singles: int, batched: int) -> list[tuple[str, int, float, float]]:
    results = []
    with database(kind) as url:
        store = EventLog.open(url)
        for batch, count in ((1, singles), (100, batched)):
            items = submissions(count, f"b{batch}")
            rate = through_log(store, items, batch)
            rows = [_row(entry) for entry in store.entries(after=store.head()[0] - count)]
            limit = plain_inserts(store, rows, batch)
            results.append((kind, batch, rate, limit))
        store.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer events (1,000 single, 20,000 batched)")
    args = parser.parse_args()
    singles, batched = (1_000, 20_000) if args.quick else (5_000, 100_000)
    console = Console(width=max(110, Console().width))
    results: list[tuple[str, int, float, float]] = []
    for kind in ("sqlite", "postgresql"):
        try:
            results += measure(kind, singles, batched)
        except Exception as error:  # a server that is not there is reported, not fatal
            console.print(f"[yellow]{kind}: not measured ({error.__class__.__name__}: {error})[/]")
    table = Table(title="durable ingest, events per second (higher is better)")
    for column in ("database", "per transaction", "hash-chained log", "plain executemany (limit)", "log / limit"):
        table.add_column(column, justify="right")
    check: Callable[[float], str] = lambda ratio: "met" if ratio >= 0.5 else "NOT met"  # noqa: E731
    for kind, batch, rate, limit in results:
        ratio = rate / limit
        table.add_row(kind, f"{batch}", f"{rate:,.0f}", f"{limit:,.0f}", f"{ratio:.2f} ({check(ratio)})")
    console.print(table)
    console.print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}; SQLite WAL, synchronous=FULL")


if __name__ == "__main__":
    main()
