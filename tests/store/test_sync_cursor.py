"""The sync cursor on SQLite and PostgreSQL: where shipping resumes, never moved back, and a
position refused under another hash. Each beside its near miss."""

from __future__ import annotations

import threading

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, inspect

from gatewatch.store.chain import GENESIS
from gatewatch.store.log import MIGRATIONS, EventLog
from gatewatch.store.sync_cursor import CursorError, SyncCursor

A, B, C = "a" * 64, "b" * 64, "c" * 64


def test_before_anything_is_shipped_the_cursor_is_at_the_genesis(store: EventLog) -> None:
    assert SyncCursor(store.engine).get("head-office") == (0, GENESIS)


def test_it_advances_and_keeps_each_target_apart(store: EventLog) -> None:
    cursor = SyncCursor(store.engine)
    cursor.advance("head-office", 5, A)
    cursor.advance("head-office", 9, B)
    cursor.advance("archive", 2, C)
    assert cursor.get("head-office") == (9, B)
    assert cursor.get("archive") == (2, C)


def test_a_smaller_position_is_ignored(store: EventLog) -> None:
    cursor = SyncCursor(store.engine)
    cursor.advance("head-office", 9, B)
    cursor.advance("head-office", 5, A)  # an acknowledgement that arrived late
    assert cursor.get("head-office") == (9, B)


def test_the_same_position_again_with_its_hash_changes_nothing(store: EventLog) -> None:
    cursor = SyncCursor(store.engine)
    cursor.advance("head-office", 9, B)
    cursor.advance("head-office", 9, B)
    assert cursor.get("head-office") == (9, B)


def test_near_miss_the_same_position_under_another_hash_is_refused(store: EventLog) -> None:
    cursor = SyncCursor(store.engine)
    cursor.advance("head-office", 9, B)
    with pytest.raises(CursorError, match="entry 9 was shipped with hash bbbbbbbbbbbb"):
        cursor.advance("head-office", 9, C)
    assert cursor.get("head-office") == (9, B)


def test_it_is_kept_in_the_record_across_a_restart(database_url: str) -> None:
    first = EventLog.open(database_url)
    SyncCursor(first.engine).advance("head-office", 3, A)
    first.close()
    again = EventLog.open(database_url)
    assert SyncCursor(again.engine).get("head-office") == (3, A)
    again.close()


def test_many_writers_never_move_it_back(store: EventLog) -> None:
    cursor = SyncCursor(store.engine)
    hashes = {n: f"{n:064x}" for n in range(1, 41)}

    def ship(numbers: range) -> None:
        for n in numbers:
            cursor.advance("head-office", n, hashes[n])

    writers = [threading.Thread(target=ship, args=(range(start, 41, 4),)) for start in range(1, 5)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert cursor.get("head-office") == (40, hashes[40])


@pytest.mark.parametrize(
    ("target", "seq", "hash", "said"),
    [
        ("", 1, A, "a target is 1 to 200 printable characters"),
        ("x" * 201, 1, A, "a target is 1 to 200"),
        ("head\noffice", 1, A, "printable"),
        (" head-office", 1, A, "spaces before or after"),
        ("head-office", -1, A, "a whole number from 0 to 2,147,483,647"),
        ("head-office", 2**31, A, "a whole number from 0"),
        ("head-office", True, A, "a whole number from 0"),
        ("head-office", 1, "A" * 64, "64 lower-case hex digits"),
        ("head-office", 1, "a" * 63, "64 lower-case hex digits"),
        ("head-office", 0, A, "position 0 is the start of the record"),
    ],
)
def test_what_it_cannot_keep_is_refused_naming_why(
    store: EventLog, target: str, seq: int, hash: str, said: str
) -> None:
    cursor = SyncCursor(store.engine)
    with pytest.raises(CursorError, match=said):
        cursor.advance(target, seq, hash)
    assert cursor.get("head-office") == (0, GENESIS)


def test_near_miss_the_start_itself_is_kept(store: EventLog) -> None:
    cursor = SyncCursor(store.engine)
    cursor.advance("head-office", 0, GENESIS)
    assert cursor.get("head-office") == (0, GENESIS)


def test_a_record_made_before_the_cursor_gains_its_table(database_url: str) -> None:
    engine = create_engine(database_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0007")
    assert "sync_cursor" not in inspect(engine).get_table_names()
    engine.dispose()
    upgraded = EventLog.open(database_url)
    assert upgraded.revision() == "0008"
    assert SyncCursor(upgraded.engine).get("head-office") == (0, GENESIS)
    upgraded.close()
