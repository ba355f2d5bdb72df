"""Cases over HTTP: a lead opens, notes, reads (the read recorded) and closes; the concern is set
then cleared; a guard is refused; bad input names its field; a missing key names its cause."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api.conftest import USERS, Api, password, serving, write_site
from gatewatch.bootstrap import build
from gatewatch.server import create_app
from gatewatch.service.case_notes import NoteKey
from store.conftest import _postgres_database

WORDS = "Asked the cook which window is the study's."
OPEN = {"id": "c1", "person": "vic", "reason": "waits at the gate on Sundays", "review": "2030-01-15"}


VIC = {"id": "vic-registered", "type": "register", "person": {"id": "vic", "name": "Victor Visitor", "role": "visitor"}}


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    with serving(tmp_path) as served:
        served.services.notes = NoteKey(tmp_path / "keys" / "notes.key", served.services.log)
        assert served.submit("lena", VIC).status_code == 200  # a case opens on a person the site knows
        yield served


def send(api: Api, user: str, method: str, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
    return api.client.request(method, path, json=body, headers=api.headers(user))


def concern(api: Api, person: str) -> bool:
    return bool(api.get("lena", f"/v1/people/{person}").json()["concern"])


def test_a_lead_opens_notes_reads_and_closes_a_case(api: Api) -> None:
    opened = send(api, "lena", "POST", "/v1/cases", OPEN)
    assert opened.status_code == 200, opened.text
    assert opened.json()["case"]["status"] == "open" and opened.json()["case"]["review"] == "2030-01-15"
    assert concern(api, "vic")

    noted = send(api, "ada", "POST", "/v1/cases/c1/notes", {"id": "n1", "text": WORDS})
    assert noted.status_code == 200, noted.text
    assert noted.json()["case"]["notes"] == 1
    assert WORDS not in str(api.get("lena", "/v1/events/n1").json())

    read = send(api, "lena", "GET", "/v1/cases/c1/notes")
    assert read.status_code == 200, read.text
    (note,) = read.json()["notes"]
    assert (note["note"], note["by"], note["text"]) == ("n1", "aide", WORDS)
    recorded = api.get("lena", f"/v1/events/{note['read']}").json()
    assert (recorded["type"], recorded["payload"]["note"], recorded["payload"]["by"]) == ("note_read", "n1", "lead")

    file = send(api, "ada", "GET", "/v1/cases/c1").json()
    assert [e["type"] for e in file["events"]] == ["case_open", "case_note", "note_read"]
    assert file["notes_held"] == [{"note": "n1", "at": file["events"][1]["at"], "by": "aide", "reads": 1}]
    assert WORDS not in str(file)

    closed = send(api, "lena", "POST", "/v1/cases/c1/close", {"id": "k9", "reason": "he left for New York"})
    assert closed.status_code == 200, closed.text
    (alert,) = closed.json()["alerts"]
    assert alert["code"] == "CASE_CLOSED" and "he left for New York" in alert["message"]
    assert closed.json()["case"]["status"] == "closed"
    assert not concern(api, "vic")


def test_an_update_and_the_list(api: Api) -> None:
    send(api, "lena", "POST", "/v1/cases", OPEN)
    send(api, "lena", "POST", "/v1/cases", {"id": "c2", "person": "cook"})
    send(api, "lena", "POST", "/v1/cases/c2/close", {"id": "k2", "reason": "a misunderstanding"})
    updated = send(api, "ada", "PATCH", "/v1/cases/c1", {"id": "u1", "status": "investigating", "assignee": "aide"})
    assert updated.status_code == 200, updated.text
    assert (updated.json()["case"]["status"], updated.json()["case"]["assignee"]) == ("investigating", "aide")
    linked = send(api, "ada", "PATCH", "/v1/cases/c1", {"id": "u2", "links": ["c2"]})
    assert linked.status_code == 200, linked.text
    (link,) = send(api, "ada", "GET", "/v1/cases/c1").json()["links"]
    assert (link["event"], link["type"], link["recorded"]) == ("c2", "case_open", True)
    assert [c["id"] for c in api.get("ada", "/v1/cases", status="open").json()] == ["c1"]
    assert [c["id"] for c in api.get("ada", "/v1/cases", person="cook").json()] == ["c2"]
    assert {c["id"] for c in api.get("root", "/v1/cases").json()} == {"c1", "c2"}


def test_a_guard_is_refused_every_case_route(api: Api) -> None:
    send(api, "lena", "POST", "/v1/cases", OPEN)
    for method, path, body in (
        ("POST", "/v1/cases", {**OPEN, "id": "c2"}),
        ("GET", "/v1/cases", None),
        ("GET", "/v1/cases/c1", None),
        ("PATCH", "/v1/cases/c1", {"id": "u1", "status": "monitoring"}),
        ("POST", "/v1/cases/c1/notes", {"id": "n1", "text": "mine"}),
        ("GET", "/v1/cases/c1/notes", None),
        ("POST", "/v1/cases/c1/close", {"id": "k1", "reason": "mine"}),
    ):
        answer = send(api, "gus", method, path, body)
        assert answer.status_code == 403, (method, path, answer.text)
    by_event = api.submit("gus", {"id": "x1", "type": "case_open", "case": "c3", "person": "vic", "by": "g1"})
    assert by_event.status_code == 403 and "needs a lead or an analyst" in by_event.json()["detail"]
    assert api.services.desk.state.cases["c1"].notes == 0 and "c3" not in api.services.desk.state.cases


def test_notes_and_reads_are_written_by_the_desk_alone(api: Api) -> None:
    send(api, "lena", "POST", "/v1/cases", OPEN)
    sealed = {"key": "0123456789abcdef", "nonce": "AAAAAAAAAAAAAAAA", "text": "AAAA"}
    forged = api.submit("lena", {"id": "x1", "type": "case_note", "case": "c1", "by": "lead", "sealed": sealed})
    assert forged.status_code == 403 and "/v1/cases/{case}/notes" in forged.json()["detail"]
    read = api.submit("lena", {"id": "x2", "type": "note_read", "case": "c1", "note": "n1", "by": "lead"})
    assert read.status_code == 403


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/v1/cases", {"id": "c2"}, "person"),
        ("POST", "/v1/cases", {"id": "c2", "person": "vic", "review": "2030-13-01"}, "review"),
        ("POST", "/v1/cases", {"id": "c2", "person": "vic", "review": "3030-01-01"}, "review"),
        ("POST", "/v1/cases", {"id": "c2", "person": "vic", "links": ["nothing-recorded"]}, "links"),
        ("POST", "/v1/cases", {"id": "c2", "person": "vic", "assignee": "nobody-here"}, "assignee"),
        ("POST", "/v1/cases", {"id": "c2", "person": "vic", "links": [f"e{i}" for i in range(51)]}, "links"),
        ("PATCH", "/v1/cases/c1", {"id": "u1", "status": "closed"}, "status"),
        ("PATCH", "/v1/cases/c1", {"id": "u1"}, "status"),
        ("POST", "/v1/cases/c1/close", {"id": "k1"}, "reason"),
        ("POST", "/v1/cases/c1/close", {"id": "k1", "reason": ""}, "reason"),
        ("POST", "/v1/cases/c1/notes", {"id": "n1", "text": "x" * 4_001}, "text"),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    api: Api, method: str, path: str, body: dict[str, Any], field: str
) -> None:
    send(api, "lena", "POST", "/v1/cases", OPEN)
    answer = send(api, "lena", method, path, body)
    assert answer.status_code == 422, answer.text
    assert field in (answer.json().get("field") or ""), answer.json()
    assert api.services.desk.state.cases["c1"].status == "open"


def test_a_second_opening_of_a_case_and_work_on_a_closed_one_are_refused(api: Api) -> None:
    send(api, "lena", "POST", "/v1/cases", OPEN)
    again = api.submit("lena", {"id": "x1", "type": "case_open", "case": "c1", "person": "cook", "by": "lead"})
    assert again.status_code == 422 and again.json()["field"] == "case" and "opened already" in again.json()["detail"]
    assert send(api, "lena", "POST", "/v1/cases", {**OPEN, "person": "cook"}).status_code == 409
    send(api, "lena", "POST", "/v1/cases/c1/close", {"id": "k1", "reason": "done"})
    for path, body in (
        ("/v1/cases/c1/close", {"id": "k2", "reason": "again"}),
        ("/v1/cases/c1/notes", {"id": "n1", "text": "late"}),
    ):
        answer = send(api, "lena", "POST", path, body)
        assert answer.status_code == 422 and "was closed" in answer.json()["detail"]
    assert send(api, "lena", "GET", "/v1/cases/nope").status_code == 404


def test_a_missing_key_is_named_and_everything_else_goes_on(api: Api) -> None:
    send(api, "lena", "POST", "/v1/cases", OPEN)
    assert send(api, "ada", "POST", "/v1/cases/c1/notes", {"id": "n1", "text": WORDS}).status_code == 200
    key = api.services.notes
    assert key is not None
    kept = key.path.read_bytes()
    key.path.unlink()
    for method, path, body in (
        ("GET", "/v1/cases/c1/notes", None),
        ("POST", "/v1/cases/c1/notes", {"id": "n2", "text": "x"}),
    ):
        answer = send(api, "lena", method, path, body)
        assert answer.status_code == 503, answer.text
        assert f"there is no key at {key.path}" in answer.json()["detail"]
    assert send(api, "lena", "GET", "/v1/cases/c1").json()["notes_held"][0]["reads"] == 0
    assert send(api, "lena", "POST", "/v1/cases/c1/close", {"id": "k1", "reason": "done"}).status_code == 200
    key.path.write_bytes(kept)
    assert [n["text"] for n in send(api, "lena", "GET", "/v1/cases/c1/notes").json()["notes"]] == [WORDS]


def test_no_key_configured_is_named(api: Api) -> None:
    api.services.notes = None
    send(api, "lena", "POST", "/v1/cases", OPEN)
    answer = send(api, "lena", "POST", "/v1/cases/c1/notes", {"id": "n1", "text": WORDS})
    assert answer.status_code == 503 and "--notes-key" in answer.json()["detail"]


def test_the_schema_lists_the_case_events_and_routes(api: Api) -> None:
    document = api.client.get("/openapi.json").json()
    components = document["components"]["schemas"]
    assert {"CaseOpen", "CaseUpdate", "CaseNote", "CaseClose", "NoteRead", "SealedNote"} <= components.keys()
    tags = {
        ref["$ref"].rsplit("/", 1)[-1]
        for ref in document["paths"]["/v1/events"]["post"]["requestBody"]["content"]["application/json"]["schema"][
            "anyOf"
        ]
    }
    assert {"CaseOpen", "CaseClose", "NoteRead"} <= tags
    assert {"/v1/cases", "/v1/cases/{case_id}", "/v1/cases/{case_id}/notes", "/v1/cases/{case_id}/close"} <= document[
        "paths"
    ].keys()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from _postgres_database()


def test_a_case_on_postgresql(tmp_path: Path, postgres_url: str) -> None:
    services = build(write_site(tmp_path), postgres_url, notes_key=tmp_path / "notes.key")
    for name, (role, person) in USERS.items():
        services.gatekeeper.add_user(name, role, password(name), person)
    with TestClient(create_app(services, names_apart=False)) as client:
        token = client.post("/v1/login", json={"name": "lena", "password": password("lena")}).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        assert client.post("/v1/events", json=VIC, headers=headers).status_code == 200
        assert client.post("/v1/cases", json=OPEN, headers=headers).status_code == 200
        assert client.post("/v1/cases/c1/notes", json={"id": "n1", "text": WORDS}, headers=headers).status_code == 200
        (note,) = client.get("/v1/cases/c1/notes", headers=headers).json()["notes"]
        assert note["text"] == WORDS
        closed = client.post("/v1/cases/c1/close", json={"id": "k1", "reason": "done"}, headers=headers).json()
        assert [a["code"] for a in closed["alerts"]] == ["CASE_CLOSED"]
    again = build(write_site(tmp_path), postgres_url, notes_key=tmp_path / "notes.key")
    assert again.desk.state.cases["c1"].closed == "k1" and not again.desk.state.of_concern("vic")
    assert again.log.verify().ok
    again.close()


def test_a_guard_is_refused_a_case_s_events_in_the_record(api: Api) -> None:
    """The case's file is refused to a guard; so is each of its events read one by one."""
    send(api, "lena", "POST", "/v1/cases", OPEN)
    send(api, "ada", "POST", "/v1/cases/c1/notes", {"id": "n1", "text": WORDS})
    (note,) = send(api, "lena", "GET", "/v1/cases/c1/notes").json()["notes"]
    send(api, "lena", "PATCH", "/v1/cases/c1", {"id": "u1", "assignee": "aide"})
    send(api, "lena", "POST", "/v1/cases/c1/close", {"id": "k1", "reason": "he left for New York"})
    for event in ("c1", "n1", note["read"], "u1", "k1"):
        answer = api.get("gus", f"/v1/events/{event}")
        assert answer.status_code == 403, (event, answer.text)
        assert "waits at the gate" not in answer.text and "cases" in answer.json()["detail"]
        assert api.get("ada", f"/v1/events/{event}").status_code == 200
    assert api.submit("gus", {"id": "w1", "type": "weather", "temp_c": 31}).status_code == 200
    assert api.get("gus", "/v1/events/w1").status_code == 200


