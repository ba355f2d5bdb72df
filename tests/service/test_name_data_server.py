"""The server with its name-data process: while rigour's tagger builds in the child, the server
answers its health check and its doors; an identity given meanwhile waits for the name data
outside the desk's lock, and is decided with it; a killed child is replaced; none outlives the server."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from gatewatch.core import name_symbols
from gatewatch.service.name_data import NameData
from web.doors_site import Console, console

IDENTITIES = (("id-1", "Robert Smith"), ("id-2", "Bob Smith"), ("id-3", "Jacques Mornard"))
"""Robert and Bob are one name only in rigour's nickname data; Jacques Mornard is someone else."""


def gone(pid: int) -> bool:
    try:
        return "\nState:\tZ" in Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True


def identify(desk: Console, said: list[tuple[str, str]], names: NameData, answers: dict[str, Any]) -> None:
    """Give vic's names one after the other, noting each answer and the name data's state then."""
    for event_id, name in IDENTITIES:
        event = {"id": event_id, "type": "identify", "person": "vic", "name": name, "by": "g1"}
        answers[event_id] = desk.submit("gus", event)
        said.append((event_id, names.state))


def conflicts(outcome: dict[str, Any]) -> list[str]:
    return [a["code"] for a in outcome.get("alerts", []) if a["code"] == "IDENTITY_CONFLICT"]


@pytest.fixture
def nothing_known(monkeypatch: pytest.MonkeyPatch) -> None:
    """No part's symbols in this process's memory: earlier tests have looked up Robert and Smith."""
    monkeypatch.setattr(name_symbols, "_known", {})


@pytest.mark.slow
def test_doors_and_health_answer_while_the_name_data_builds(tmp_path: Path, nothing_known: None) -> None:
    with console(tmp_path, names_apart=True) as desk:
        names: NameData = desk.client.app.state.name_data  # type: ignore[attr-defined]
        assert name_symbols.installed() == names.lookup
        assert names.state == "starting"
        child = names.pid
        assert child is not None
        desk.submit(
            "lena",
            {
                "id": "issue-C-1",
                "type": "credential",
                "person": "cook",
                "credential": "C-1",
                "kind": "card",
                "by": "lead",
            },
        )
        said: list[tuple[str, str]] = []
        answers: dict[str, Any] = {}
        giving = threading.Thread(target=identify, args=(desk, said, names, answers))
        giving.start()
        for _ in range(10_000):  # a bound, not a timing: until an identity waits for the name data
            if names.waiting or not giving.is_alive():
                break
            time.sleep(0.001)
        assert names.waiting == 1
        health = desk.client.get("/v1/health")
        said.append(("health", names.state))
        badge = desk.driver.present("outer-out", "C-1") if desk.driver else None
        said.append(("door", names.state))
        giving.join(120)
        assert health.status_code == 200
        assert badge is not None and badge.recorded
        assert said[:2] == [("health", "starting"), ("door", "starting")]
        assert said[2:] == [(event_id, "ready") for event_id, _ in IDENTITIES]
        assert [conflicts(answers[event_id]["outcome"]) for event_id, _ in IDENTITIES] == [
            [],
            [],
            ["IDENTITY_CONFLICT"],
        ]
        recorded = desk.services.log.find("id-2")
        assert recorded is not None and not conflicts(recorded.outcome)
    assert gone(child)
    assert name_symbols.installed() == name_symbols.looked_up_here


@pytest.mark.slow
def test_a_killed_name_data_process_is_started_again_by_the_server(tmp_path: Path) -> None:
    with console(tmp_path, simulated=False, names_apart=True) as desk:
        names: NameData = desk.client.app.state.name_data  # type: ignore[attr-defined]
        assert names.wait_ready(120)
        first = names.pid
        assert first is not None
        os.kill(first, signal.SIGKILL)
        answer = desk.submit("gus", {"id": "id-9", "type": "identify", "person": "vic", "name": "Zebulon Quist"})
        assert not conflicts(answer["outcome"])
        assert names.state == "ready" and names.pid not in (None, first) and names.restarts == 1
        second = names.pid
    assert second is not None and gone(second)
