"""How a report reads: the PDF's proof table with a time to the microsecond, and ``report verify``'s
table in a terminal of 80 columns (the HTML report on a phone: ``tests/web/test_report_phone.py``).

The long approach is recorded with a case on the visitor, and a second case opened as the console
opens one: at the desk's clock, to the microsecond.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from gatewatch.cli.main import app
from gatewatch.files.loader import load_site
from gatewatch.reports.read import read_report
from gatewatch.service import cases
from gatewatch.service.desk import Desk
from gatewatch.service.permissions import Actor, UserRole
from gatewatch.store.log import EventLog, database_url
from gatewatch.store.schema import log as log_table
from reports.test_report_commands import SITE, record_the_long_approach

CASE = "case-2f9c1e7a4b"
OPENED = datetime(2026, 12, 1, 6, 34, 45, 933870, tzinfo=UTC)
COLUMNS = 80
runner = CliRunner()
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    place = tmp_path_factory.mktemp("layout") / "data"
    record_the_long_approach(place)
    site, zone = load_site(SITE)
    log = EventLog.open(database_url(place))
    desk = Desk.open(site, log)
    lead = Actor("hansen", UserRole.LEAD, "hansen")
    cases.open_case(desk, zone, lead, OPENED, case=CASE, person="jacson", reason="again", links=["q1", "z4"])
    desk.close()
    log.close()
    return place


@pytest.fixture(scope="module")
def reports(data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("made")
    made = {}
    for kind in ("pdf", "html"):
        made[kind] = out / f"{CASE}.{kind}"
        result = runner.invoke(
            app, ["report", "case", CASE, "--site", str(SITE), "--data", str(data), "-o", str(made[kind])]
        )
        assert result.exit_code == 0, result.output
    return made


def verify_output(report: Path, data: Path) -> tuple[int, list[str]]:
    result = runner.invoke(app, ["report", "verify", str(report), "--data", str(data)], env={"COLUMNS": str(COLUMNS)})
    return result.exit_code, [line for line in result.output.splitlines() if line.strip()]


class Words(HTMLParser):
    """``pdftotext -bbox``'s words: each with its box (xMin, yMin, xMax, yMax), in reading order."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[tuple[str, tuple[float, ...]]] = []
        self._box: tuple[float, ...] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "word":
            named = dict(attrs)
            self._box = tuple(float(named[k] or 0) for k in ("xmin", "ymin", "xmax", "ymax"))

    def handle_data(self, data: str) -> None:
        if self._box is not None:
            self.words.append((data, self._box))
            self._box = None


def test_a_time_to_the_microsecond_stands_clear_of_its_hash_in_the_pdf(reports: dict[str, Path], data: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    kept = next(c for c in read_report(reports["pdf"]).proof.cited if c.event == CASE)
    assert "." in kept.at  # the near miss: a time with its microseconds, the longest the table prints
    found = subprocess.run(
        ["pdftotext", "-bbox", str(reports["pdf"]), "-"], check=True, capture_output=True, text=True, timeout=120
    ).stdout
    words = Words()
    words.feed(found)
    page_width = float(re.search(r'<page width="([\d.]+)"', found).group(1))  # type: ignore[union-attr]
    at = [box for word, box in words.words if word == kept.at]
    hashes = [box for word, box in words.words if word == kept.hash]
    assert at and hashes, "the proof row of the case is printed, its time and its hash each whole"
    time_box, hash_box = at[-1], hashes[-1]
    assert abs(time_box[1] - hash_box[1]) < 2  # on one line
    assert time_box[2] < hash_box[0], (time_box, hash_box)  # the time ends before its hash begins
    assert hash_box[2] < page_width - 30  # and the hash within the page's margin
    code, lines = verify_output(reports["pdf"], data)
    assert code == 0, lines


def test_verify_prints_a_line_for_each_cited_event_and_its_verdict_last(reports: dict[str, Path], data: Path) -> None:
    kept = read_report(reports["pdf"]).proof
    code, lines = verify_output(reports["pdf"], data)
    assert code == 0, lines
    rows = [line for line in lines if line.startswith(("✔", "✘"))]
    assert len(rows) == len(kept.cited), lines  # one line each, however long its id or time
    assert all(len(row) <= COLUMNS for row in rows), [row for row in rows if len(row) > COLUMNS]
    case_row = next(row for row in rows if CASE in row)
    assert "2026-12-01 00:34:45 " in case_row and kept.cited[-1].hash[:12] in case_row
    assert not any(c.hash in line for c in kept.cited for line in lines[:-1])  # no full hash but the head's
    assert lines[-1].startswith("OK all ") and f"chain head seq {kept.head.seq} still {kept.head.hash}" in lines[-1]


def test_verify_gives_the_full_hashes_of_a_mismatch_and_says_failed_last(
    reports: dict[str, Path], data: Path, tmp_path: Path
) -> None:
    altered = tmp_path / "data"
    shutil.copytree(data, altered)
    log = EventLog.open(database_url(altered))
    z9 = log.find("z9")
    assert z9 is not None
    with log.engine.begin() as connection:
        connection.execute(update(log_table).where(log_table.c.seq == z9.seq).values(hash="0" * 64))
    log.close()
    kept = read_report(reports["pdf"]).proof
    code, lines = verify_output(reports["pdf"], altered)
    assert code == 1
    rows = [line for line in lines if line.startswith(("✔", "✘"))]
    assert len(rows) == len(kept.cited)
    assert [row.split()[1] for row in rows if row.startswith("✘")] == [str(z9.seq)]
    assert any(line.startswith("FAILED") and z9.hash in line and "0" * 64 in line for line in lines)
    assert lines[-1] == f"FAILED 1 of {len(kept.cited)} cited events no longer match the record"