@pytest.mark.parametrize("case", ["2024/17", "..", "."])
def test_a_case_id_that_cannot_stand_in_an_address_is_refused(api: Api, case: str) -> None:
    """The case's routes name it in their path: an id with a slash (or dots alone) could not be
    reached there again, and the person would stay of concern with no case to close."""
    answer = send(api, "lena", "POST", "/v1/cases", {**OPEN, "id": case})
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == "case" and "address" in answer.json()["detail"]
    by_event = api.submit("lena", {"id": "x1", "type": "case_open", "case": case, "person": "vic", "by": "lead"})
    assert by_event.status_code == 422
    assert not api.services.desk.state.cases and not api.services.desk.state.of_concern("vic")


def test_a_case_id_with_a_question_mark_is_reached_by_its_address(api: Api) -> None:
    assert send(api, "lena", "POST", "/v1/cases", {**OPEN, "id": "c1?#%"}).status_code == 200
    assert send(api, "lena", "GET", "/v1/cases/c1%3F%23%25").json()["id"] == "c1?#%"


def test_the_list_of_cases_is_bounded(api: Api) -> None:
    for i in range(3):
        send(api, "lena", "POST", "/v1/cases", {"id": f"c{i}", "person": "vic"})
    assert [c["id"] for c in api.get("lena", "/v1/cases", limit=2).json()] == ["c2", "c1"]
    assert len(api.get("lena", "/v1/cases").json()) == 3
    assert api.get("lena", "/v1/cases", limit=100_000).status_code == 422


