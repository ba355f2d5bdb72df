"""A window report: its bounds read as the site's clock, its refusals, its lines by day, and its HTML's proof."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from gatewatch.reports.read import read_html
from gatewatch.reports.render import render_html
from gatewatch.reports.verify import verify
from gatewatch.reports.window import WindowRefused, window_bounds, window_report, window_run
from gatewatch.service.permissions import Actor, UserRole
from gatewatch.store.log import EventLog, Submission, database_url

ZONE = ZoneInfo("America/Mexico_City")
LEAD = Actor("lena", UserRole.LEAD, "lead")
ANALYST = Actor("ada", UserRole.ANALYST, "aide")
SITE = ("testhouse", "Test house")
START = datetime(2024, 6, 1, 8, 0, tzinfo=ZONE)


def alert(code: str, severity: str = "high") -> dict[str, object]:
    return {"code": code, "severity": severity, "subjects": ["vic"], "message": f"{code} at the door"}


def recorded(data: Path) -> EventLog:
    """Ten days, an event every six hours: a request (granted, then denied) by day, an alert every other day,
    and one badge keyed with the duress PIN."""
    store = EventLog.open(database_url(data))
    items = []
    for n in range(40):
        at = (START + timedelta(hours=6 * n)).isoformat()
        decision = ("grant" if n % 2 else "deny") if n % 4 == 0 else None
        alerts = [alert("NOT_EXPECTED")] if n % 8 == 1 else []
        payload = {"type": "request", "door": "outer", "by": "g1", "for": ["vic"]}
        if n == 13:
            payload = {"type": "badge", "reader": "r1", "credential": "c1", "pin_given": "duress"}
            alerts = [alert("DURESS", "critical")]
            decision = "grant"
        outcome = {
            "at": at,
            "decision": decision,
            "reasons": ["NOT_EXPECTED"] if decision == "deny" else [],
            "alerts": alerts,
        }
        items.append(Submission(f"e{n}", str(payload["type"]), at, payload, outcome, "g1", at))
    store.append_many(items)
    return store


def test_a_date_is_a_whole_day_of_the_sites_clock() -> None:
    begins, ends = window_bounds("2024-06-02", "2024-06-03", ZONE)
    assert begins == datetime(2024, 6, 2, tzinfo=ZONE) and ends == datetime(2024, 6, 4, tzinfo=ZONE)
    begins, ends = window_bounds("2024-06-02T10:30", "2024-06-02T20:00+00:00", ZONE)
    assert begins == datetime(2024, 6, 2, 10, 30, tzinfo=ZONE) and ends == datetime(2024, 6, 2, 20, tzinfo=UTC)


def test_a_window_too_long_backwards_or_unreadable_is_refused_naming_the_limit() -> None:
    with pytest.raises(WindowRefused, match=r"93\.0 days long; a report covers at most 92 days"):
        window_bounds("2024-01-01", "2024-04-02", ZONE)
    window_bounds("2024-01-01", "2024-04-01", ZONE)  # 92 whole days: taken
    with pytest.raises(WindowRefused, match=r"ends .* before it begins"):
        window_bounds("2024-06-03", "2024-06-02", ZONE)
    with pytest.raises(WindowRefused, match="FROM: 'last tuesday' is not a date"):
        window_bounds("last tuesday", "2024-06-02", ZONE)


@pytest.mark.parametrize(
    ("start", "end", "named"),
    [
        ("9999-12-30", "9999-12-31", "TO: '9999-12-31'"),
        ("0001-01-01T00:00+05:00", "0001-01-02", "FROM: '0001-01-01T00:00+05:00'"),
        ("9999-12-31T23:00-05:00", "9999-12-31T23:30-05:00", "FROM: '9999-12-31T23:00-05:00'"),
    ],
)
def test_a_window_at_the_calendars_ends_is_refused_naming_the_bound(
    start: str, end: str, named: str, tmp_path: Path
) -> None:
    with pytest.raises(WindowRefused, match=f"{re.escape(named)} is beyond the calendar"):
        window_report(recorded(tmp_path), SITE, ZONE, start, end, LEAD, datetime(2024, 7, 1, tzinfo=UTC))


def test_the_windows_entries_are_found_by_bisection(tmp_path: Path) -> None:
    store = recorded(tmp_path)
    assert window_run(store, *window_bounds("2024-06-02", "2024-06-02", ZONE)) == (4, 8)
    assert window_run(store, *window_bounds("2024-05-01", "2024-05-02", ZONE)) == (1, 1)
    assert window_run(store, *window_bounds("2024-07-01", "2024-07-02", ZONE)) == (41, 41)


def test_a_window_with_too_many_events_is_refused_naming_the_limit(tmp_path: Path) -> None:
    store = recorded(tmp_path)
    made = datetime(2024, 7, 1, tzinfo=UTC)
    with pytest.raises(WindowRefused, match="holds 12 events; a report reads at most 10"):
        window_report(store, SITE, ZONE, "2024-06-02", "2024-06-04", LEAD, made, most_events=10)
    window_report(store, SITE, ZONE, "2024-06-02", "2024-06-04", LEAD, made, most_events=12)
    with pytest.raises(WindowRefused, match="has 6 alerts and decisions; a report prints at most 5"):
        window_report(store, SITE, ZONE, "2024-06-02", "2024-06-04", LEAD, made, most_lines=5)


def test_the_lines_are_the_decisions_and_alerts_by_day_each_cited(tmp_path: Path) -> None:
    store = recorded(tmp_path)
    report = window_report(store, SITE, ZONE, "2024-06-01", "2024-06-10", LEAD, datetime(2024, 7, 1, tzinfo=UTC))
    assert [day.day for day in report.days] == [f"2024-06-{d:02}" for d in range(1, 11)]
    lines = [line for day in report.days for line in day.lines]
    assert {line.seq for line in lines} == {c.seq for c in report.proof.cited}
    assert any(line.what.startswith("DENY (NOT_EXPECTED): request") for line in lines)
    assert any(line.severity == "critical" and "DURESS" in line.what for line in lines)
    assert report.proof.head.seq == 40 and report.proof.made_by == "lena"


def test_an_analyst_gets_no_line_nor_citation_of_a_discreet_alert(tmp_path: Path) -> None:
    store = recorded(tmp_path)
    report = window_report(store, SITE, ZONE, "2024-06-01", "2024-06-10", ANALYST, datetime(2024, 7, 1, tzinfo=UTC))
    lines = [line for day in report.days for line in day.lines]
    assert 14 not in {c.seq for c in report.proof.cited}
    assert not any("DURESS" in line.what or "duress" in line.what for line in lines)
    assert "duress" not in render_html(report).lower()


def test_the_html_report_keeps_its_proof_and_verifies(tmp_path: Path) -> None:
    store = recorded(tmp_path)
    report = window_report(store, SITE, ZONE, "2024-06-01", "2024-06-10", LEAD, datetime(2024, 7, 1, tzinfo=UTC))
    html = render_html(report)
    read = read_html(html)
    assert read.proof == report.proof
    assert verify(read.proof, read.printed, store).ok
    tampered = read_html(html.replace(report.proof.cited[0].hash, "0" * 64, 1))
    assert verify(tampered.proof, tampered.printed, store).report
