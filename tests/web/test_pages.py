"""The console's pages, without a browser: who may see them, and forms that go wrong say why."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.conftest import Api, password, serving

PAGES = ("/board", "/board/live", "/banner", "/gate", "/alerts", "/people?q=anna", "/people/boss", "/invitations")
MORE = ("/muster", "/drills", "/login", "/watchlists")


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    with serving(tmp_path) as served:
        served.client.headers["origin"] = str(served.client.base_url).rstrip("/")  # a form of the desk's own
        yield served


def signed_in(api: Api, name: str) -> TestClient:
    client = api.client
    client.cookies.clear()
    answer = client.post("/login", data={"name": name, "password": password(name)}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/board"
    return client


def test_signed_out_pages_send_you_to_sign_in(api: Api) -> None:
    api.client.cookies.clear()
    answer = api.client.get("/gate", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login?next=/gate"


def test_a_wrong_password_is_said_plainly(api: Api) -> None:
    api.client.cookies.clear()
    answer = api.client.post("/login", data={"name": "gus", "password": "nope"})
    assert answer.status_code == 401 and "Wrong name or password" in answer.text


@pytest.mark.parametrize("path", PAGES + MORE)
def test_every_page_answers_a_guard(api: Api, path: str) -> None:
    assert signed_in(api, "gus").get(path).status_code == 200


def test_a_request_at_the_gate_shows_the_decision_and_the_remedy(api: Api) -> None:
    client = signed_in(api, "gus")
    page = client.post("/gate/request", data={"id": "r1", "door": "outer", "people": "vic"}).text
    assert "DENY" in page and "NOT_EXPECTED" in page and "What would make it a grant" in page


def test_a_form_that_cannot_be_taken_says_why_and_records_nothing(api: Api) -> None:
    client = signed_in(api, "gus")
    page = client.post("/gate/request", data={"id": "r1", "door": "outer", "people": ""}).text
    assert 'class="problem"' in page
    wrong = client.post(
        "/gate/override", data={"id": "o1", "request_id": "r1", "approver": "lena", "approver_password": "no"}
    ).text
    assert "name or password is wrong" in wrong
    assert api.services.log.head()[0] == 0


def test_a_guard_is_not_shown_lead_actions_and_a_lead_is(api: Api) -> None:
    assert "Vet as" not in signed_in(api, "gus").get("/people/boss").text
    assert "Vet as" in signed_in(api, "lena").get("/people/boss").text
    assert "How they came to be trusted" in signed_in(api, "gus").get("/people/boss").text


def test_a_drill_file_that_is_not_yaml_is_named(api: Api) -> None:
    client = signed_in(api, "gus")
    page = client.post("/drills", files={"drill": ("bad.yaml", b"drill: [unclosed", "text/yaml")}).text
    assert "bad.yaml: not valid YAML" in page


def test_a_drill_kept_beside_the_site_is_offered_and_runs(api: Api, tmp_path: Path) -> None:
    (tmp_path / "forced.yaml").write_text(
        "drill: forced\nsite: site.yaml\nstart: 2024-06-03T09:00\n"
        "events:\n  - {id: f1, at: '09:00', type: open, door: side, by: g1}\n"
        "expect:\n  - {event: f1, alert: DOOR_FORCED}\n",
        encoding="utf-8",
    )
    client = signed_in(api, "gus")
    assert "forced.yaml" in client.get("/drills").text
    ran = client.post("/drills/kept", data={"file": "forced.yaml"}).text
    assert "forced: ✔ passed" in ran and "DOOR_FORCED" in ran
    assert api.services.log.head()[0] == 0  # a drill is played apart from the record
    refused = client.post("/drills/kept", data={"file": "../site.yaml"}).text
    assert "no drill" in refused and "passed" not in refused


def test_a_name_screened_on_the_watchlists_page_shows_the_match_and_is_kept(api: Api) -> None:
    from gatewatch.core.watchlist import WatchEntry
    from gatewatch.store.watchlists import Watchlists

    entry = WatchEntry("Ramón Mercader", aliases=("Frank Jacson",), id="co-17", note="wanted")
    Watchlists(api.services.log.engine).import_version(
        "court orders", [entry], source="court.csv", by="root", at="2026-11-25T10:00:00+00:00"
    )
    api.submit(  # before the screenings below, which are recorded at today's time
        "lena",
        {"id": "i1", "at": "2024-06-03T09:00:00Z", "type": "identify", "person": "vic", "name": "Natalia Sedova"},
    )
    client = signed_in(api, "gus")
    page = client.post("/watchlists/screen", data={"id": "s1", "names": "Frank Jackson\n"}).text
    assert "▲ MATCH: Frank Jackson" in page and "Frank Jacson (alias of Ramón Mercader)" in page
    assert "jackson ≈ jacson (spelling)" in page
    nothing = client.post("/watchlists/screen", data={"id": "s2", "names": ""}).text
    assert 'class="problem"' in nothing and "give names or documents" in nothing
    again = client.post("/people/vic/screen", data={"id": "s3"}, follow_redirects=True).text
    assert "Watchlist screenings" in again and "Natalia Sedova" in again and "court orders v1" in again


def test_papers_at_the_gate_are_recorded_with_whom_they_were_shown_to_and_screened(api: Api) -> None:
    from gatewatch.core.watchlist import WatchEntry
    from gatewatch.store.watchlists import Watchlists

    Watchlists(api.services.log.engine).import_version(
        "court orders",
        [WatchEntry("Ramón Mercader", aliases=("Frank Jacson",))],
        source="x",
        by="root",
        at="2026-11-25",
    )
    client = signed_in(api, "gus")
    form = {
        "id": "p1",
        "person": "vic",
        "name": "Frank Jackson",
        "country": "CA",
        "number": "JX1",
        "expiry": "2020-01-01",
    }
    page = client.post("/gate/papers", data=form).text
    assert "DOCUMENT_EXPIRED" in page and "WATCHLIST_MATCH" in page
    file = client.get("/people/vic").text
    assert "passport CA JX1" in file and "g1" in file  # shown to the guard on duty, gus (person g1)
    clean = client.post("/gate/papers", data={"id": "p2", "person": "nat", "name": "Natalia Sedova"}).text
    assert "on none of them" in clean
