"""The HTML case report in a real browser: on a phone its tables reflow (no column one character
wide, no page wider than the screen); on a tablet they stay tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from gatewatch.cli.main import app
from reports.test_report_commands import SITE, record_the_long_approach

PHONE = 390
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    place = tmp_path_factory.mktemp("phone")
    record_the_long_approach(place / "data")
    made = place / "case-C-1.html"
    result = CliRunner().invoke(
        app, ["report", "case", "C-1", "--site", str(SITE), "--data", str(place / "data"), "-o", str(made)]
    )
    assert result.exit_code == 0, result.output
    return made


def test_the_html_report_reflows_on_a_phone(report: Path, browser: Any) -> None:
    context = browser.new_context(viewport={"width": PHONE, "height": 900})
    page = context.new_page()
    page.goto(report.as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    why = page.locator("table.signals tbody td:nth-child(3)")
    widths = why.evaluate_all("cells => cells.map(cell => cell.getBoundingClientRect().width)")
    assert len(widths) >= 3 and min(widths) >= 250, widths  # not a column one character wide
    hashes = page.locator("table.cited td.hash")
    rights = hashes.evaluate_all("cells => cells.map(cell => cell.getBoundingClientRect().right)")
    assert rights and max(rights) <= PHONE
    assert page.locator("table.signals thead").is_hidden()
    context.close()


def test_on_a_tablet_the_report_keeps_its_tables(report: Path, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1024, "height": 900})
    page = context.new_page()
    page.goto(report.as_uri())
    assert page.locator("table.signals thead").is_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('table.cited tr')).display") == "table-row"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
    context.close()
