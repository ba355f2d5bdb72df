"""The desk under attack by a signed-in guard: numbers, clocks, sizes, characters and bodies that
once were acknowledged, crashed the server or held it, each now refused with the field named.

Through the app (a real SQLite store, the desk's clock pinned) and through a real ``gatewatch
serve`` process for what only a real server shows: a body refused before it is read whole.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.conftest import Api
from api.server import Server, serving_test_site
from gatewatch.api.event_schema import event_components
from gatewatch.bootstrap import build
from gatewatch.core import limits
from gatewatch.core.errors import InvalidInput
from gatewatch.service import intake

NOW = datetime(2024, 6, 3, 9, 0, tzinfo=UTC)
MAY_CARRY = "an event or any other API request may carry at most 64 KiB (65,536 bytes)"


@pytest.fixture
def desk(api: Api) -> Api:
    """The app with the desk's clock at ``NOW``, whatever the events say."""
    api.follow_clock = False
    api.services.clock = lambda: NOW
    return api


def stamp(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def refused(answer: httpx.Response, status: int = 422) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    body: dict[str, Any] = answer.json()
    return body


# --- numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", [b"NaN", b"Infinity", b"-Infinity", b"1e400"])
def test_a_temperature_that_is_not_a_number_is_refused_and_the_desk_restarts(
    desk: Api, tmp_path: Path, number: bytes
) -> None:
    body = b'{"id": "w1", "type": "weather", "temp_c": ' + number + b"}"
    answer = desk.client.post(
        "/v1/events", content=body, headers={**desk.headers("gus"), "content-type": "application/json"}
    )
    assert refused(answer) == {
        "detail": "event w1, field 'temp_c': must be a finite number from -90 to 60",
        "field": "temp_c",
        "where": "event w1",
    }
    assert desk.submit("gus", {"id": "w2", "type": "weather", "temp_c": 56.7}).status_code == 200
    desk.services.desk.flush(5)
    reopened = build(tmp_path / "site.yaml", f"sqlite:///{tmp_path / 'gatewatch.db'}")
    try:
        assert reopened.log.head()[0] == 1 and not reopened.desk.condition().skipped
    finally:
        reopened.close()


# --- the clock -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "side"),
    [
        (timedelta(minutes=2, seconds=1), "more than 2 minutes after"),
        (timedelta(minutes=-15, seconds=-1), "more than 15 minutes before"),
    ],
)
def test_an_event_dated_outside_the_desks_window_is_refused_naming_at(desk: Api, offset: timedelta, side: str) -> None:
    answer = desk.submit("gus", {"id": "w1", "type": "weather", "temp_c": 20, "at": stamp(NOW + offset)})
    body = refused(answer)
    assert body["field"] == "at" and body["where"] == "event w1"
    assert f"{side} the desk's clock (2024-06-03 09:00:00)" in body["detail"]
    assert "a live event is dated from 08:45:00 to 09:02:00" in body["detail"]
    assert desk.services.log.head()[0] == 0


@pytest.mark.parametrize("offset", [timedelta(minutes=2), timedelta(minutes=-15), timedelta(0)])
def test_an_event_dated_within_the_window_is_decided(desk: Api, offset: timedelta) -> None:
    answer = desk.submit("gus", {"id": "w1", "type": "weather", "temp_c": 20, "at": stamp(NOW + offset)})
    assert answer.status_code == 200
    assert answer.json()["outcome"]["at"] == min(NOW, NOW + offset).isoformat()  # never after the desk's clock


def test_a_time_ahead_of_the_desk_does_not_hold_its_clock(desk: Api) -> None:
    """A guard who dates an event two minutes ahead cannot make every true time "before the last one"."""
    desk.submit("gus", {"id": "w1", "type": "weather", "temp_c": 20, "at": stamp(NOW + timedelta(minutes=2))})
    honest = desk.submit("gus", {"id": "w2", "type": "weather", "temp_c": 21, "at": stamp(NOW - timedelta(seconds=3))})
    assert honest.status_code == 200
    assert honest.json()["outcome"]["at"] == NOW.isoformat()  # not earlier than the last one: dated with it


def test_an_alarm_a_little_late_is_decided_and_locks_down(desk: Api) -> None:
    desk.submit("gus", {"id": "w1", "type": "weather", "temp_c": 20})
    late = {"id": "a1", "type": "alarm", "alarm": "a1", "source": "fence", "kind": "intrusion"}
    answer = desk.submit("gus", {**late, "at": stamp(NOW - timedelta(minutes=5))})
    assert answer.status_code == 200 and answer.json()["outcome"]["at"] == NOW.isoformat()
    assert desk.services.desk.state.lockdown is not None
    again = desk.submit("gus", {**late, "at": stamp(NOW - timedelta(minutes=4))})
    assert again.status_code == 200 and again.json()["duplicate"] is True


