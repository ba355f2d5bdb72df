"""Cases in the console, without a browser: who is shown them, and the forms that work a case."""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.conftest import Api, password, serving
from gatewatch.service.case_notes import NoteKey

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
    client.post("/cases", data={"id": "c1", "person": "cook"})
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
    client.post("/cases", data={"id": "c1", "person": "cook"})
    api.client.post("/v1/cases", json={"id": "c1?x#", "person": "cook"}, headers=api.headers("lena"))
    listed = client.get("/cases").text
    assert 'href="/cases/c1%3Fx%23"' in listed and 'href="/cases/c1?x#"' not in listed
    assert 'href="/cases/c1%3Fx%23"' in client.get("/people/cook").text
    page = client.get("/cases/c1%3Fx%23").text
    assert 'action="/cases/c1%3Fx%23/close"' in page and 'action="/cases/c1%3Fx%23/notes"' in page
    closed = client.post("/cases/c1%3Fx%23/close", data={"id": "k1", "reason": "a second case by mistake"})
    assert "The case is closed" in closed.text
    assert api.services.desk.state.cases["c1?x#"].closed == "k1" and api.services.desk.state.cases["c1"].is_open
