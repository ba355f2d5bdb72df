"""A page of another origin may not make a signed-in browser change anything (CSRF).

Against a real ``gatewatch serve``: a lead's console cookie, an all-clear posted from another
port of the same host (same site, so ``SameSite=strict`` lets the cookie through) is refused,
and the desk's own forms still work. The check itself is also tested case by case.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing

import httpx
import pytest
from starlette.datastructures import Headers

from api.server import Server, add_user, serving_test_site
from gatewatch.api.origin import Place, own_place, place_of, refusal

FORCED = {"id": "f1", "type": "open", "door": "side", "by": "g1"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    directory = tmp_path_factory.mktemp("csrf")
    add_user(directory / "data", "lena", "lead", "lead", "lena-password")
    yield from serving_test_site(directory)


def console(server: Server, name: str, password: str) -> httpx.Client:
    """A browser-like client signed in through the console's form, as the desk's own page."""
    client = httpx.Client(base_url=server.url, timeout=10)
    answer = client.post(
        "/login", data={"name": name, "password": password}, headers={"Origin": server.url}, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    return client


def lockdown(server: Server) -> object:
    headers = server.login("gus", "gus-password")
    return httpx.get(f"{server.url}/v1/state", headers=headers, timeout=10).json()["lockdown"]


def another_port(server: Server) -> str:
    return f"http://127.0.0.1:{server.port + 1 if server.port < 65535 else server.port - 1}"


def test_an_all_clear_posted_from_another_port_is_refused(server: Server) -> None:
    guard = server.login("gus", "gus-password")
    assert httpx.post(f"{server.url}/v1/events", json=FORCED, headers=guard, timeout=10).status_code == 200
    assert lockdown(server) is not None
    with closing(console(server, "lena", "lena-password")) as lead:
        forged = lead.post("/board/all-clear", data={"id": "ac1"}, headers={"Origin": another_port(server)})
        assert forged.status_code == 403
        assert forged.json()["field"] == "Origin"
        assert "is not this desk" in forged.json()["detail"]
        unsaid = lead.post("/board/all-clear", data={"id": "ac2"})
        assert unsaid.status_code == 403 and "no Origin or Referer" in unsaid.json()["detail"]
        assert lockdown(server) is not None
        own = lead.post("/board/all-clear", data={"id": "ac3"}, headers={"Origin": server.url})
        assert own.status_code == 303 and own.headers["location"] == "/board"
    assert lockdown(server) is None


def test_the_desks_own_page_named_by_referer_is_let_through(server: Server) -> None:
    with closing(console(server, "gus", "gus-password")) as guard:
        answer = guard.post("/logout", headers={"Referer": f"{server.url}/board"}, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/login"


def test_signing_a_browser_in_from_another_site_is_refused(server: Server) -> None:
    form = {"name": "gus", "password": "gus-password"}
    for headers in ({"Origin": another_port(server)}, {}):
        answer = httpx.post(f"{server.url}/login", data=form, headers=headers, timeout=10)
        assert answer.status_code == 403 and "gatewatch_session" not in answer.cookies
    api = {"name": "gus", "password": "gus-password"}
    forged = httpx.post(f"{server.url}/v1/login", json=api, headers={"Origin": another_port(server)}, timeout=10)
    assert forged.status_code == 403
    assert httpx.post(f"{server.url}/v1/login", json=api, timeout=10).status_code == 200  # a script, curl


def test_a_bearer_token_is_not_a_cookie_and_is_not_checked(server: Server) -> None:
    headers = {**server.login("gus", "gus-password"), "Origin": "http://elsewhere.example"}
    event = {"id": "w1", "type": "weather", "temp_c": 21}
    assert httpx.post(f"{server.url}/v1/events", json=event, headers=headers, timeout=10).status_code == 200


def check(method: str = "POST", path: str = "/board/all-clear", scheme: str = "http", **headers: str) -> str | None:
    raw = {"host": "desk.local:8000", "cookie": "gatewatch_session=abc"} | {
        k.replace("_", "-"): v for k, v in headers.items()
    }
    return refusal(method, path, scheme, Headers({k: v for k, v in raw.items() if v}))


def test_a_cookie_signed_change_must_come_from_this_origin() -> None:
    assert check(origin="http://desk.local:8000") is None
    assert check(origin="HTTP://DESK.local:8000") is None
    assert check(origin="http://desk.local:8001") is not None
    assert check(origin="https://desk.local:8000") is not None
    assert check(origin="http://desk.local") is not None
    assert check(origin="null") is not None
    assert check() is not None


def test_referer_stands_in_for_a_missing_origin() -> None:
    assert check(referer="http://desk.local:8000/board?x=1") is None
    assert check(referer="http://evil.local:8000/board") is not None
    assert check(origin="http://evil.local:8000", referer="http://desk.local:8000/") is not None


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "post"])
def test_every_unsafe_method_is_checked(method: str) -> None:
    assert check(method, origin="http://evil.local") is not None


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])
def test_reading_is_not_checked(method: str) -> None:
    assert check(method, origin="http://evil.local") is None


def test_who_must_say_where_they_come_from() -> None:
    assert check(cookie="", origin="") is None  # not signed in: the route answers 401
    assert check(cookie="other=1", origin="") is None
    assert check(path="/v1/events", authorization="Bearer t0k3n", origin="http://evil.local") is None
    # the console's pages sign in by the cookie alone: a Bearer header does not excuse them
    assert check(path="/board/weather", authorization="Bearer junk", origin="") is not None
    assert check(authorization="Basic Z3VzOng=", origin="http://evil.local") is not None
    assert check(path="/v1/events", authorization="Bearer ", origin="http://evil.local") is not None
    assert check(path="/login", cookie="") is not None
    assert check(path="/login", cookie="", origin="http://desk.local:8000") is None
    assert check(path="/v1/login", cookie="") is None
    assert check(path="/v1/login", cookie="", origin="http://evil.local") is not None


def test_default_ports_and_odd_origins() -> None:
    assert place_of("https://Desk.Local") == Place("https", "desk.local", 443)
    assert place_of("http://[::1]:8000") == Place("http", "::1", 8000)
    assert place_of("ftp://desk.local") is None
    assert place_of("http://desk.local:99999") is None
    assert place_of("null") is None
    assert own_place("https", "desk.local") == Place("https", "desk.local", 443)
    assert own_place("http", "") is None
    assert check(scheme="https", host="desk.local", origin="https://desk.local:443") is None


def test_the_message_names_the_header_and_the_desk() -> None:
    message = check(referer="http://evil.local/x")
    assert message is not None and 'Referer "http://evil.local/x"' in message
    assert "http://desk.local:8000" in message
