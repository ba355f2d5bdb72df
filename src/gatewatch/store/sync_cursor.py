"""The sync cursor: how far the site's record has been shipped to each target (head office).

Procedure: the site ships its entries in order; when head office has acknowledged every entry
up to position N, the cursor for that target moves to N, with N's hash. After a restart, a cut
link or a crash, shipping resumes after the cursor: whatever was shipped past it and not yet
acknowledged is shipped again, and head office's deduplication drops it. The cursor never moves
back (a smaller position is ignored: an acknowledgement that arrives late), and a position it
already holds under another hash is refused: the record would not be the one that was shipped.

One row per target in ``sync_cursor`` (the record's own database), written in one statement
that keeps the larger position, so that two writers cannot move it back between them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Engine, Table, select
from sqlalchemy.dialects import postgresql, sqlite

from gatewatch.store.chain import GENESIS
from gatewatch.store.schema import MAX_SEQ, sync_cursor

Upsert = postgresql.Insert | sqlite.Insert
TARGET_CHARS = 200
_HASH = re.compile(r"^[0-9a-f]{64}$")


class CursorError(ValueError):
    """A target, position or hash the cursor cannot keep, or a position it holds under another hash."""


class SyncCursor:
    """How far the record has been shipped to each target: ``get`` and ``advance``."""

    def __init__(self, engine: Engine) -> None:
        if engine.dialect.name not in _UPSERTS:
            raise CursorError(
                f"the sync cursor is kept in SQLite or PostgreSQL, not {engine.dialect.name}: "
                "give the record's database URL"
            )
        self.engine = engine

    def get(self, target: str) -> tuple[int, str]:
        """The last position acknowledged by ``target`` and its hash; ``(0, GENESIS)`` before any."""
        _check_target(target)
        with self.engine.connect() as connection:
            row = connection.execute(
                select(sync_cursor.c.seq, sync_cursor.c.hash).where(sync_cursor.c.target == target)
            ).one_or_none()
        return (0, GENESIS) if row is None else (int(row.seq), str(row.hash))

    def advance(self, target: str, seq: int, hash: str) -> None:
        """Move the cursor to ``seq`` (whose entry's hash is ``hash``); a smaller ``seq`` changes nothing.

        ``seq`` 0 is only ever the genesis (nothing shipped yet). Refused (``CursorError``): a
        position the cursor already holds under another hash."""
        _check_target(target)
        _check_position(seq, hash)
        row = {"target": target, "seq": seq, "hash": hash, "updated": datetime.now(UTC).isoformat()}
        upsert = _UPSERTS[self.engine.dialect.name](sync_cursor).values(row)
        with self.engine.begin() as connection:
            connection.execute(_keeping_the_larger(upsert))
            held = connection.execute(
                select(sync_cursor.c.seq, sync_cursor.c.hash).where(sync_cursor.c.target == target)
            ).one()
            if held.seq == seq and held.hash != hash:
                raise CursorError(
                    f"sync cursor for {target}: entry {seq} was shipped with hash {held.hash[:12]}…, "
                    f"not {hash[:12]}…: the record is not the one that was shipped (verify it: gatewatch log verify)"
                )


_UPSERTS: dict[str, Callable[[Table], Upsert]] = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
"""The INSERT … ON CONFLICT of each database the cursor is kept in."""


def _keeping_the_larger(upsert: Upsert) -> Upsert:
    """The row inserted, or on the target's row, its position and hash where it moves forward."""
    return upsert.on_conflict_do_update(
        index_elements=[sync_cursor.c.target],
        set_={"seq": upsert.excluded.seq, "hash": upsert.excluded.hash, "updated": upsert.excluded.updated},
        where=sync_cursor.c.seq < upsert.excluded.seq,
    )


def _check_target(target: str) -> None:
    if not isinstance(target, str) or not target or len(target) > TARGET_CHARS or not target.isprintable():
        raise CursorError(f"sync cursor: a target is 1 to {TARGET_CHARS} printable characters, not {target!r:.80}")
    if target != target.strip():
        raise CursorError(f"sync cursor: the target {target!r:.80} has spaces before or after it")


def _check_position(seq: int, hash: str) -> None:
    if isinstance(seq, bool) or not isinstance(seq, int) or not 0 <= seq <= MAX_SEQ:
        raise CursorError(f"sync cursor: a position is a whole number from 0 to {MAX_SEQ:,}, not {seq!r:.40}")
    if not isinstance(hash, str) or not _HASH.fullmatch(hash):
        raise CursorError(f"sync cursor: an entry's hash is 64 lower-case hex digits, not {hash!r:.80}")
    if seq == 0 and hash != GENESIS:
        raise CursorError("sync cursor: position 0 is the start of the record, whose hash is the genesis (64 zeros)")
