"""Drills uploaded on the console: refused within bounds with the file and the limit named, played
in a worker process, and the desk answering doors all the while (a real server)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.conftest import Api, password, serving
from api.server import Server, serving_test_site
from files.drill_texts import DRILL, laughs, many_events


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    with serving(tmp_path) as served:
        served.client.headers["origin"] = str(served.client.base_url).rstrip("/")  # a form of the desk's own
        yield served


def signed_in(api: Api) -> TestClient:
    client = api.client
    client.cookies.clear()
    answer = client.post("/login", data={"name": "gus", "password": password("gus")}, follow_redirects=False)
    assert answer.status_code == 303
    return client


def upload(client: TestClient | httpx.Client, name: str, content: bytes) -> str:
    answer = client.post("/drills", files={"drill": (name, content, "text/yaml")})
    assert answer.status_code == 200
    return answer.text


def test_a_legit_drill_is_played_with_its_timeline_and_checks(api: Api) -> None:
    page = upload(signed_in(api), "forced.yaml", DRILL.encode())
    assert "forced: ✔ passed" in page and "(forced.yaml)" in page
    assert "<td>2024-06-03 09:00</td><td>f1 open</td><td>door side · by g1</td>" in page
    assert "critical · DOOR_FORCED: The side door was opened by Gus Guard with no grant" in page
    assert "<li>✔ DOOR_FORCED (critical) at f1</li>" in page
    assert api.services.log.head()[0] == 0  # played apart from the record


def test_the_alias_bomb_is_refused_naming_the_file_and_the_limit(api: Api) -> None:
    page = upload(signed_in(api), "bomb.yaml", laughs(8).encode())
    assert "bomb.yaml: line 9, column 5: aliases expand to more than 1,048,576 values" in page
    assert "passed" not in page


def test_a_file_over_2_mib_is_refused_unread(api: Api) -> None:
    client = signed_in(api)
    padded = DRILL.encode() + b"#" * (2 * 1024 * 1024 - len(DRILL.encode()))
    assert "forced: ✔ passed" in upload(client, "padded.yaml", padded)
    page = upload(client, "padded.yaml", padded + b"#")
    assert "padded.yaml: file size over the limit of 2,097,152 bytes" in page and "passed" not in page


def test_invalid_utf8_names_the_file_and_the_byte_offset(api: Api) -> None:
    page = upload(signed_in(api), "latin.yaml", b"drill: x\n# caf\xe9\n")
    assert "latin.yaml: not UTF-8 text: byte 0xe9 at byte offset 14 (line 2)" in page


def test_text_that_is_not_yaml_says_where(api: Api) -> None:
    page = upload(signed_in(api), "bad.yaml", b"drill: [unclosed")
    assert "bad.yaml: not valid YAML at line 2, column 1 (did not find expected &#39;,&#39; or &#39;]&#39;)" in page


def test_more_events_than_the_bound_are_refused(api: Api) -> None:
    content = b"drill: x\nstart: 2024-06-03T09:00\nevents: [" + b"1," * 20_001 + b"]\n"
    page = upload(signed_in(api), "many.yaml", content)
    assert "many.yaml: field &#39;events&#39;: 20,001 events, over the limit of 20,000" in page


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Server]:
    yield from serving_test_site(tmp_path)


def test_the_desk_answers_doors_while_a_long_drill_is_played(live: Server) -> None:
    console = httpx.Client(base_url=live.url, timeout=120, headers={"origin": live.url})
    assert console.post("/login", data={"name": "gus", "password": "gus-password"}).status_code == 303
    assert "bomb.yaml: line 9, column 5: aliases expand to more than" in upload(
        console, "bomb.yaml", laughs(9).encode()
    )

    played: list[str] = []
    drill = threading.Thread(target=lambda: played.append(upload(console, "long.yaml", many_events(6_000).encode())))
    token = live.login("gus", "gus-password")
    answered_while_playing = 0
    door = 0
    drill.start()
    while drill.is_alive():
        health = httpx.get(f"{live.url}/v1/health", timeout=30)
        door += 1
        request = {"id": f"r{door}", "type": "request", "door": "outer", "by": "g1", "for": ["vic"]}
        decided = httpx.post(f"{live.url}/v1/events", json=request, headers=token, timeout=30)
        assert health.status_code == 200 and decided.status_code == 200, decided.text
        assert decided.json()["outcome"]["decision"] == "deny"
        answered_while_playing += drill.is_alive()
    drill.join()
    assert answered_while_playing >= 3  # a desk held by the drill would answer once, after it
    assert "many: ✔ passed" in played[0] and "s5999 close" in played[0]
    assert httpx.get(f"{live.url}/v1/state", headers=token, timeout=30).status_code == 200