def test_a_concern_is_not_cleared_while_a_case_on_the_person_is_open(api: Api) -> None:
    send(api, "lena", "POST", "/v1/cases", OPEN)
    cleared = api.submit("lena", {"id": "x1", "type": "concern", "person": "vic", "by": "lead", "open": False})
    assert cleared.status_code == 422, cleared.text
    assert cleared.json()["field"] == "open"
    assert "case c1 on Victor Visitor is open: close it to clear the concern" in cleared.json()["detail"]
    assert concern(api, "vic") and api.services.log.find("x1") is None
    send(api, "lena", "POST", "/v1/cases/c1/close", {"id": "k1", "reason": "he left for New York"})
    assert api.submit("lena", {"id": "x2", "type": "concern", "person": "vic", "by": "lead", "open": True}).is_success
    again = api.submit("lena", {"id": "x3", "type": "concern", "person": "vic", "by": "lead", "open": False})
    assert again.status_code == 200, again.text
    assert not concern(api, "vic")


def test_a_case_on_a_person_the_site_does_not_know_is_refused_with_the_nearest(api: Api) -> None:
    answer = send(api, "lena", "POST", "/v1/cases", {**OPEN, "person": "vicc"})
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == "person"
    assert '"vicc" is not known on this site' in answer.json()["detail"]
    assert 'did you mean "vic"?' in answer.json()["detail"]
    by_event = api.submit("lena", {"id": "x1", "type": "case_open", "case": "c2", "person": "cokk", "by": "lead"})
    assert by_event.status_code == 422 and 'did you mean "cook"?' in by_event.json()["detail"]
    assert not api.services.desk.state.cases and "vicc" not in api.services.desk.state.people


def test_a_case_on_one_of_the_site_s_own_guards_is_opened(api: Api) -> None:
    """An insider case: a guard is a person the site knows."""
    answer = send(api, "lena", "POST", "/v1/cases", {"id": "c1", "person": "g2", "reason": "lent his card twice"})
    assert answer.status_code == 200, answer.text
    assert concern(api, "g2")


def test_a_review_before_the_case_opens_is_refused(api: Api) -> None:
    today = api.services.clock().date()
    answer = send(api, "lena", "POST", "/v1/cases", {**OPEN, "review": (today - timedelta(days=1)).isoformat()})
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == "review" and "is before the case was opened" in answer.json()["detail"]
    assert not api.services.desk.state.cases
    assert send(api, "lena", "POST", "/v1/cases", {**OPEN, "review": today.isoformat()}).status_code == 200
    earlier = send(api, "lena", "PATCH", "/v1/cases/c1", {"id": "u1", "review": "2001-01-01"})
    assert earlier.status_code == 422 and earlier.json()["field"] == "review"
