"""DURESS through the API: a guard's (or an analyst's) session never learns of it, in alerts,
acknowledgements, recorded events, a person's file, or the live stream; a lead's does.

A holder keys the duress PIN at a reader; the reader answers as for the right PIN. The desk and
the leads are told; whoever is beside the holder must see nothing change."""

from __future__ import annotations

import contextlib
import json
import queue
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from web.doors_site import Console, DoorServer, console, serving_doors

pytestmark = pytest.mark.slow  # each builds a record and signs users in with argon2 (seconds)

CARD = {"id": "issue-d", "type": "credential", "person": "cook", "credential": "C-d", "kind": "card+pin"}
SECRETS = {"pin": "1234", "duress_pin": "4321", "by": "lead"}
DURESS_BADGE = {"id": "badge-d", "type": "badge", "reader": "outer-out", "credential": "C-d", "pin": "4321"}


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Console]:
    with console(tmp_path, simulated=False) as served:
        served.submit("lena", {**CARD, **SECRETS})
        yield served


def headers(desk: Console, name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {desk.token(name)}"}


def codes(outcome: dict[str, Any]) -> list[str]:
    return [alert["code"] for alert in outcome["alerts"]]


def test_the_badge_is_a_plain_grant_to_a_guard_and_duress_to_a_lead(desk: Console) -> None:
    answer = desk.submit("lena", DURESS_BADGE)
    assert answer["outcome"]["decision"] == "grant" and "DURESS" in codes(answer["outcome"])
    client = desk.client
    for name in ("gus", "ada"):
        shown = client.get("/v1/events/badge-d", headers=headers(desk, name)).json()
        assert shown["outcome"]["decision"] == "grant" and "DURESS" not in codes(shown["outcome"]), name
        assert shown["payload"]["pin_given"] == "right", name
    lead = client.get("/v1/events/badge-d", headers=headers(desk, "lena")).json()
    assert "DURESS" in codes(lead["outcome"]) and lead["payload"]["pin_given"] == "duress"


def test_a_guard_finds_no_duress_alert_and_cannot_acknowledge_one(desk: Console) -> None:
    desk.submit("lena", DURESS_BADGE)
    client = desk.client
    guard, lead = headers(desk, "gus"), headers(desk, "lena")
    assert client.get("/v1/alerts", params={"code": "DURESS"}, headers=guard).json() == []
    assert all(a["code"] != "DURESS" for a in client.get("/v1/alerts", headers=guard).json())
    assert client.get("/v1/alerts", params={"severity": "critical"}, headers=guard).json() == []
    (alert,) = client.get("/v1/alerts", params={"code": "DURESS"}, headers=lead).json()
    refused = client.post(f"/v1/alerts/{alert['id']}/ack", json={"comment": "seen"}, headers=guard)
    assert refused.status_code == 404
    done = client.post(f"/v1/alerts/{alert['id']}/ack", json={"comment": "help sent quietly"}, headers=lead)
    assert done.status_code == 200 and done.json()["acknowledged"]["by"] == "lena"


def test_a_persons_file_names_the_duress_alert_to_a_lead_only(desk: Console) -> None:
    desk.submit("lena", DURESS_BADGE)
    client = desk.client
    guard = client.get("/v1/people/cook", headers=headers(desk, "gus")).json()
    lead = client.get("/v1/people/cook", headers=headers(desk, "lena")).json()
    assert [a["code"] for a in guard["alerts"]] == []
    assert [a["code"] for a in lead["alerts"]] == ["DURESS"]


def listen(
    url: str, auth: dict[str, str], into: queue.Queue[tuple[str, dict[str, Any]]], stop: threading.Event
) -> None:
    with (
        contextlib.suppress(httpx.TransportError),
        httpx.stream("GET", f"{url}/v1/stream", headers=auth, timeout=30) as response,
    ):
        seq = ""
        for line in response.iter_lines():
            if line.startswith(": connected"):
                into.put(("connected", {}))
            elif line.startswith("id: "):
                seq = line[4:]
            elif line.startswith("data: "):
                into.put((seq, json.loads(line[6:])))
            if stop.is_set():
                return


def heard_badge(into: queue.Queue[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    while True:
        _, outcome = into.get(timeout=15)
        if outcome.get("type") == "badge":
            return outcome


@pytest.fixture
def server(tmp_path: Path) -> Iterator[DoorServer]:
    with serving_doors(tmp_path) as served:
        served.submit("lena", {**CARD, **SECRETS})
        yield served


def test_the_live_stream_tells_a_lead_of_duress_and_a_guard_of_a_grant(server: DoorServer) -> None:
    stop = threading.Event()
    streams: dict[str, queue.Queue[tuple[str, dict[str, Any]]]] = {}
    for name in ("gus", "lena", "ada"):
        streams[name] = queue.Queue()
        threading.Thread(
            target=listen, args=(server.url, server.headers(name), streams[name], stop), daemon=True
        ).start()
        assert streams[name].get(timeout=10)[0] == "connected"
    assert server.driver.present("outer-out", "C-d", "4321").granted
    try:
        for name in ("gus", "ada"):
            outcome = heard_badge(streams[name])
            assert outcome["decision"] == "grant" and outcome["alerts"] == [], name
        assert "DURESS" in codes(heard_badge(streams["lena"]))
        resumed: queue.Queue[tuple[str, dict[str, Any]]] = queue.Queue()
        auth = {**server.headers("gus"), "Last-Event-ID": "0"}
        threading.Thread(target=listen, args=(server.url, auth, resumed, stop), daemon=True).start()
        assert resumed.get(timeout=10)[0] == "connected"
        assert heard_badge(resumed)["alerts"] == []  # nor in what a reconnecting screen catches up on
    finally:
        stop.set()
        server.submit("lena", {"id": "wake", "type": "weather", "temp_c": 20})  # each stream reads one more line
