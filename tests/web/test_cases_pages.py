"""Cases in the console, without a browser: who is shown them, and the forms that work a case."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from html import escape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.conftest import Api, password, serving
from gatewatch.service.case_notes import NoteKey

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "gatewatch" / "web" / "templates"
DICT_METHODS = ("clear", "copy", "fromkeys", "get", "items", "keys", "pop", "popitem", "setdefault", "update", "values")
WORDS = "Keeps asking which window is the study, and when the guard changes."


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    with serving(tmp_path) as served:
        served.client.headers["origin"] = str(served.client.base_url).rstrip("/")  # a form of the desk's own
        served.services.notes = NoteKey(tmp_path / "notes.key", served.services.log)
        yield served


def signed_in(api: Api, name: str) -> TestClient:
    client = api.client
    client.cookies.clear()
    answer = client.post("/login", data={"name": name, "password": password(name)}, follow_redirects=False)
    assert answer.status_code == 303
    return client


def test_a_guard_is_shown_no_case_and_refused_the_pages(api: Api) -> None:
    client = signed_in(api, "gus")
    person = client.get("/people/cook").text
    assert "Open a case" not in person and 'href="/cases"' not in person
    assert client.get("/cases").status_code == 403
    refused = client.post("/cases", data={"id": "c1", "person": "cook", "reason": "mine"})
    assert refused.status_code == 403 and "c1" not in api.services.desk.state.cases


def test_a_lead_opens_notes_reads_and_closes_a_case_with_the_forms(api: Api) -> None:
    client = signed_in(api, "lena")
    person = client.get("/people/cook").text
    assert "Open a case" in person and 'href="/cases"' in person
    opened = client.post("/cases", data={"id": "c1", "person": "cook", "reason": "asked about the study"})
    assert opened.status_code == 200 and "Case c1" in opened.text and "person of concern" in opened.text
    assert api.services.desk.state.of_concern("cook")
    assert 'href="/cases/c1"' in client.get("/people/cook").text

    noted = client.post("/cases/c1/notes", data={"id": "n1", "text": WORDS})
    assert "sealed and recorded" in noted.text and escape(WORDS) not in noted.text
    read = client.post("/cases/c1/read")
    assert read.status_code == 200 and escape(WORDS) in read.text
    reads = list(api.services.log.entries_of_types(("note_read",)))
    assert [(e.payload or {}).get("note") for e in reads] == ["n1"] and reads[0].event_id in read.text

    closed = client.post("/cases/c1/close", data={"id": "k1", "reason": "a misunderstanding"})
    assert "The case is closed" in closed.text and "a misunderstanding" in closed.text
    assert not api.services.desk.state.of_concern("cook")
    assert "c1" in client.get("/cases", params={"status": "closed"}).text


def test_a_form_that_cannot_be_taken_says_why(api: Api) -> None:
    client = signed_in(api, "lena")
    client.post("/cases", data={"id": "c1", "person": "cook", "reason": "asked about the study"})
    page = client.post("/cases/c1/update", data={"id": "u1", "review": "not a day"})
    assert page.status_code == 422 and "is not a date" in page.text
    page = client.post("/cases/c1/update", data={"id": "u2", "links": "never-recorded"})
    assert "never-recorded" in page.text and "is recorded: a case links recorded events" in page.text
    api.services.notes = None
    page = client.post("/cases/c1/notes", data={"id": "n1", "text": WORDS})
    assert page.status_code == 503 and "--notes-key" in page.text
    assert api.services.desk.state.cases["c1"].notes == 0


def test_a_form_from_another_site_is_refused(api: Api) -> None:
    client = signed_in(api, "lena")
    answer = client.post("/cases", data={"id": "c1", "person": "cook"}, headers={"origin": "http://elsewhere:9000"})
    assert answer.status_code == 403 and "c1" not in api.services.desk.state.cases


def test_a_case_s_links_and_forms_name_it_in_its_address(api: Api) -> None:
    """A case id with a character an address gives another meaning (``?``, ``#``) leads to its
    own page, and its forms act on it, not on another case."""
    client = signed_in(api, "lena")
    client.post("/cases", data={"id": "c1", "person": "cook", "reason": "asked about the study"})
    api.client.post("/v1/cases", json={"id": "c1?x#", "person": "cook"}, headers=api.headers("lena"))
    listed = client.get("/cases").text
    assert 'href="/cases/c1%3Fx%23"' in listed and 'href="/cases/c1?x#"' not in listed
    assert 'href="/cases/c1%3Fx%23"' in client.get("/people/cook").text
    page = client.get("/cases/c1%3Fx%23").text
    assert 'action="/cases/c1%3Fx%23/close"' in page and 'action="/cases/c1%3Fx%23/notes"' in page
    closed = client.post("/cases/c1%3Fx%23/close", data={"id": "k1", "reason": "a second case by mistake"})
    assert "The case is closed" in closed.text
    assert api.services.desk.state.cases["c1?x#"].closed == "k1" and api.services.desk.state.cases["c1"].is_open


def hidden_id(page: str, form: str) -> str:
    found = re.search(rf'id="{form}">\s*<input type="hidden" name="id" value="([^"]*)"', page)
    assert found is not None, form
    return found.group(1)


def banner(page: str) -> str:
    found = re.search(r'<p class="banner concern-note">(.*?)</p>', page, re.S)
    assert found is not None
    return re.sub(r"<[^>]+>", "", found.group(1))


def test_the_update_form_carries_an_id_of_its_own_each_time(api: Api) -> None:
    """``ids.update`` would be the dict's own method, the same words at every drawing of the form."""
    client = signed_in(api, "lena")
    client.post("/cases", data={"id": "c1", "person": "cook", "reason": "asked about the study"})
    first = hidden_id(client.get("/cases/c1").text, "update-case")
    assert first.startswith("update-") and "built-in" not in first
    assert client.post("/cases/c1/update", data={"id": first, "status": "investigating"}).status_code == 200
    second = hidden_id(client.get("/cases/c1").text, "update-case")
    assert second != first
    client.post("/cases/c1/update", data={"id": second, "status": "monitoring"})
    assert api.services.desk.state.cases["c1"].status == "monitoring"
    assert [e.event_id for e in api.services.log.entries_of_types(("case_update",))] == [first, second]


def test_no_form_takes_its_id_from_a_name_a_dict_already_has() -> None:
    for template in TEMPLATES.glob("*.html"):
        for method in DICT_METHODS:
            assert not re.search(rf"\bids\.{method}\b", template.read_text(encoding="utf-8")), (template.name, method)


def test_a_case_is_opened_only_with_a_reason(api: Api) -> None:
    client = signed_in(api, "lena")
    form = re.search(
        r'<form method="post" action="/cases" id="open-case">.*?</form>', client.get("/people/cook").text, re.S
    )
    assert form is not None and re.search(r'<textarea name="reason"[^>]* required', form.group(0))
    for reason in ("", "   "):
        answer = client.post("/cases", data={"id": "c1", "person": "cook", "reason": reason}, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/people/cook?problem=")
        shown = client.get(answer.headers["location"]).text
        assert "say why the case is opened" in shown
    assert "c1" not in api.services.desk.state.cases and not api.services.desk.state.of_concern("cook")


def test_a_review_before_the_case_opens_is_refused_by_the_form(api: Api) -> None:
    client = signed_in(api, "lena")
    yesterday = (api.services.clock().date() - timedelta(days=1)).isoformat()
    shown = client.post("/cases", data={"id": "c1", "person": "cook", "reason": "asked", "review": yesterday})
    assert f"review on {yesterday} is before the case was opened" in shown.text
    assert "c1" not in api.services.desk.state.cases


def test_the_concern_banner_says_what_raised_it_when_and_by_whom(api: Api) -> None:
    client = signed_in(api, "lena")
    failed = {"id": "v1", "type": "verify", "person": "cook", "claim": "employer", "result": "failed", "by": "lead"}
    assert api.submit("lena", failed).status_code == 200
    assert api.submit("lena", {"id": "x1", "type": "concern", "person": "cook", "by": "lead", "open": True}).is_success
    client.post("/cases", data={"id": "C-77", "person": "cook", "reason": "asked which window is the study's"})
    said = banner(client.get("/people/cook").text)
    assert "A person of concern" in said
    assert "CLAIM_FAILED" in said and "at a verification by Lena Lead" in said
    assert "a concern opened by Lena Lead on " in said
    assert said.count("C-77") == 1 and "opened by Lena Lead on " in said
    assert " at v1" not in said and " at x1" not in said and "opened by lead" not in said
    day = api.services.clock().date().isoformat()
    assert day in said


def test_a_guard_reads_that_a_lead_is_reviewing_not_the_case(api: Api) -> None:
    lead = signed_in(api, "lena")
    lead.post("/cases", data={"id": "C-77", "person": "cook", "reason": "asked which window is the study's"})
    guard = signed_in(api, "gus")
    said = banner(guard.get("/people/cook").text)
    assert "A person of concern" in said and "a lead is reviewing" in said
    assert "C-77" not in said and "window" not in said


def test_a_closed_case_says_who_closed_it_and_when(api: Api) -> None:
    client = signed_in(api, "lena")
    client.post("/cases", data={"id": "C-77", "person": "cook", "reason": "asked about the study"})
    page = client.post("/cases/C-77/close", data={"id": "close-986621ac83f7", "reason": "a misunderstanding"}).text
    day = api.services.clock().date().isoformat()
    summary = re.sub(r"<[^>]+>", " ", page.split('id="case-summary"', 1)[1].split("</section>", 1)[0])
    assert re.search(rf"Closed\s+by Lena Lead on {day} \d\d:\d\d: a misunderstanding", summary), summary
    assert "close-986621ac83f7" not in summary
    assert "(C-77)" not in summary and "by Lena Lead" in summary.split("Opened", 1)[1]
