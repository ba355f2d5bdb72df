"""The person page of the long approach's visitor in a real browser: a lead sees why the score is
high, the warning behaviours, the signals on the chart and the timeline; a guard sees none of it."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from playwright.sync_api import expect

from api.server import Server
from web.conftest import sign_in
from web.test_console import CHART

pytestmark = pytest.mark.slow


def test_a_lead_sees_the_assessment_with_its_signals_and_the_timeline(browser: Any, server: Server) -> None:
    page = sign_in(browser, server, "hansen")
    page.goto("/people/jacson")
    panel = page.locator("#assessment")
    expect(panel).to_be_visible()
    expect(panel.locator(".score")).to_contain_text("at or above it")
    for code in ("depth_trend", "quickening", "outerwear"):
        expect(panel.locator(f"table.signals tr[data-signal={code}]")).to_have_count(1)
    expect(panel.locator("li[data-behaviour=pathway]")).to_have_attribute("data-present", "yes")
    expect(panel.locator("li[data-behaviour]")).to_have_count(8)
    marks = page.locator(".marks-table tbody tr[data-signal]")
    assert marks.count() >= 3
    expect(page.locator(".marks-table tr[data-signal=depth_trend]").first).to_be_visible()
    timeline = page.locator("#timeline table.timeline tbody tr")
    assert timeline.count() > 5
    expect(page.locator("#timeline tr[data-kind=visit]").first).to_contain_text("deepest level")

    outerwear = panel.locator("table.signals tr[data-signal=outerwear] a").first
    event = outerwear.inner_text()
    outerwear.click()  # a signal's event opens the timeline at that entry
    page.wait_for_url("**/people/jacson/timeline?before=*")
    expect(page.locator(f"tr[id='e-{event}']")).to_be_visible()


def test_the_chart_marks_each_signal_in_its_legend(browser: Any, server: Server) -> None:
    if not CHART.exists() and not os.environ.get("CI"):
        pytest.skip("the chart library is installed by make assets (npm)")
    page = sign_in(browser, server, "hansen")
    page.goto("/people/jacson")
    chart = page.locator("#depth-chart")
    rows = page.locator(".marks-table tbody tr[data-signal]").count()
    signals = len(set(page.locator(".marks-table tbody tr[data-signal]").evaluate_all(
        "rows => rows.map(r => r.dataset.signal)"
    )))  # fmt: skip
    expect(chart).to_have_attribute("data-marks", str(rows))
    expect(chart).to_have_attribute("data-signals", str(signals))


def test_the_panel_is_there_without_javascript(browser: Any, server: Server) -> None:
    context = browser.new_context(base_url=server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/board")
    page.fill("input[name=name]", "hansen")
    page.fill("input[name=password]", "hansen-password")
    page.click("button[type=submit]")
    page.goto("/people/jacson")
    expect(page.locator("#assessment table.signals tr[data-signal=quickening]")).to_be_visible()
    expect(page.locator(".marks-table")).to_be_visible()
    context.close()


def test_a_guard_sees_neither_the_panel_nor_the_signals(browser: Any, server: Server) -> None:
    page = sign_in(browser, server, "harte")
    page.goto("/people/jacson")
    expect(page.locator("#depth-chart")).to_be_attached()
    expect(page.locator("#assessment")).to_have_count(0)
    expect(page.locator("#timeline")).to_have_count(0)
    expect(page.locator(".marks-table")).to_have_count(0)
    data = json.loads(page.locator("#depth-data").text_content() or "{}")
    assert data["marks"] == [] and len(data["visits"]) >= 4
    answer = page.goto("/people/jacson/timeline")
    assert answer is not None and answer.status == 403
    expect(page.locator(".problem")).to_contain_text("leads, analysts and admins only")
