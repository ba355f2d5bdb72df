"""``gatewatch serve`` with an MQTT driver, and the reference controller, as real processes.

A card at the board's reader is decided by the real desk, recorded, and the unlock reaches
the board. Then the server is killed with SIGKILL: its last will makes the board lock the
door it had released for ten minutes, and the exit button still releases it.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import yaml
from mqtt_support import Board, until

from api.server import GATEWATCH, Server, add_user
from gatewatch.store.log import Entry, EventLog, database_url

SITE = """
site: harbour-office
name: Harbour office
timezone: UTC
zones:
  - {id: quay, level: 0}
  - {id: hall, level: 1}
  - {id: office, level: 2}
doors:
  - {id: front, between: [quay, hall]}
  - {id: office-door, between: [hall, office]}
readers:
  - {id: front-out, door: front, side: outside}
  - {id: front-in, door: front, side: inside}
posts:
  - {id: hall-post, zone: hall, staff: 1, staff_at_night: 1}
people:
  - {id: mara, name: Mara Lead, role: guard, lead: true, in: hall}
  - {id: teo, name: Teo Clerk, role: staff}
policy:
  unlock_s: 600
"""

Boards = Callable[..., Board]


@pytest.fixture
def server(tmp_path: Path, prefix: str) -> Iterator[Server]:
    """The harbour office served, its front door worked over MQTT by ``quay-board``."""
    site = tmp_path / "harbour.yaml"
    site.write_text(SITE)
    board = {"id": "quay-board", "doors": ["front"], "readers": ["front-out", "front-in"]}
    mqtt = {"broker": "127.0.0.1", "prefix": prefix, "heartbeat_s": 2, "controllers": [board]}
    (tmp_path / "harbour.devices.yaml").write_text(yaml.safe_dump({"devices": {"mqtt": mqtt}}))
    data = tmp_path / "data"
    add_user(data, "mara", "lead", "mara", "mara-password")
    running = Server(site, data).start()
    yield running
    running.stop()


@pytest.mark.slow
def test_a_card_opens_the_door_through_the_desk_and_a_killed_server_leaves_it_locked(
    server: Server, boards: Boards
) -> None:
    lead = server.login("mara", "mara-password")
    issued = {"id": "issue-1", "type": "credential", "person": "teo", "credential": "c-teo", "kind": "card"}
    httpx.post(f"{server.url}/v1/events", json={**issued, "by": "mara"}, headers=lead, timeout=10).raise_for_status()
    board = boards("quay-board", ["front"], ["front-out", "front-in"], exit_release_s=1)
    board.wait_for("gatewatch online")

    board.send("read front-out c-nobody")
    board.wait_for("signal front-out red long")
    board.send("read front-out c-teo")
    unlocked = board.wait_for("lock front unlocked")  # for the site's unlock_s: ten minutes
    board.wait_for("signal front-out green short")

    server.kill()

    board.wait_for("gatewatch offline", after=unlocked)  # the server's last will, from the broker
    relocked = board.wait_for("lock front locked", after=unlocked)
    board.send("exit front")
    board.wait_for("lock front unlocked", after=relocked)

    badges = {entry.payload["credential"]: entry for entry in _recorded(server.data) if entry.type == "badge"}
    assert badges["c-teo"].outcome["decision"] == "grant"
    assert badges["c-teo"].payload["reader"] == "front-out"
    assert badges["c-teo"].submitted_by == "device:mqtt"
    assert badges["c-nobody"].outcome["decision"] == "deny"
    verified = subprocess.run([GATEWATCH, "log", "verify", "--data", str(server.data)], capture_output=True, text=True)
    assert verified.returncode == 0, verified.stdout + verified.stderr


@pytest.mark.slow
def test_the_board_going_silent_is_recorded(server: Server, boards: Boards) -> None:
    board = boards("quay-board", ["front"], ["front-out", "front-in"])
    board.wait_for("gatewatch online")

    board.kill()  # its last will

    def reported() -> list[str]:
        return [
            entry.payload["status"]
            for entry in _recorded(server.data)
            if entry.type == "device" and entry.payload["device"] == "quay-board"
        ]

    until(lambda: reported()[-1:] == ["offline"], "the board's going offline is recorded")


def _recorded(data: Path) -> list[Entry]:
    log = EventLog.open(database_url(data))
    try:
        return list(log.entries())
    finally:
        log.close()
