"""Can the store read, and can it write? Asked without growing the record.

Reading: ``SELECT 1``. Writing is asked of the database itself, in a transaction that is then
rolled back, so nothing is kept:

- SQLite: ``BEGIN IMMEDIATE`` (the write lock: a locked or read-only file fails here), then
  ``CREATE TABLE`` of a probe table, which needs one new page of the file: a file that cannot
  grow (``SQLITE_FULL``, e.g. ``max_page_count`` reached) fails here; then ``ROLLBACK``. A disk
  that is full below SQLite is seen only when a commit reaches it, so the free space of the
  disk holding the file is checked too (at least ``MIN_FREE_BYTES``).
- PostgreSQL: the session must not be read-only, and it must be given a transaction id
  (``txid_current()``: refused on a standby, or near wraparound); then ``ROLLBACK``.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import Connection

MIN_FREE_BYTES = 8 * 1024 * 1024
"""Less free space than this on the disk holding a SQLite record, and the store is said not to write."""
PROBE_TABLE = "gatewatch_write_probe"


@dataclass(frozen=True, slots=True)
class StoreReport:
    """What the probe found: whether the store reads and writes, in plain words, and how long it took."""

    reads: bool
    writes: bool
    detail: str
    latency_ms: float | None

    @property
    def ok(self) -> bool:
        return self.reads and self.writes


def probe(engine: Engine, min_free_bytes: int = MIN_FREE_BYTES) -> StoreReport:
    """Ask the store whether it reads and writes (blocking: run it in a worker thread)."""
    started = time.perf_counter()
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1")).scalar_one()
    except Exception as error:
        return StoreReport(False, False, f"the store cannot be read: {_first_line(error)}", _since(started))
    try:
        problem = (
            _sqlite_write_problem(engine, min_free_bytes) if _is_sqlite(engine) else _postgres_write_problem(engine)
        )
    except Exception as error:
        problem = _first_line(error)
    if problem is not None:
        return StoreReport(True, False, f"the store cannot write: {problem}", _since(started))
    return StoreReport(True, True, "the store reads and writes", _since(started))


def _is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _sqlite_write_problem(engine: Engine, min_free_bytes: int) -> str | None:
    """Why this SQLite file cannot take a write now, or None."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        try:
            cursor.execute("BEGIN IMMEDIATE")
            cursor.execute(f"CREATE TABLE {PROBE_TABLE} (x INTEGER)")
        finally:
            raw.rollback()
            cursor.close()
    finally:
        raw.close()
    return _low_disk(engine.url.database, min_free_bytes)


def _low_disk(database: str | None, min_free_bytes: int) -> str | None:
    if not database or database == ":memory:":
        return None
    stats = os.statvfs(Path(database).resolve().parent)
    free = stats.f_bavail * stats.f_frsize
    if free < min_free_bytes:
        return f"the disk holding the record has {free:,} bytes free (less than {min_free_bytes:,})"
    return None


def _postgres_write_problem(engine: Engine) -> str | None:
    """Why this PostgreSQL database cannot take a write now, or None."""
    with engine.connect() as connection:
        try:
            return _postgres_refuses(connection)
        finally:
            connection.rollback()


def _postgres_refuses(connection: Connection) -> str | None:
    if connection.execute(text("SHOW transaction_read_only")).scalar_one() == "on":
        return "the database is read-only"
    connection.execute(text("SELECT txid_current()")).scalar_one()
    return None


def _first_line(error: BaseException) -> str:
    found = str(getattr(error, "orig", None) or error).strip().splitlines()
    return found[0][:200] if found else error.__class__.__name__


def _since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
