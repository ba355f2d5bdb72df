"""``gatewatch log``: verify prints the count and head or names the bad entry; export and import."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import update
from typer.testing import CliRunner

from gatewatch.cli.main import app
from gatewatch.store.log import EventLog, Submission, database_url
from gatewatch.store.schema import log

runner = CliRunner()


def fill(data: Path, count: int = 5) -> EventLog:
    store = EventLog.open(database_url(data))
    store.append_many(
        Submission(
            f"e{n}",
            "close",
            "2024-06-03T09:00:00+00:00",
            {"type": "close", "door": "outer"},
            {"decision": None, "alerts": []},
            "g1",
            "2024-06-03T09:00:01+00:00",
        )
        for n in range(1, count + 1)
    )
    return store


def test_verify_prints_the_count_and_head(tmp_path: Path) -> None:
    head = fill(tmp_path).verify().head
    result = runner.invoke(app, ["log", "verify", "--data", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "OK 5 entries" in result.output and head in result.output


def test_verify_names_the_altered_entry_and_exits_1(tmp_path: Path) -> None:
    store = fill(tmp_path)
    with store.engine.begin() as connection:
        connection.execute(update(log).where(log.c.seq == 3).values(submitted_by="someone else"))
    result = runner.invoke(app, ["log", "verify", "--data", str(tmp_path)])
    assert result.exit_code == 1
    assert "entry 3 (e3): altered" in result.output


def test_export_then_import_into_an_empty_store(tmp_path: Path) -> None:
    fill(tmp_path / "a", 7)
    lines = tmp_path / "log.jsonl"
    assert runner.invoke(app, ["log", "export", "--data", str(tmp_path / "a"), "--out", str(lines)]).exit_code == 0
    assert len(lines.read_text().splitlines()) == 7
    result = runner.invoke(app, ["log", "import", str(lines), "--data", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    again = runner.invoke(app, ["log", "import", str(lines), "--data", str(tmp_path / "b")])
    assert again.exit_code == 2 and "empty" in again.output


def test_neither_data_nor_db_is_a_clear_error() -> None:
    result = runner.invoke(app, ["log", "verify"])
    assert result.exit_code == 2 and "--data DIR" in result.output
