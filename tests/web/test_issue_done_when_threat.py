"""The threat assessment end to end, as a lead works it in a real browser on a real server: the
long-approach visitor's page says why the score is high and which warning behaviours are
present; the lead opens a case, writes a note, prints the report, and ``gatewatch report verify``
finds every event it cites unchanged in the record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from typer.testing import CliRunner

from api.server import Server
from gatewatch.cli.main import app
from web.conftest import sign_in

pytestmark = pytest.mark.slow


def test_a_lead_sees_why_opens_a_case_notes_prints_and_the_report_verifies(
    browser: Any, server: Server, tmp_path: Path
) -> None:
    lead = sign_in(browser, server, "hansen")
    lead.goto("/people/jacson")
    panel = lead.locator("#assessment")
    expect(panel.locator(".score")).to_contain_text("at or above it")
    for code in ("depth_trend", "quickening", "outerwear"):
        expect(panel.locator(f"table.signals tr[data-signal={code}]")).to_have_count(1)
    expect(panel.locator("li[data-behaviour=pathway]")).to_have_attribute("data-present", "yes")

    opening = lead.locator("form#open-case")
    opening.locator("textarea[name=reason]").fill("Came deeper at each visit, then asked to be alone")
    opening.locator("button").click()
    lead.wait_for_url("**/cases/case-*")
    noting = lead.locator("form#add-note")
    noting.locator("textarea[name=text]").fill("Ask the secretary how long she has known him.")
    noting.locator("button").click()
    expect(lead.locator(".done")).to_contain_text("sealed and recorded")

    with lead.expect_download() as downloading:
        lead.locator("#case-report a[href$='report.pdf']").click()
    report = tmp_path / "case.pdf"
    downloading.value.save_as(report)
    assert report.read_bytes().startswith(b"%PDF")

    checked = CliRunner().invoke(app, ["report", "verify", str(report), "--data", str(server.data)])
    assert checked.exit_code == 0, checked.output
    assert "cited events match the record" in checked.output
