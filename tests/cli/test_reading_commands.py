"""Commands that only read a record refuse a ``--data`` directory that holds none, creating
nothing; and a case's report is named after the case without saying "case" twice."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.conftest import write_site
from gatewatch.cli.main import app
from gatewatch.cli.report import default_case_file
from gatewatch.files.loader import load_site
from gatewatch.service import cases
from gatewatch.service.desk import Desk
from gatewatch.service.permissions import Actor, UserRole
from gatewatch.store.log import EventLog, database_url

runner = CliRunner()
SITE = Path(__file__).parents[2] / "examples" / "coyoacan" / "site.yaml"


def reading_commands(report: Path, data: Path) -> list[list[str]]:
    where = ["--data", str(data)]
    return [
        ["report", "verify", str(report), *where],
        ["report", "case", "C-1", "--site", str(SITE), *where, "-o", str(report.with_name("c.html"))],
        [
            "report",
            "window",
            "1940-08-01",
            "1940-08-02",
            "--site",
            str(SITE),
            *where,
            "-o",
            str(report.with_name("w.html")),
        ],
        ["log", "verify", *where],
        ["log", "export", *where],
    ]


@pytest.mark.parametrize("command", range(5))
def test_a_reading_command_refuses_a_directory_with_no_record_and_creates_nothing(tmp_path: Path, command: int) -> None:
    report = tmp_path / "R.pdf"
    report.write_bytes(b"%PDF-1.7 not looked at")
    typo = tmp_path / "typo"
    result = runner.invoke(app, reading_commands(report, typo)[command])
    assert result.exit_code == 2, result.output
    assert f"no record in {typo} (no gatewatch.db there)" in result.output
    assert not typo.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["R.pdf"]


@pytest.mark.parametrize("command", range(5))
def test_an_empty_directory_is_no_record_either(tmp_path: Path, command: int) -> None:
    report = tmp_path / "R.pdf"
    report.write_bytes(b"%PDF-1.7 not looked at")
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, reading_commands(report, empty)[command])
    assert result.exit_code == 2 and "no record in" in result.output
    assert list(empty.iterdir()) == []


def test_a_database_url_that_names_no_file_is_refused_too(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.db"
    result = runner.invoke(app, ["log", "verify", "--db", f"sqlite:///{missing}"])
    assert result.exit_code == 2 and f"no record at {missing}" in result.output
    assert not missing.exists()


def test_near_miss_a_directory_with_a_record_is_read(tmp_path: Path) -> None:
    EventLog.open(database_url(tmp_path)).close()
    result = runner.invoke(app, ["log", "verify", "--data", str(tmp_path)])
    assert result.exit_code == 0, result.output and "OK 0 entries" in result.output


@pytest.mark.parametrize(
    ("case", "file"),
    [("case-abc", "case-abc.pdf"), ("C-1", "case-C-1.pdf"), ("2024/17", "case-2024-17.pdf"), ("case-", "case-.pdf")],
)
def test_a_case_s_report_is_named_after_it_once(case: str, file: str) -> None:
    assert default_case_file(case) == Path(file)


@pytest.mark.slow
def test_the_report_of_a_case_opened_in_the_console_is_named_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site_file = write_site(tmp_path)
    data = tmp_path / "data"
    log = EventLog.open(database_url(data))
    desk = Desk.open(load_site(site_file)[0], log)
    lena = Actor("lena", UserRole.LEAD, "lead")
    cases.open_case(
        desk, UTC, lena, datetime(2024, 6, 3, 9, tzinfo=UTC), case="case-abc", person="cook", reason="asked"
    )
    desk.close()
    log.close()
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["report", "case", "case-abc", "--site", str(site_file), "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "case-abc.pdf").read_bytes().startswith(b"%PDF-")
    assert not (tmp_path / "case-case-abc.pdf").exists()
