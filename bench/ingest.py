"""Durable batch ingest: events per second into the hash-chained log, against the raw driver and eventsourcing.

For SQLite (WAL, ``synchronous=FULL``, a file per way in a temporary directory) and PostgreSQL (a fresh
database on the server named by ``GATEWATCH_BENCH_PG``, dropped afterwards; the server's own
``synchronous_commit``, shown), the same N events go in three ways, side by side in one run,
one transaction per batch, taking turns batch by batch (the same load from the rest of the machine):

- **gatewatch**: ``EventLog.append_many`` (idempotency by event id, the SHA-256 chain worked
  out as it goes, each outcome's alerts as rows, one transaction per call);
- **raw driver**: the DBAPI driver alone (``sqlite3`` / ``psycopg``), ``executemany`` of the very
  same rows (already chained, before the clock starts) into a table of the same shape and indexes;
- **eventsourcing**: the ``eventsourcing`` library's ``SQLiteApplicationRecorder`` /
  ``PostgresApplicationRecorder`` (``insert_events``, text originator ids), one stored event per
  event, its state the row's content as JSON; no chain.

    python bench/ingest.py [--quick] [--markdown]
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
from rich.console import Console
from rich.table import Table
from sqlalchemy import MetaData, create_engine, text
from sqlalchemy.engine import URL, make_url

from gatewatch.store.chain import GENESIS
from gatewatch.store.log import EventLog, Submission, _row, prepare_entry
from gatewatch.store.schema import log

PG = os.environ.get("GATEWATCH_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
COLUMNS = tuple(column.name for column in log.columns)
WAYS = ("gatewatch", "raw driver", "eventsourcing")


@dataclass(frozen=True, slots=True)
class Measured:
    """Events per second for one database and batch size, each way."""

    database: str
    batch: int
    count: int
    rates: dict[str, float]
    durability: str


def submissions(count: int, prefix: str) -> list[Submission]:
    """Door requests as the desk records them (no alerts, as most events raise none)."""
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


def chained_rows(items: list[Submission]) -> list[tuple[Any, ...]]:
    """The rows the log would hold for these events, chained from the start (worked out untimed)."""
    rows: list[tuple[Any, ...]] = []
    previous = GENESIS
    for seq, item in enumerate(items, start=1):
        entry = prepare_entry(item, seq, previous)
        row = _row(entry)
        rows.append(tuple(row[name] for name in COLUMNS))
        previous = entry.hash
    return rows


@contextmanager
def database(kind: str) -> Iterator[str]:
    """A fresh, empty database of this kind, removed afterwards."""
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


Writer = Callable[[int], object]
"""Writes batch number N of the run (one transaction)."""


def interleaved(writers: dict[str, Writer], batches: int) -> dict[str, float]:
    """Seconds each way took, writing batch N in every way before batch N + 1 in any.

    Taking turns batch by batch puts the three under the same load from the rest of the machine.
    """
    spent = dict.fromkeys(writers, 0.0)
    for number in range(batches):
        for way, write in writers.items():
            began = time.perf_counter()
            write(number)
            spent[way] += time.perf_counter() - began
    return spent


def in_batches(items: list[Any], size: int) -> list[list[Any]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


# --- gatewatch -------------------------------------------------------------------------------


@contextmanager
def through_log(url: str, items: list[Submission], batch: int) -> Iterator[Writer]:
    store = EventLog.open(url)
    parts = in_batches(items, batch)
    try:
        yield lambda number: store.append_many(parts[number])
        verdict = store.verify()
        if not verdict.ok or verdict.count != len(items):
            raise RuntimeError(f"the log does not verify after the run: {verdict}")
    finally:
        store.close()


# --- the raw driver --------------------------------------------------------------------------


def plain_table(url: str, name: str) -> str:
    """A table of the log's shape and indexes under another name; its INSERT statement."""
    engine = create_engine(url)
    log.to_metadata(MetaData(), name=name).create(engine)
    engine.dispose()
    marks = ", ".join("?" if url.startswith("sqlite") else "%s" for _ in COLUMNS)
    return f"INSERT INTO {name} ({', '.join(COLUMNS)}) VALUES ({marks})"