@pytest.mark.parametrize("at", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00"])
def test_a_time_at_the_calendars_edge_is_a_422_not_a_500(desk: Api, at: str) -> None:
    body = refused(desk.submit("gus", {"id": "w1", "type": "weather", "temp_c": 20, "at": at}))
    assert body["field"] == "at" and "out of range: a time from the year 1800 to 2200" in body["detail"]


def test_an_event_without_a_time_is_dated_by_the_desk_and_a_later_resend_is_the_same_event(desk: Api) -> None:
    first = desk.submit("gus", {"id": "w1", "type": "weather", "temp_c": 20})
    assert first.status_code == 200 and first.json()["outcome"]["at"] == NOW.isoformat()
    desk.services.clock = lambda: NOW + timedelta(seconds=30)
    again = desk.submit("gus", {"id": "w1", "type": "weather", "temp_c": 20})
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert again.json()["seq"] == first.json()["seq"]
    other = desk.submit("gus", {"id": "w1", "type": "weather", "temp_c": 21})
    assert other.status_code == 409


# --- sizes ---------------------------------------------------------------------------------------


def test_an_arrival_of_five_hundred_thousand_people_is_refused_before_it_is_read(desk: Api) -> None:
    crowd = {"id": "a1", "type": "arrive", "people": [f"v{i}" for i in range(500_000)], "door": "outer"}
    body = refused(desk.submit("gus", crowd), 413)
    assert body["field"] == "body"
    assert "at most 64 KiB (65,536 bytes)" in body["detail"]
    assert desk.services.log.head()[0] == 0


def test_an_arrival_of_fifty_one_people_is_refused_naming_people_and_fifty_pass(desk: Api) -> None:
    crowd = [f"v{i}" for i in range(51)]
    body = refused(desk.submit("gus", {"id": "a1", "type": "arrive", "people": crowd, "door": "outer"}))
    assert body == {
        "detail": "event a1, field 'people': at most 50 people in one arrival",
        "field": "people",
        "where": "event a1",
    }
    assert desk.submit("gus", {"id": "a2", "type": "arrive", "people": crowd[:50], "door": "outer"}).status_code == 200


def test_a_long_note_within_the_body_is_refused_naming_note(desk: Api) -> None:
    body = refused(desk.submit("gus", {"id": "w1", "type": "weather", "temp_c": 20, "note": "x" * 4_001}))
    assert body["detail"] == "event w1, field 'note': at most 4000 characters"
    assert desk.submit("gus", {"id": "w2", "type": "weather", "temp_c": 20, "note": "x" * 4_000}).status_code == 200


# --- characters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("escaped", "shown"), [(b"\\ud800", "U+D800"), (b"\\u0000", "U+0000"), (b"\\udfff", "U+DFFF")])
def test_a_lone_surrogate_or_nul_in_an_id_is_a_422_naming_id(desk: Api, escaped: bytes, shown: str) -> None:
    body = b'{"id": "w' + escaped + b'", "type": "weather", "temp_c": 20}'
    answer = desk.client.post(
        "/v1/events", content=body, headers={**desk.headers("gus"), "content-type": "application/json"}
    )
    problem = refused(answer)
    assert problem["field"] == "id" and problem["where"] == f"event w{shown}"
    assert shown in problem["detail"]


def test_a_lone_surrogate_in_any_string_is_a_422_naming_its_field(desk: Api) -> None:
    body = b'{"id": "a1", "type": "arrive", "people": ["vic", "\\ud83d"], "door": "outer", "note": "ok"}'
    answer = desk.client.post(
        "/v1/events", content=body, headers={**desk.headers("gus"), "content-type": "application/json"}
    )
    assert refused(answer)["field"] == "people[1]"


# --- bodies --------------------------------------------------------------------------------------


def post_raw(api: Api, content: bytes, content_type: str = "application/json") -> httpx.Response:
    return api.client.post("/v1/events", content=content, headers={**api.headers("gus"), "content-type": content_type})


def test_an_empty_body_says_what_to_send(desk: Api) -> None:
    assert refused(post_raw(desk, b"")) == {
        "detail": "the body is empty: send one event as a JSON object",
        "where": "body",
    }


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        (b"{", "the body is not JSON: expecting property name enclosed in double quotes at line 1 column 2"),
        (b'{"id": "w1",\n "type": }', "the body is not JSON: expecting value at line 2 column 10"),
        (b"[1, 2]", "the body is a list: send one event as a JSON object"),
        (b'"weather"', "the body is a string: send one event as a JSON object"),
    ],
)
def test_a_body_that_is_not_one_json_object_is_said_so(desk: Api, content: bytes, detail: str) -> None:
    assert refused(post_raw(desk, content)) == {"detail": detail, "where": "body"}


def test_a_body_sent_as_text_is_said_to_need_json(desk: Api) -> None:
    answer = post_raw(desk, b'{"id": "w1", "type": "weather", "temp_c": 20}', "text/plain")
    assert refused(answer)["detail"] == (
        "the body is not JSON: send one event as a JSON object, with Content-Type: application/json"
    )


