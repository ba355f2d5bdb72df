"""The depth chart drawn as SVG on the server: a dot per visit, a mark per event behind a signal, words escaped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

from gatewatch.reports.chart import chart_svg
from gatewatch.reports.content import Chart, ChartLane, ChartVisit

SVG = "{http://www.w3.org/2000/svg}"
DAY = datetime(1940, 2, 10, 17, tzinfo=UTC)


def drawn(chart: Chart) -> ElementTree.Element:
    return ElementTree.fromstring(chart_svg(chart))


def test_each_visit_is_a_dot_and_each_signal_event_a_mark_in_its_lane() -> None:
    visits = tuple(ChartVisit(DAY + timedelta(days=30 * n), level) for n, level in enumerate((0, 0, 1, 2, 3, 4)))
    lanes = (ChartLane("came deeper", (DAY, DAY + timedelta(days=150))), ChartLane("outerwear", (DAY,)))
    svg = drawn(Chart(((0, "street"), (4, "study")), visits, lanes))
    dots = svg.findall(f"{SVG}circle")
    assert len(dots) == 6
    heights = [float(dot.get("cy", "0")) for dot in dots]
    assert heights == sorted(heights, reverse=True) and heights[0] > heights[-1]  # deeper is higher on the page
    assert len(svg.findall(f"{SVG}path")) == 3
    assert {t.text for t in svg.findall(f"{SVG}text")} >= {"came deeper", "outerwear", "0 · street", "4 · study"}


def test_words_are_escaped_and_nothing_is_drawn_of_nothing() -> None:
    svg = chart_svg(Chart(((0, "<script>alert(1)</script>"),), (ChartVisit(DAY, 0),)))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert chart_svg(Chart(((0, "street"),), ())) == ""