@contextmanager
def raw_sqlite(url: str, rows: list[tuple[Any, ...]], batch: int) -> Iterator[Writer]:
    statement = plain_table(url, f"raw_{batch}")
    connection = sqlite3.connect(make_url(url).database or "", isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    parts = in_batches(rows, batch)

    def write(number: int) -> None:
        connection.execute("BEGIN")
        connection.executemany(statement, parts[number])
        connection.execute("COMMIT")

    try:
        yield write
    finally:
        connection.close()


@contextmanager
def raw_postgres(url: str, rows: list[tuple[Any, ...]], batch: int) -> Iterator[Writer]:
    import psycopg

    statement = plain_table(url, f"raw_{batch}")
    parts = in_batches(rows, batch)
    with psycopg.connect(conninfo(make_url(url))) as connection:

        def write(number: int) -> None:
            with connection.transaction(), connection.cursor() as cursor:
                cursor.executemany(statement, parts[number])

        yield write


def conninfo(url: URL) -> str:
    return f"host={url.host} port={url.port or 5432} user={url.username} dbname={url.database}" + (
        f" password={url.password}" if url.password else ""
    )


# --- eventsourcing ---------------------------------------------------------------------------


def stored_events(rows: list[tuple[Any, ...]]) -> list[Any]:
    """One stored event per row: its id as the originator, version 1, its content as JSON."""
    from eventsourcing.persistence import StoredEvent

    at = {name: place for place, name in enumerate(COLUMNS)}
    return [
        StoredEvent(
            originator_id=row[at["event_id"]],
            originator_version=1,
            topic=row[at["type"]],
            state=msgspec.json.encode({name: row[place] for name, place in at.items() if name != "event_id"}),
        )
        for row in rows
    ]


@contextmanager
def eventsourcing_sqlite(url: str, rows: list[tuple[Any, ...]], batch: int) -> Iterator[Writer]:
    from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore

    datastore = SQLiteDatastore(make_url(url).database or "", originator_id_type="text", pool_size=1)
    recorder = SQLiteApplicationRecorder(datastore, events_table_name=f"es_{batch}")
    recorder.create_table()
    with datastore.transaction(commit=False) as cursor:
        cursor.execute("PRAGMA synchronous")
        synchronous = cursor.fetchone()[0]
    if synchronous != 2:
        raise RuntimeError(f"eventsourcing's SQLite connection has synchronous={synchronous}, not FULL (2)")
    parts = in_batches(stored_events(rows), batch)
    try:
        yield lambda number: recorder.insert_events(parts[number])
    finally:
        datastore.close()


@contextmanager
def eventsourcing_postgres(url: str, rows: list[tuple[Any, ...]], batch: int) -> Iterator[Writer]:
    from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore

    where = make_url(url)
    datastore = PostgresDatastore(
        dbname=where.database or "",
        host=where.host or "127.0.0.1",
        port=where.port or 5432,
        user=where.username or "postgres",
        password=where.password or "",
        originator_id_type="text",
    )
    recorder = PostgresApplicationRecorder(datastore, events_table_name=f"es_{batch}")
    recorder.create_table()
    parts = in_batches(stored_events(rows), batch)
    try:
        yield lambda number: recorder.insert_events(parts[number])
    finally:
        datastore.close()


# --- the run ---------------------------------------------------------------------------------


def own_file(url: str, name: str) -> str:
    """SQLite: a file of its own beside the log's (its own WAL and checkpoints); PostgreSQL: the same database."""
    if not url.startswith("sqlite"):
        return url
    return f"sqlite:///{Path(make_url(url).database or '').with_name(f'{name}.db')}"


def durability(kind: str, url: str) -> str:
    if kind == "sqlite":
        return "WAL, synchronous=FULL (all three)"
    engine = create_engine(url)
    with engine.connect() as connection:
        synchronous = connection.execute(text("SHOW synchronous_commit")).scalar_one()
        fsync = connection.execute(text("SHOW fsync")).scalar_one()
    engine.dispose()
    return f"synchronous_commit={synchronous}, fsync={fsync} (all three)"


def measure(kind: str, batch: int, count: int) -> Measured:
    """The three ways taking turns, each into its own table (SQLite: its own file) of one fresh database."""
    items = submissions(count, f"b{batch}")
    rows = chained_rows(items)
    raw, sourced = (raw_sqlite, eventsourcing_sqlite) if kind == "sqlite" else (raw_postgres, eventsourcing_postgres)
    with database(kind) as url, ExitStack() as stack:
        writers = {
            "gatewatch": stack.enter_context(through_log(url, items, batch)),
            "raw driver": stack.enter_context(raw(own_file(url, "raw"), rows, batch)),
            "eventsourcing": stack.enter_context(sourced(own_file(url, "eventsourcing"), rows, batch)),
        }
        spent = interleaved(writers, -(-count // batch))
        rates = {way: count / seconds for way, seconds in spent.items()}
        return Measured(kind, batch, count, rates, durability(kind, url))


def cells(result: Measured) -> list[str]:
    rates = result.rates
    return [
        "SQLite" if result.database == "sqlite" else "PostgreSQL",
        f"{result.batch}",
        f"{result.count:,}",
        *(f"{rates[way]:,.0f}" for way in WAYS),
        f"{rates['gatewatch'] / rates['raw driver']:.2f}",
        f"{rates['gatewatch'] / rates['eventsourcing']:.2f}",
    ]


HEADERS = (
    "database",
    "events per transaction",
    "events",
    "gatewatch log /s",
    "raw driver executemany /s",
    "eventsourcing recorder /s",
    "log / raw",
    "log / eventsourcing",
)


def markdown(results: list[Measured]) -> str:
    lines = ["| " + " | ".join(HEADERS) + " |", "|---|" + "---:|" * (len(HEADERS) - 1)]
    lines += ["| " + " | ".join(cells(result)) + " |" for result in results]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer events (1,000 single, 20,000 batched)")
    parser.add_argument("--markdown", action="store_true", help="also print the table as Markdown")
    args = parser.parse_args()
    plan = ((1, 1_000), (100, 20_000)) if args.quick else ((1, 5_000), (100, 100_000))
    console = Console(width=max(110, Console().width))
    results: list[Measured] = []
    for kind in ("sqlite", "postgresql"):
        for batch, count in plan:
            try:
                with console.status(f"{kind}: {count:,} events, {batch} per transaction"):
                    results.append(measure(kind, batch, count))
            except Exception as error:  # a server that is not there is reported, not fatal
                console.print(f"[yellow]{kind}: not measured ({error.__class__.__name__}: {error})[/]")
    table = Table(title="durable batch ingest, events per second (higher is better)")
    for header in HEADERS:
        table.add_column(header, justify="right")
    for result in results:
        table.add_row(*cells(result))
    console.print(table)
    for kind in dict.fromkeys(result.database for result in results):
        console.print(f"{kind}: {next(r.durability for r in results if r.database == kind)}")
    console.print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}")
    if args.markdown:
        print(markdown(results))


if __name__ == "__main__":
    main()
