"""The console's report buttons and the ``/reports`` page: who may, what is served, and what is recorded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.conftest import Api, password, serving
from gatewatch.reports.read import read_html, read_pdf
from gatewatch.reports.verify import verify
from gatewatch.service import cases
from gatewatch.service.permissions import Actor, UserRole
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