def test_a_body_nested_too_deeply_or_not_utf8_is_refused_with_the_reason(desk: Api) -> None:
    assert (
        refused(post_raw(desk, b"[" * 60_000), 400)["detail"]
        == "the body is not an event: its JSON is nested too deeply"
    )
    answer = post_raw(desk, b'{"id": "w1", "type": "weather", "temp_c": 20, "note": "\xff"}')
    assert refused(answer, 400)["detail"] == "the body is not UTF-8 text: byte 55 cannot be read (invalid start byte)"


def test_a_number_with_thousands_of_digits_is_refused_with_the_reason(desk: Api) -> None:
    answer = post_raw(desk, b'{"id": "w1", "type": "weather", "temp_c": ' + b"9" * 5000 + b"}")
    assert refused(answer, 400)["detail"] == (
        "the body is not an event: it holds a number with thousands of digits, which no field can take"
    )
    near = post_raw(desk, b'{"id": "w1", "type": "weather", "temp_c": ' + b"9" * 400 + b"}")
    assert refused(near)["field"] == "temp_c"  # a long number that can be read is judged by its field


def test_the_apis_schema_states_the_bounds(desk: Api) -> None:
    components = event_components(desk.services.site)
    people = components["Arrive"]["properties"]["people"]
    assert people["maxItems"] == limits.PEOPLE_PER_EVENT and people["items"]["maxLength"] == limits.ID_CHARS
    temp = components["Weather"]["properties"]["temp_c"]
    assert (temp["minimum"], temp["maximum"]) == (limits.TEMP_C_LOWEST, limits.TEMP_C_HIGHEST)
    assert components["Arrive"]["properties"]["note"]["anyOf"][0]["maxLength"] == limits.TEXT_CHARS


# --- a real server -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from serving_test_site(tmp_path_factory.mktemp("bounds"))


@pytest.fixture(scope="module")
def signed_in(server: Server) -> dict[str, str]:
    return server.login("gus", "gus-password")


def test_a_declared_length_past_the_bound_is_refused_before_a_byte_of_body_is_sent(
    server: Server, signed_in: dict[str, str]
) -> None:
    head = (
        "POST /v1/events HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{server.port}\r\n"
        f"Authorization: {signed_in['Authorization']}\r\n"
        "Content-Type: application/json\r\n"
        "Content-Length: 10000000\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        connection.sendall(head.encode())
        answer = b""
        while piece := connection.recv(65_536):  # the server answers and closes: no body was awaited
            answer += piece
    status, _, rest = answer.decode().partition("\r\n")
    assert status.startswith("HTTP/1.1 413 ")
    detail = json.loads(rest.partition("\r\n\r\n")[2])["detail"]
    assert detail == f"the request body is 10,000,000 bytes: {MAY_CARRY}"


def test_a_streamed_body_is_refused_once_past_the_bound(server: Server, signed_in: dict[str, str]) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"id": "n1", "type": "weather", "temp_c": 20, "note": "'
        for _ in range(200):
            yield b"x" * 1024
        yield b'"}'

    answer = httpx.post(
        f"{server.url}/v1/events",
        content=chunks(),
        headers={**signed_in, "content-type": "application/json"},
        timeout=30,
    )
    assert answer.status_code == 413
    assert answer.json()["detail"] == f"the request body is larger than that: {MAY_CARRY}"


def test_a_name_of_a_megabyte_is_refused_and_the_server_keeps_deciding(
    server: Server, signed_in: dict[str, str]
) -> None:
    big = {"id": "i1", "type": "identify", "person": "vic", "name": "x" * 1_000_000}
    assert httpx.post(f"{server.url}/v1/events", json=big, headers=signed_in, timeout=30).status_code == 413
    small = {"id": "i2", "type": "identify", "person": "vic", "name": "x" * 201}
    answer = httpx.post(f"{server.url}/v1/events", json=small, headers=signed_in, timeout=30)
    assert answer.status_code == 422 and answer.json()["detail"] == "event i2, field 'name': at most 200 characters"
    weather = {"id": "w1", "type": "weather", "temp_c": 20}
    assert httpx.post(f"{server.url}/v1/events", json=weather, headers=signed_in, timeout=30).status_code == 200


def test_a_lone_surrogate_reaches_the_real_server_as_a_422(server: Server, signed_in: dict[str, str]) -> None:
    answer = httpx.post(
        f"{server.url}/v1/events",
        content=b'{"id": "\\ud800", "type": "weather", "temp_c": 20}',
        headers={**signed_in, "content-type": "application/json"},
        timeout=30,
    )
    assert answer.status_code == 422 and answer.json()["field"] == "id"


def test_a_replayed_day_is_not_held_to_the_live_window(desk: Api) -> None:
    """Drills and imports read events without the window: 1940 is a day a drill replays."""
    raw = {"id": "w1", "type": "weather", "temp_c": 20, "at": "1940-08-20T09:00:00-06:00"}
    with pytest.raises(InvalidInput) as live:
        intake.read_event(raw, desk.services.desk.state, UTC, NOW)
    assert live.value.field == "at"
    replayed = intake.read_event(raw, desk.services.desk.state, UTC, NOW, window=None)
    assert replayed.event.at == datetime(1940, 8, 20, 15, 0, tzinfo=UTC) and not replayed.stamped
