"""The Gate page as a guard works it, without a browser: the visitor carried from step to step,
the door in front of them, the passage after a grant, overrides headed in plain words, and the
Board's posts and weather panel. A real app on a real SQLite store (tests/api/conftest.py)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.conftest import Api, password, serving
from gatewatch.store.alerts import AlertFilter

ORIGIN = "http://testserver"


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    with serving(tmp_path) as served:
        served.client.headers["origin"] = ORIGIN  # the console's forms come from the desk's own pages
        yield served


def signed_in(api: Api, name: str) -> TestClient:
    client = api.client
    client.cookies.clear()
    answer = client.post("/login", data={"name": name, "password": password(name)}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return client


def today() -> str:
    return datetime.now(UTC).date().isoformat()  # the test site keeps UTC


def at_the_gate(api: Api, visitor: str = "vera") -> None:
    """Two guards posted at the gate (the night rule is met at any hour) and the visitor invited today."""
    posted = api.submit("lena", {"id": "post-1", "type": "post", "post": "gate", "on_duty": ["g1", "g2"]})
    assert posted.status_code == 200, posted.text
    invite = {"id": f"inv-{visitor}", "type": "invite", "by": "lead", "person": visitor, "date": today()}
    assert api.submit("lena", invite).status_code == 200


def field(page: str, form_action: str, name: str) -> str:
    """The value a form on the page carries in a field (an input's value or the selected option)."""
    form = re.search(rf'<form method="post" action="{re.escape(form_action)}".*?</form>', page, re.S)
    assert form is not None, f"no form {form_action}"
    text = form.group(0)
    found = re.search(rf'<input name="{name}"[^>]*value="([^"]*)"', text) or re.search(
        rf'<input type="hidden" name="{name}" value="([^"]*)"', text
    )
    if found:
        return found.group(1)
    select = re.search(rf'<select name="{name}">(.*?)</select>', text, re.S)
    assert select is not None, f"no field {name} in {form_action}"
    chosen = re.search(r'<option value="([^"]*)" selected>', select.group(1))
    first = re.search(r'<option value="([^"]*)"', select.group(1))
    return (chosen or first).group(1) if (chosen or first) else ""


def hidden_id(page: str, form_action: str) -> str:
    form = re.search(rf'<form method="post" action="{re.escape(form_action)}".*?</form>', page, re.S)
    assert form is not None
    found = re.search(r'name="id" value="([^"]+)"', form.group(0))
    assert found is not None
    return found.group(1)


def test_after_a_grant_the_guard_records_open_pass_and_close_and_the_visitor_is_inside(api: Api) -> None:
    at_the_gate(api)
    gate = signed_in(api, "gus")
    arrived = gate.post("/gate/arrive", data={"id": "a1", "person": "vera", "door": "outer"}).text
    assert field(arrived, "/gate/request", "people") == "vera"  # carried, not typed again
    assert field(arrived, "/gate/request", "door") == "outer"  # the door in front of her, not the first
    granted = gate.post("/gate/request", data={"id": "r1", "door": "outer", "people": "vera"}).text
    assert "✔ GRANT" in granted and 'id="passage"' in granted
    assert field(granted, "/gate/open", "door") == "outer" and field(granted, "/gate/open", "people") == "vera"
    assert "They passed into the lobby" in granted
    for step, action in (("open", "/gate/open"), ("pass", "/gate/pass"), ("close", "/gate/close")):
        page = gate.post(action, data={"id": f"{step}-1", "door": "outer", "people": "vera"}).text
        assert 'class="problem"' not in page, page
    state = api.services.desk.state
    assert state.where.get("vera") == "lobby" and "outer" not in state.open_doors
    raised = {alert.code for alert in api.services.alerts.find(AlertFilter(limit=500))}
    assert not raised & {"DOOR_FORCED", "UNAUTHORIZED_ENTRY"}, raised
    board = re.search(r'data-zone="lobby".*?</article>', gate.get("/board").text, re.S)
    assert board is not None and 'data-person="vera"' in board.group(0)
    muster = re.search(r"<h2>lobby \(\d+\)</h2>.*?</section>", gate.get("/muster").text, re.S)
    assert muster is not None and "vera · visitor" in muster.group(0)
    left = gate.post("/gate/leave", data={"id": "l1", "people": "vera"}).text
    assert 'class="problem"' not in left and api.services.desk.state.where.get("vera") is None


def test_a_near_miss_a_passage_through_an_unknown_door_is_named_and_nothing_recorded(api: Api) -> None:
    gate = signed_in(api, "gus")
    before = api.services.log.head()[0]
    page = html.unescape(gate.post("/gate/pass", data={"id": "x1", "door": "outr", "people": "vera"}).text)
    assert "field 'door': unknown door \"outr\"" in page
    assert api.services.log.head()[0] == before


def test_a_visitor_walked_to_the_principal_raises_alone_with_principal(api: Api) -> None:
    gate = signed_in(api, "gus")
    page = gate.post("/gate/pass", data={"id": "w1", "door": "office-door", "people": "vic"}).text
    assert "ALONE_WITH_PRINCIPAL" in page and api.services.desk.state.where.get("vic") == "office"


def test_the_gate_starts_with_the_picked_visitor_and_the_door_in_front_of_them(api: Api) -> None:
    at_the_gate(api)
    gate = signed_in(api, "gus")
    page = gate.get("/gate").text
    assert field(page, "/gate/arrive", "door") == "outer"  # the gate's own door, not "inner" nor "office-door"
    assert '<option value="vera">' in page  # today's expected visitors to pick from
    assert 'href="/gate?visitor=vera"' in page
    picked = gate.get("/gate?visitor=vera").text
    assert field(picked, "/gate/screen", "person") == "vera" and field(picked, "/gate/leave", "people") == "vera"
    api.submit("gus", {"id": "m1", "type": "move", "people": ["vera"], "to": "lobby"})
    inside = gate.get("/gate?visitor=vera").text
    assert field(inside, "/gate/request", "door") == "inner"  # out of the lobby, inward


def test_the_decision_card_names_the_door_and_the_time_in_the_sites_zone(api: Api) -> None:
    gate = signed_in(api, "gus")
    page = gate.post("/gate/request", data={"id": "r1", "door": "outer", "people": "vic"}).text
    card = re.search(r'<section class="card decision.*?</section>', page, re.S)
    assert card is not None
    assert re.search(r"At the outer door, \d{4}-\d\d-\d\d \d\d:\d\d UTC", card.group(0)), card.group(0)


def test_an_approved_override_reads_as_a_grant_by_override(api: Api) -> None:
    gate = signed_in(api, "gus")
    gate.post("/gate/request", data={"id": "r1", "door": "outer", "people": "vic"})
    form = {"id": "o1", "request_id": "r1", "approver": "lena", "approver_password": password("lena")}
    page = gate.post("/gate/override", data=form).text
    assert "✔ Granted by override, approved by Lena Lead" in page
    assert "<h2>Recorded</h2>" not in page and 'id="passage"' in page
    assert "At the outer door" in page


def test_a_refused_override_is_headed_refused_and_calls_the_lead_a_lead(api: Api) -> None:
    lead = signed_in(api, "lena")
    lead.post("/gate/request", data={"id": "r1", "door": "outer", "people": "vic"})
    form = {"id": "o1", "request_id": "r1", "approver": "lena", "approver_password": password("lena")}
    page = lead.post("/gate/override", data=form).text
    card = re.search(r'<section class="card decision.*?</section>', page, re.S)
    assert card is not None
    said = card.group(0)
    assert "✖ Override refused" in said and "Recorded" not in said
    assert "Lena Lead asked for it, and the lead who asks cannot also approve it" in said
    assert "a guard" not in said and 'id="passage"' not in page


def test_a_guard_takes_a_post_only_as_themselves_and_a_lead_names_anyone(api: Api) -> None:
    guard = signed_in(api, "gus").get("/board").text
    assert "I take this post" in guard and 'name="on_duty" list="guards"' not in guard
    taken = api.client.post("/board/post", data={"id": "p1", "post": "gate", "on_duty": "g1"}).text
    assert "✔ Post gate: on duty: g1." in taken and "g1" in api.services.desk.state.on_post.get("gate", ())
    other = html.unescape(api.client.post("/board/post", data={"id": "p2", "post": "gate", "on_duty": "g2"}).text)
    assert 'class="problem"' in other and 'on_duty names "g2"' in other
    assert "g2" not in api.services.desk.state.on_post.get("gate", ())
    lead = signed_in(api, "lena").get("/board").text
    assert 'name="on_duty" list="guards"' in lead and "I take this post" not in lead
    posted = api.client.post("/board/post", data={"id": "p3", "post": "gate", "on_duty": "g2"}).text
    assert 'class="problem"' not in posted and "g2" in api.services.desk.state.on_post.get("gate", ())


def test_a_post_form_naming_nobody_says_which_fields(api: Api) -> None:
    page = html.unescape(signed_in(api, "lena").post("/board/post", data={"id": "p1", "post": "gate"}).text)
    assert "fields 'on_duty' and 'off_duty'" in page and api.services.log.head()[0] == 0


def test_the_weather_is_recorded_and_a_wrong_temperature_is_named(api: Api) -> None:
    board = signed_in(api, "gus")
    page = board.post("/board/weather", data={"id": "w1", "temp_c": "27,5"}).text
    assert "✔ Weather: 27.5 °C." in page and "27.5 °C at" in page
    assert api.services.desk.state.weather is not None and api.services.desk.state.weather[1] == 27.5
    wrong = html.unescape(board.post("/board/weather", data={"id": "w2", "temp_c": "warm"}).text)
    assert "field 'temp_c': \"warm\" is not a temperature" in wrong
    absurd = html.unescape(board.post("/board/weather", data={"id": "w3", "temp_c": "270"}).text)
    assert "field 'temp_c': 270 °C" in absurd and api.services.log.head()[0] == 1


def test_the_favicon_is_served_and_linked(api: Api) -> None:
    icon = api.client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.text.startswith("<svg")
    assert 'rel="icon"' in api.client.get("/login").text


def test_the_invitation_pattern_escapes_its_hyphen_for_the_v_flag(api: Api) -> None:
    page = signed_in(api, "lena").get("/invitations").text
    assert 'pattern="[A-Za-z0-9._\\-]+"' in page
