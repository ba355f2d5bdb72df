"""The live stream: a screen listening on ``/v1/stream`` gets each outcome as it is decided,
and one that reconnects with ``Last-Event-ID`` first gets what it missed."""

from __future__ import annotations

import contextlib
import json
import queue
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.server import Server, serving_test_site

FORCED = {"id": "f1", "type": "open", "door": "side", "by": "g1"}
WEATHER = {"id": "w1", "type": "weather", "temp_c": 31}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    yield from serving_test_site(tmp_path)


def listen(server: Server, headers: dict[str, str], into: queue.Queue[tuple[str, dict[str, object]]]) -> None:
    with contextlib.suppress(httpx.TransportError):  # the server stops at the end of the test
        _read(server, headers, into)


def _read(server: Server, headers: dict[str, str], into: queue.Queue[tuple[str, dict[str, object]]]) -> None:
    with httpx.stream("GET", f"{server.url}/v1/stream", headers=headers, timeout=30) as response:
        seq = ""
        for line in response.iter_lines():
            if line.startswith(": connected"):
                into.put(("connected", {}))
            elif line.startswith("id: "):
                seq = line[4:]
            elif line.startswith("data: "):
                into.put((seq, json.loads(line[6:])))


@pytest.mark.slow
def test_a_listening_screen_sees_each_outcome(server: Server) -> None:
    headers = server.login("gus", "gus-password")
    heard: queue.Queue[tuple[str, dict[str, object]]] = queue.Queue()
    threading.Thread(target=listen, args=(server, headers, heard), daemon=True).start()
    assert heard.get(timeout=10)[0] == "connected"
    httpx.post(f"{server.url}/v1/events", json=FORCED, headers=headers).raise_for_status()
    seq, outcome = heard.get(timeout=10)
    assert seq == "1" and outcome["event"] == "f1"
    assert [a["code"] for a in outcome["alerts"]] == ["DOOR_FORCED"]  # type: ignore[attr-defined]


@pytest.mark.slow
def test_a_screen_that_reconnects_gets_what_it_missed(server: Server) -> None:
    headers = server.login("gus", "gus-password")
    for event in (FORCED, WEATHER):
        httpx.post(f"{server.url}/v1/events", json=event, headers=headers).raise_for_status()
    heard: queue.Queue[tuple[str, dict[str, object]]] = queue.Queue()
    threading.Thread(target=listen, args=(server, {**headers, "Last-Event-ID": "1"}, heard), daemon=True).start()
    assert heard.get(timeout=10)[0] == "connected"
    seq, outcome = heard.get(timeout=10)
    assert seq == "2" and outcome["event"] == "w1"
