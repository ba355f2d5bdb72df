"""``gatewatch report case | window | verify`` on the long approach, recorded through the real desk.

The example is played through the desk into a record; a lead opens a case on the visitor and
writes a note; the case's report is printed as PDF (its first page rendered by pdftoppm) and as
HTML, and checked against the record; then rows of the record are altered and the check names them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select, update
from typer.testing import CliRunner

from gatewatch.cli.main import app
from gatewatch.core.events import AllClear
from gatewatch.files.loader import load_drill
from gatewatch.reports.read import read_report
from gatewatch.service import cases
from gatewatch.service.case_notes import NoteKey
from gatewatch.service.desk import Desk
from gatewatch.service.permissions import Actor, UserRole
from gatewatch.store.accounts import Accounts
from gatewatch.store.chain import digest, entry_hash
from gatewatch.store.log import EventLog, database_url
from gatewatch.store.schema import log as log_table

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "examples" / "coyoacan" / "site.yaml"
LONG_APPROACH = ROOT / "examples" / "coyoacan" / "1940-08-20-long-approach.yaml"
NOTE = "He came back from New York paler each time"
HANSEN = Actor("hansen", UserRole.LEAD, "hansen")
runner = CliRunner()
pytestmark = pytest.mark.slow


def record_the_long_approach(data: Path) -> None:
    """The long approach in the record as the desk decided it, then a case on the visitor, with a note."""
    drill = load_drill(LONG_APPROACH)
    log = EventLog.open(database_url(data))
    desk = Desk.open(drill.site, log)
    received = datetime(1940, 8, 21, tzinfo=UTC)
    for event in drill.events:
        desk.submit(event, "history", received)
    after = drill.events[-1].at + timedelta(hours=2)
    desk.submit(AllClear(id="history-all-clear", at=after, by="hansen"), "history", received)
    zone = ZoneInfo("America/Mexico_City")
    later = received + timedelta(hours=12)
    cases.open_case(desk, zone, HANSEN, later, case="C-1", person="jacson", reason="the long approach", links=["q1"])
    key = NoteKey(data / "notes.key", log)
    cases.add_note(desk, zone, key, HANSEN, later, case="C-1", event_id="C-1-n1", text=NOTE)
    desk.close()
    log.close()


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("reports") / "data"
    record_the_long_approach(data)
    return data


@pytest.fixture
def data(recorded: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy of the recorded data directory, for a test to alter."""
    copy = tmp_path / "data"
    shutil.copytree(recorded, copy)
    yield copy


