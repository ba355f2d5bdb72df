"""A real server, killed with SIGKILL while a client sends it 10,000 events.

Every event the server acknowledged before dying is in the record after restart, in the order
acknowledged, and the chain verifies. The client then resends from the first event it had no
answer for (one may have been recorded without its answer arriving: resending it is safe).
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.server import GATEWATCH, Server, serving_test_site
from gatewatch.store.log import EventLog, database_url

TOTAL = 10_000
KILL_AFTER = 4_000


def events() -> list[dict[str, Any]]:
    """Events the desk dates itself (a resend of one is the same event, whenever it is sent)."""
    made = []
    for n in range(TOTAL):
        if n % 2:
            made.append({"id": f"w{n}", "type": "weather", "temp_c": 20 + n % 7})
        else:
            made.append({"id": f"c{n}", "type": "checkin", "post": "gate", "by": "g1"})
    return made


def send(server: Server, headers: dict[str, str], batch: list[dict[str, Any]], acked: list[str]) -> None:
    """Send one at a time; stop at the first failure (the server died)."""
    with httpx.Client(base_url=server.url, headers=headers, timeout=10) as client:
        for event in batch:
            try:
                answer = client.post("/v1/events", json=event)
            except httpx.TransportError:
                return
            if answer.status_code != 200:
                raise AssertionError(f"{event['id']}: {answer.status_code} {answer.text}")
            acked.append(event["id"])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    yield from serving_test_site(tmp_path)


@pytest.mark.slow
def test_every_acknowledged_event_survives_a_sigkill(server: Server) -> None:
    batch = events()
    acked: list[str] = []
    client = threading.Thread(target=send, args=(server, server.login("gus", "gus-password"), batch, acked))
    client.start()
    while len(acked) < KILL_AFTER and client.is_alive():
        client.join(0.01)
    server.kill()
    client.join()
    assert KILL_AFTER <= len(acked) < TOTAL

    survived = _recorded(server.data)
    assert survived[: len(acked)] == acked, "an acknowledged event is missing or out of place"
    assert len(survived) - len(acked) <= 1, "at most the event in flight can be recorded unacknowledged"

    server.start()
    rest: list[str] = []
    send(server, server.login("gus", "gus-password"), batch[len(acked) :], rest)
    assert len(acked) + len(rest) == TOTAL
    assert _recorded(server.data) == [e["id"] for e in batch]
    server.stop()
    verified = subprocess.run([GATEWATCH, "log", "verify", "--data", str(server.data)], capture_output=True, text=True)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert f"OK {TOTAL} entries" in verified.stdout


def _recorded(data: Path) -> list[str]:
    log = EventLog.open(database_url(data))
    try:
        return [entry.event_id for entry in log.entries()]
    finally:
        log.close()
