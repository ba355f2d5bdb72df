"""The console's report buttons and the ``/reports`` page: who may, what is served, and what is recorded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.conftest import Api, password, serving
from gatewatch.reports.case import case_report
from gatewatch.reports.read import read_html, read_pdf
from gatewatch.reports.verify import verify
from gatewatch.service import cases
from gatewatch.service.permissions import Actor, UserRole
from gatewatch.web.routes import reports as report_routes
from support import VISITOR_IN_YARD, events

pytestmark = pytest.mark.slow


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    with serving(tmp_path) as served:
        served.client.headers["origin"] = str(served.client.base_url).rstrip("/")
        for event in events(VISITOR_IN_YARD):
            served.services.desk.submit(event, "lena", event.at)
        lena = Actor("lena", UserRole.LEAD, "lead")
        at = events(VISITOR_IN_YARD)[-1].at
        cases.open_case(served.services.desk, served.services.zone, lena, at, case="V-1", person="vic", links=["a1"])
        yield served


def signed_in(api: Api, name: str) -> TestClient:
    client = api.client
    client.cookies.clear()
    answer = client.post("/login", data={"name": name, "password": password(name)}, follow_redirects=False)
    assert answer.status_code == 303
    return client


def test_a_lead_prints_the_case_as_pdf_and_html_and_both_verify(api: Api) -> None:
    client = signed_in(api, "lena")
    assert "/cases/V-1/report.pdf" in client.get("/cases/V-1").text
    pdf = client.get("/cases/V-1/report.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert 'filename="case-V-1.pdf"' in pdf.headers["content-disposition"]
    read = read_pdf(pdf.content)
    assert {"V-1", "a1", "s1"} <= {c.event for c in read.proof.cited} and read.proof.made_by == "lena"
    assert verify(read.proof, read.printed, api.services.log).ok
    html = client.get("/cases/V-1/report.html")
    assert html.status_code == 200 and "default-src 'none'" in html.headers["content-security-policy"]
    again = read_html(html.text)
    assert verify(again.proof, again.printed, api.services.log).ok
    assert [r.user for r in api.services.accounts.reads_of("vic")][:2] == ["lena", "lena"]


def test_an_admin_may_and_an_analyst_or_a_guard_may_not(api: Api) -> None:
    assert signed_in(api, "root").get("/cases/V-1/report.html").status_code == 200
    analyst = signed_in(api, "ada")
    assert "/cases/V-1/report.pdf" not in analyst.get("/cases/V-1").text  # the case's page, without the buttons
    refused = analyst.get("/cases/V-1/report.html")
    assert refused.status_code == 403 and "only leads and admins are shown" in refused.text
    guard = signed_in(api, "gus")
    assert guard.get("/cases/V-1/report.pdf").status_code == 403
    assert guard.get("/reports").status_code == 403
    assert guard.get("/reports/window.pdf", params={"from": "2024-06-03", "to": "2024-06-03"}).status_code == 403
    assert {r.user for r in api.services.accounts.reads_of("vic")} == {"root"}


def test_no_such_case_or_format_is_a_404(api: Api) -> None:
    client = signed_in(api, "lena")
    assert client.get("/cases/nope/report.pdf").status_code == 404
    assert client.get("/cases/V-1/report.docx").status_code == 404


def test_the_reports_page_makes_a_window_report_and_refuses_an_overlong_one(api: Api) -> None:
    client = signed_in(api, "lena")
    shown = client.get("/reports")
    assert shown.status_code == 200 and 'action="/reports/window.pdf"' in shown.text and 'href="/reports"' in shown.text
    window = client.get("/reports/window.html", params={"from": "2024-06-03", "to": "2024-06-03"})
    assert window.status_code == 200
    read = read_html(window.text)
    assert "r0" in {c.event for c in read.proof.cited}  # the side door's grant that day
    assert verify(read.proof, read.printed, api.services.log).ok
    refused = client.get("/reports/window.pdf", params={"from": "2024-01-01", "to": "2024-06-30"})
    assert refused.status_code == 422 and "a report covers at most 92 days" in refused.text


def test_a_report_asked_for_while_another_is_made_is_refused_at_once_not_queued(api: Api) -> None:
    client = signed_in(api, "lena")
    assert report_routes.ONE_AT_A_TIME.acquire(blocking=False)  # a report being made
    try:
        for asked in (
            client.get("/cases/V-1/report.pdf"),
            client.get("/cases/V-1/report.html"),
            client.get("/reports/window.html", params={"from": "2024-06-03", "to": "2024-06-03"}),
        ):
            assert asked.status_code == 503 and "another report is being made" in asked.text
            assert asked.headers["retry-after"] == str(report_routes.RETRY_AFTER_S)
        assert client.get("/cases/V-1/report.docx").status_code == 404  # still told what is wrong at once
        assert signed_in(api, "gus").get("/cases/V-1/report.pdf").status_code == 403
    finally:
        report_routes.ONE_AT_A_TIME.release()
    assert signed_in(api, "lena").get("/cases/V-1/report.html").status_code == 200  # free again
    assert not report_routes.ONE_AT_A_TIME.locked()


def test_a_case_grown_long_prints_its_newest_events_and_links_saying_so(api: Api) -> None:
    """Each read of a note adds an event to its case: a case kept for months is bounded in its report."""
    lena = Actor("lena", UserRole.LEAD, "lead")
    at = events(VISITOR_IN_YARD)[-1].at
    for n, linked in enumerate(["a1", "s1", "r0", "o0", "m1"]):
        cases.update_case(
            api.services.desk, api.services.zone, lena, at, case="V-1", event_id=f"V-1-u{n}", links=[linked]
        )
    made = case_report(api.services, "V-1", lena, at, most_case_events=3, most_linked=2)
    own, linked = made.sections[0], made.sections[1]
    assert [line.event for line in own.lines] == ["V-1-u2", "V-1-u3", "V-1-u4"] and own.note == "The newest 3 of 6."
    assert [line.event for line in linked.lines] == ["o0", "m1"] and linked.note == "The newest 2 of 5 linked."
    assert {c.event for c in made.proof.cited} >= {"V-1-u4", "m1"} and "V-1-u1" not in {
        c.event for c in made.proof.cited
    }