def make(kind: str, data: Path, out: Path, *more: str) -> str:
    result = runner.invoke(app, ["report", kind, *more, "--site", str(SITE), "--data", str(data), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return result.output


def check(report: Path, data: Path) -> tuple[int, str]:
    result = runner.invoke(app, ["report", "verify", str(report), "--data", str(data)])
    return result.exit_code, result.output


def test_the_case_report_is_a_pdf_whose_first_page_renders_and_verifies(data: Path, tmp_path: Path) -> None:
    report = tmp_path / "case-C-1.pdf"
    said = make("case", data, report, "C-1", "--by", "hansen")
    assert "wrote" in said and report.read_bytes().startswith(b"%PDF-")
    subprocess.run(
        ["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-singlefile", "-png", str(report), str(tmp_path / "first")],
        check=True,
        timeout=120,
    )
    with Image.open(tmp_path / "first.png") as page:
        assert (abs(page.width - 413) <= 1, abs(page.height - 585) <= 1) == (True, True)  # A4 at 50 dpi
        assert page.convert("L").getextrema()[0] < 100  # something is printed on it
    text = "\n".join(p.extract_text() for p in PdfReader(report).pages)
    assert "Case C-1: Frank Jacson" in text and "Pathway assessment" in text and "Proof" in text
    assert NOTE not in text and "1, sealed" in text

    kept = read_report(report).proof
    assert kept.subject == "case C-1 on jacson" and kept.made_by == "hansen"
    cited = {c.event for c in kept.cited}
    assert {"C-1", "C-1-n1", "q1", "z4", "z9"} <= cited  # the case, its note, a link, the outerwear, the refusal
    code, output = check(report, data)
    assert code == 0, output
    assert f"all {len(kept.cited)} cited events match the record; chain head seq {kept.head.seq} still" in output
    assert kept.head.hash in output
    assert Accounts(EventLog.open(database_url(data)).engine).reads_of("jacson")[0].user == "hansen"


def test_verify_names_an_event_whose_payload_was_altered(data: Path, tmp_path: Path) -> None:
    report = tmp_path / "case.pdf"
    make("case", data, report, "C-1")
    log = EventLog.open(database_url(data))
    with log.engine.begin() as connection:
        payload = connection.execute(select(log_table.c.payload).where(log_table.c.event_id == "z4")).scalar_one()
        connection.execute(
            update(log_table).where(log_table.c.event_id == "z4").values(payload=payload.replace("raincoat", "shirt"))
        )
    log.close()
    code, output = check(report, data)
    assert code == 1
    assert "(z4): its payload was altered" in output and "1 of" in output and "no longer match the record" in output


def test_verify_names_an_event_whose_row_and_hash_were_both_rewritten(data: Path, tmp_path: Path) -> None:
    report = tmp_path / "case.html"
    make("case", data, report, "C-1")
    log = EventLog.open(database_url(data))
    row = log.find("z9")
    assert row is not None and row.payload is not None
    payload = {**row.payload, "result": "clear", "refused": []}
    rehashed = entry_hash(
        row.seq,
        row.event_id,
        row.type,
        row.at,
        row.received,
        row.submitted_by,
        digest(payload),
        digest(row.outcome),
        row.prev_hash,
    )
    with log.engine.begin() as connection:
        connection.execute(
            update(log_table)
            .where(log_table.c.seq == row.seq)
            .values(payload=json.dumps(payload), payload_digest=digest(payload), hash=rehashed)
        )
    log.close()
    code, output = check(report, data)
    assert code == 1
    assert f"entry {row.seq} (z9): its hash in the record is {rehashed}" in output


def test_a_report_edited_by_hand_fails_its_own_proof(data: Path, tmp_path: Path) -> None:
    report = tmp_path / "case.html"
    make("case", data, report, "C-1")
    kept = read_report(report).proof
    victim = kept.cited[0].hash
    html = report.read_text(encoding="utf-8")
    printed_at = html.index(f'<td class="hash">{victim}</td>')
    report.write_text(html[:printed_at] + html[printed_at:].replace(victim, "0" * 64, 1), encoding="utf-8")
    code, output = check(report, data)
    assert code == 1 and "REPORT ALTERED" in output and victim in output


def test_a_report_whose_proof_table_is_forged_beside_the_right_hashes_fails_its_own_proof(
    data: Path, tmp_path: Path
) -> None:
    report = tmp_path / "case.html"
    make("case", data, report, "C-1")
    kept = next(c for c in read_report(report).proof.cited if c.event == "z4")
    html = report.read_text(encoding="utf-8")
    row = f'<td>{kept.seq}</td><td>{kept.event}</td><td>{kept.type}</td><td class="at">{kept.at}</td>'
    assert row in html
    report.write_text(html.replace(row, row.replace(kept.at, "1940-05-24T04:00:00-06:00")), encoding="utf-8")
    code, output = check(report, data)
    assert code == 1 and "REPORT ALTERED" in output
    assert f"entry {kept.seq} (z4): the proof table prints its hash, not as kept with it" in output


def test_the_window_report_and_its_bounds(data: Path, tmp_path: Path) -> None:
    report = tmp_path / "august.pdf"
    make("window", data, report, "1940-08-01", "1940-08-31")
    kept = read_report(report).proof
    assert {"q1", "z10", "z16"} <= {c.event for c in kept.cited}
    assert check(report, data)[0] == 0
    too_long = runner.invoke(
        app, ["report", "window", "1940-01-01", "1940-06-30", "--site", str(SITE), "--data", str(data)]
    )
    assert too_long.exit_code == 2 and "a report covers at most 92 days" in too_long.output


def test_a_report_of_no_case_or_another_format_is_refused(data: Path, tmp_path: Path) -> None:
    nothing = runner.invoke(app, ["report", "case", "C-404", "--site", str(SITE), "--data", str(data)])
    assert nothing.exit_code == 1 and 'no case "C-404"' in nothing.output
    wrong = runner.invoke(
        app, ["report", "case", "C-1", "--site", str(SITE), "--data", str(data), "-o", str(tmp_path / "c.docx")]
    )
    assert wrong.exit_code == 2 and ".pdf or .html" in wrong.output
    (tmp_path / "plain.html").write_text("<p>hello</p>", encoding="utf-8")
    unproven = runner.invoke(app, ["report", "verify", str(tmp_path / "plain.html"), "--data", str(data)])
    assert unproven.exit_code == 2 and "not a gatewatch report" in unproven.output
