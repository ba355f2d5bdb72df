"""The depth chart on the person page in a real browser: visits stand at their time (so visits that
come faster stand closer), the axis says dates, and on a phone the plot has the room, not the legend."""

from __future__ import annotations

import itertools
import os
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from api.server import Server
from web.conftest import sign_in
from web.test_console import CHART

pytestmark = pytest.mark.slow
PHONE = 390

POINTS = """() => {
  const chart = Chart.getChart("depth-chart");
  return chart.getDatasetMeta(0).data.map((point, n) => [point.x, chart.data.datasets[0].data[n].x]);
}"""


def open_chart(browser: Any, server: Server, width: int) -> Any:
    if not CHART.exists() and not os.environ.get("CI"):
        pytest.skip("the chart library is installed by make assets (npm)")
    page = sign_in(browser, server, "hansen", width=width)
    page.goto("/people/jacson")
    expect(page.locator("#depth-chart")).to_have_attribute("data-label-room", re.compile(r"^-?\d+$"))  # drawn
    return page


def test_visits_stand_at_their_time_on_a_dated_axis(browser: Any, server: Server) -> None:
    page = open_chart(browser, server, 1024)
    points = page.evaluate(POINTS)
    began = page.locator(".depth-table tbody td:first-child").all_inner_texts()
    assert len(points) == len(began) >= 4
    (x0, t0), (x1, t1) = points[0], points[-1]
    per_ms = (x1 - x0) / (t1 - t0)
    for x, t in points:  # evenly spaced visits (one per slot) would not be where their time puts them
        assert abs(x - (x0 + (t - t0) * per_ms)) < 1.0, points
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(points)]
    assert max(gaps) > 2 * min(gaps)  # the near miss: the long approach's visits are not evenly spaced
    labels = page.evaluate('Chart.getChart("depth-chart").scales.x.ticks.map(tick => tick.label)')
    assert len(labels) >= 3 and all(re.fullmatch(r"\d{4}(-\d\d){0,2}", label) for label in labels), labels


def test_on_a_phone_the_plot_has_the_room(browser: Any, server: Server) -> None:
    page = open_chart(browser, server, PHONE)
    chart = page.locator("#depth-chart")
    box = chart.bounding_box()
    assert box is not None and box["width"] <= PHONE
    plot = page.evaluate('(({ top, bottom }) => bottom - top)(Chart.getChart("depth-chart").chartArea)')
    assert plot >= 200 and plot >= box["height"] / 2, (plot, box)
    assert page.evaluate('Chart.getChart("depth-chart").options.plugins.legend.position') == "bottom"
    expect(chart).to_have_attribute("data-label-room", re.compile(r"^\d+$"))  # no level label cut


def test_every_time_by_the_chart_reads_as_a_date_and_a_minute(browser: Any, server: Server) -> None:
    page = sign_in(browser, server, "hansen")
    page.goto("/people/jacson")
    shown = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d")
    began = page.locator(".depth-table tbody td:first-child").all_inner_texts()
    when = page.locator(".marks-table tbody td:nth-child(3)").all_inner_texts()
    presented = page.locator("table.compact tbody td:first-child").all_inner_texts()
    for found in (began, when, presented):
        assert found and all(shown.fullmatch(text) for text in found), found
    assert began[0] == "1940-02-10 17:00"
