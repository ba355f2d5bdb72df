"""A database that hangs, locks or fills: the store fails within its limits, says why, and loses nothing.

PostgreSQL cases run the real server behind a frozen proxy (``proxy.py``), never the shared
server itself; SQLite cases hold a real lock and cap the real file.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from typer.testing import CliRunner

from gatewatch.cli.main import app
from gatewatch.store.limits import LimitError, StoreLimits
from gatewatch.store.log import EventLog, Submission, database_url
from gatewatch.store.probe import probe
from store.conftest import _postgres_database
from store.proxy import FreezableProxy

QUICK = StoreLimits(connect_s=2, answer_s=1, statement_s=0.8, lock_s=0.5, pool_s=1, busy_s=0.5)


def submission(n: int) -> Submission:
    at = f"2024-06-03T09:{n:02d}:00+00:00"
    payload = {"id": f"e{n}", "type": "open", "at": at, "door": "side"}
    return Submission(f"e{n}", "open", at, payload, {"event": f"e{n}", "decision": "noted"}, "gus", at)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from _postgres_database()


@pytest.fixture
def proxied(postgres_url: str) -> Iterator[tuple[FreezableProxy, str]]:
    url = make_url(postgres_url)
    with FreezableProxy((url.host or "127.0.0.1", url.port or 5432)) as proxy:
        yield proxy, url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)


# --- the limits ---------------------------------------------------------------------------------


def test_limits_default_to_a_few_seconds() -> None:
    limits = StoreLimits.from_env({})
    assert limits == StoreLimits()
    assert all(0 < getattr(limits, name) <= 5 for name in ("connect_s", "answer_s", "statement_s", "lock_s", "busy_s"))
    assert limits.postgres_options() == (
        "-c statement_timeout=4000 -c lock_timeout=2000 -c idle_in_transaction_session_timeout=30000"
    )
    assert limits.postgres_connect_args()["tcp_user_timeout"] == 5000


def test_limits_are_read_from_the_environment() -> None:
    limits = StoreLimits.from_env({"GATEWATCH_STORE_ANSWER_S": "2.5", "GATEWATCH_STORE_BUSY_S": "1", "OTHER": "x"})
    assert (limits.answer_s, limits.busy_s, limits.statement_s) == (2.5, 1.0, 4.0)


@pytest.mark.parametrize("raw", ["soon", "0", "-1", "nan", "inf"])
def test_a_limit_that_is_not_positive_seconds_is_refused_by_name(raw: str) -> None:
    with pytest.raises(LimitError, match=f"GATEWATCH_STORE_LOCK_S: '{raw}' is not a"):
        StoreLimits.from_env({"GATEWATCH_STORE_LOCK_S": raw})
    with pytest.raises(LimitError, match="'pool_s'"):
        StoreLimits(pool_s=0)


# --- PostgreSQL ---------------------------------------------------------------------------------


SETTINGS = ("statement_timeout", "lock_timeout")


def test_postgres_sessions_carry_the_limits(postgres_url: str) -> None:
    store = EventLog.open(postgres_url, QUICK)
    with store.engine.connect() as connection:
        shown = [
            connection.execute(text(f"SHOW {name}")).scalar_one() for name in ("statement_timeout", "lock_timeout")
        ]
    store.close()
    assert shown == ["800ms", "500ms"]


def test_the_urls_own_options_win_over_the_limits(postgres_url: str) -> None:
    url = make_url(postgres_url).update_query_dict({"options": "-c statement_timeout=9000"})
    store = EventLog.open(url.render_as_string(hide_password=False), QUICK)
    with store.engine.connect() as connection:
        assert connection.execute(text("SHOW statement_timeout")).scalar_one() == "9s"
        assert connection.execute(text("SHOW lock_timeout")).scalar_one() == "500ms"
    store.close()


def test_a_statement_longer_than_its_limit_is_ended_by_the_server(postgres_url: str) -> None:
    store = EventLog.open(postgres_url, QUICK)
    began = time.monotonic()
    with pytest.raises(OperationalError, match="statement timeout"), store.engine.connect() as connection:
        connection.execute(text("SELECT pg_sleep(5)"))
    assert time.monotonic() - began < 3
    with store.engine.connect() as connection:  # the near miss: within the limit it runs
        assert connection.execute(text("SELECT pg_sleep(0.2), 1")).all()[0][1] == 1
    store.close()


def test_a_table_locked_elsewhere_fails_the_write_after_the_lock_timeout(postgres_url: str) -> None:
    store = EventLog.open(postgres_url, QUICK)
    store.append(submission(1))
    holder = EventLog.open(postgres_url, StoreLimits())
    with holder.engine.connect() as other:
        other.execute(text("LOCK TABLE log IN ACCESS EXCLUSIVE MODE"))
        began = time.monotonic()
        with pytest.raises(OperationalError, match="lock timeout"):
            store.append(submission(2))
        assert 0.4 < time.monotonic() - began < 3
        other.rollback()
    assert store.append(submission(2)).entry.seq == 2
    assert [e.event_id for e in store.entries()] == ["e1", "e2"]
    store.close()
    holder.close()


def test_a_frozen_server_fails_reads_and_writes_within_the_limits_then_recovers(
    proxied: tuple[FreezableProxy, str],
) -> None:
    proxy, url = proxied
    store = EventLog.open(url, QUICK)
    store.append(submission(1))
    proxy.freeze()
    for call in (store.head, lambda: store.append(submission(2))):
        began = time.monotonic()
        with pytest.raises(OperationalError) as failed:
            call()
        waited = time.monotonic() - began
        assert waited < QUICK.answer_s + 2 + 1.5, f"waited {waited:.1f} s"
        assert "did not answer within 1 s" in str(failed.value) or "connect timeout 2 s" in str(failed.value)
    proxy.thaw()
    with store.engine.connect() as connection:  # a statement on a connection already open
        connection.execute(text("SELECT 1"))
        proxy.freeze()
        began = time.monotonic()
        with pytest.raises(OperationalError, match="the database did not answer within 1 s"):
            connection.execute(text("SELECT 2"))
        assert time.monotonic() - began < QUICK.answer_s + 1
    proxy.thaw()
    assert store.head()[0] == 1  # nothing recorded was lost, nothing half-written
    assert store.append(submission(2)).entry.seq == 2
    assert store.verify().ok
    store.close()


def test_a_frozen_server_is_told_by_the_probe_as_unreadable(proxied: tuple[FreezableProxy, str]) -> None:
    proxy, url = proxied
    store = EventLog.open(url, QUICK)
    assert probe(store.engine).ok
    proxy.freeze()
    began = time.monotonic()
    report = probe(store.engine)
    assert not report.reads and not report.writes and "cannot be read" in report.detail
    assert time.monotonic() - began < QUICK.answer_s + 2 + 1.5
    proxy.thaw()
    assert probe(store.engine).ok
    store.close()


def test_a_read_only_postgres_session_cannot_write(postgres_url: str) -> None:
    url = make_url(postgres_url).update_query_dict({"options": "-c default_transaction_read_only=on"})
    store = EventLog.open(postgres_url, QUICK)  # migrated while writable
    store.close()
    read_only = EventLog.open(url.render_as_string(hide_password=False), QUICK)
    report = probe(read_only.engine)
    assert report.reads and not report.writes and report.detail == "the store cannot write: the database is read-only"
    read_only.close()


# --- SQLite -------------------------------------------------------------------------------------


def test_a_sqlite_writer_waits_for_a_held_lock_only_as_long_as_its_busy_timeout(tmp_path: Path) -> None:
    store = EventLog.open(f"sqlite:///{tmp_path / 'gatewatch.db'}", QUICK)
    store.append(submission(1))
    other = sqlite3.connect(tmp_path / "gatewatch.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    began = time.monotonic()
    with pytest.raises(OperationalError, match="database is locked"):
        store.append(submission(2))
    assert QUICK.busy_s * 0.8 < time.monotonic() - began < QUICK.busy_s + 2
    assert not probe(store.engine).writes
    other.execute("ROLLBACK")
    other.close()
    assert store.append(submission(2)).entry.seq == 2
    assert probe(store.engine).ok
    store.close()


def page_count(store: EventLog) -> int:
    with store.engine.connect() as connection:
        return int(connection.exec_driver_sql("PRAGMA page_count").scalar_one())


def cap_pages(store: EventLog, extra: int) -> None:
    """Every new connection may grow the file by ``extra`` pages at most: a disk that fills."""
    pages = page_count(store)

    @event.listens_for(store.engine, "connect")
    def cap(connection: sqlite3.Connection, _record: object) -> None:
        connection.execute(f"PRAGMA max_page_count={pages + extra}")

    store.engine.dispose()


def test_a_full_sqlite_file_is_told_cannot_write_and_keeps_what_it_holds(tmp_path: Path) -> None:
    store = EventLog.open(f"sqlite:///{tmp_path / 'gatewatch.db'}", QUICK)
    store.append(submission(1))
    cap_pages(store, 0)
    pages = page_count(store)
    report = probe(store.engine)
    assert report.reads and not report.writes
    assert report.detail == "the store cannot write: database or disk is full"
    with pytest.raises(OperationalError, match="full"):
        store.append_many([submission(n) for n in range(2, 60)])
    assert [e.event_id for e in store.entries()] == ["e1"]
    assert page_count(store) == pages  # neither the probe nor the failed write grew the file
    store.close()


def test_a_sqlite_file_with_room_for_a_page_is_told_writable(tmp_path: Path) -> None:
    store = EventLog.open(f"sqlite:///{tmp_path / 'gatewatch.db'}", QUICK)
    cap_pages(store, 1)
    assert probe(store.engine).ok
    with store.engine.connect() as connection:
        tables = connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE name LIKE '%probe%'").all()
    assert tables == []  # the probe's table was rolled back
    store.close()


def test_a_disk_with_too_little_free_space_is_told_cannot_write(tmp_path: Path) -> None:
    store = EventLog.open(f"sqlite:///{tmp_path / 'gatewatch.db'}", QUICK)
    report = probe(store.engine, min_free_bytes=10**18)
    assert report.reads and not report.writes
    assert report.detail.startswith("the store cannot write: the disk holding the record has ")
    assert probe(store.engine, min_free_bytes=1).ok
    store.close()


# --- database paths -----------------------------------------------------------------------------


@pytest.mark.parametrize("given", ["sqlite:///tmp/gatewatch-x/empty.db", "postgresql+psycopg://u@h/db"])
def test_a_url_given_as_data_is_refused_and_no_folder_is_made(
    given: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for data in (Path(given), Path(given.replace("///", "/"))):
        with pytest.raises(
            ValueError, match=r"--data: .* looks like a database URL, not a directory: give the URL as --db"
        ):
            database_url(data)
        with pytest.raises(ValueError, match="--data"):
            database_url(data, "sqlite:///elsewhere.db")
    assert list(tmp_path.iterdir()) == []


def test_a_data_directory_is_still_a_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert database_url(Path("data")) == f"sqlite:///{tmp_path / 'data' / 'gatewatch.db'}"
    assert database_url(tmp_path / "with:colon") == f"sqlite:///{tmp_path / 'with:colon' / 'gatewatch.db'}"
    assert database_url(None, "postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"


@pytest.mark.parametrize("given", ["data/gatewatch.db", "sqlite:data.db"])
def test_a_db_that_is_not_a_url_is_refused(given: str) -> None:
    with pytest.raises(ValueError, match=f"--db: '{given}' is not a database URL"):
        database_url(None, given)


def test_serve_refuses_a_url_as_data_before_making_anything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    site = tmp_path / "site.yaml"
    site.write_text("not read: the data directory is refused first\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["serve", "--site", str(site), "--data", f"sqlite:///{tmp_path}/empty.db"])
    assert result.exit_code == 2
    assert "looks like a database URL" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site.yaml"]
