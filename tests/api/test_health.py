"""``/v1/health`` tells whether the store reads and writes and the desk keeps up, and nothing else."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

import pytest
from sqlalchemy import event

from api.conftest import Api
from gatewatch.api.health import desk_troubles, verdict
from gatewatch.service.desk import DeskCondition
from gatewatch.store.probe import StoreReport

DOOR = {"id": "h1", "type": "request", "door": "outer", "by": "g1", "for": ["cook"]}
READS_AND_WRITES = StoreReport(True, True, "the store reads and writes", 1.0)


def calm(**changed: Any) -> DeskCondition:
    base: dict[str, Any] = {"pending": 0, "oldest_pending_s": None, "store_error": None, "skipped": ()}
    return DeskCondition(**{**base, **changed})


def test_a_healthy_service_answers_200_ok_without_sign_in(api: Api) -> None:
    answer = api.client.get("/v1/health")
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"status", "store", "desk"}
    assert body["status"] == "ok"
    assert body["store"]["ok"] is True and body["store"]["detail"] == "the store reads and writes"
    assert 0 <= body["store"]["latency_ms"] < 2000
    assert body["desk"] == {
        "pending": 0,
        "oldest_pending_s": None,
        "store_error": None,
        "skipped": 0,
        "clock_ahead_s": None,
        "troubles": [],
    }


def test_health_tells_no_names_and_no_events(api: Api) -> None:
    assert api.submit("gus", DOOR).status_code == 200
    text = api.client.get("/v1/health").text
    for told in ("gus", "g1", "h1", "outer", "cook", "Carl", "request"):
        assert told not in text


def cap_pages(api: Api, extra: int) -> Any:
    """The record's file may grow by ``extra`` pages at most, on every connection: a full disk."""
    engine = api.services.log.engine
    with engine.connect() as connection:
        pages = int(connection.exec_driver_sql("PRAGMA page_count").scalar_one())

    def cap(connection: sqlite3.Connection, _record: object) -> None:
        connection.execute(f"PRAGMA max_page_count={pages + extra}")

    event.listen(engine, "connect", cap)
    engine.dispose()
    return cap


def wait_for_status(api: Api, status: str, within_s: float) -> dict[str, Any]:
    deadline = time.monotonic() + within_s
    while True:
        body: dict[str, Any] = api.client.get("/v1/health").json()
        if body["status"] == status or time.monotonic() > deadline:
            return body
        time.sleep(0.2)


def test_a_full_disk_is_told_degraded_503_until_it_has_room_again(api: Api) -> None:
    cap = cap_pages(api, 0)
    answer = api.client.get("/v1/health")
    assert answer.status_code == 503
    body = answer.json()
    assert body["status"] == "degraded"
    assert body["store"] == {
        "ok": False,
        "detail": "the store cannot write: database or disk is full",
        "latency_ms": body["store"]["latency_ms"],
    }
    answers = []
    for n in range(200):  # the pages the file has still take a few events; then the door is told no
        answers.append(api.submit("gus", {**DOOR, "id": f"h{n}"}))  # dated by the desk
        if answers[-1].status_code != 200:
            break
    assert answers[-1].status_code == 503  # decided, not on disk: the door stays shut
    waiting = f"h{len(answers) - 1}"
    desk = api.client.get("/v1/health").json()["desk"]
    assert desk["pending"] == 1 and desk["store_error"] == "the store cannot write: database or disk is full"
    assert desk["store_error"] in desk["troubles"]
    event.remove(api.services.log.engine, "connect", cap)
    api.services.log.engine.dispose()
    healed = wait_for_status(api, "ok", within_s=10)
    assert healed["status"] == "ok" and healed["desk"]["pending"] == 0
    assert api.get("gus", f"/v1/events/{waiting}").status_code == 200  # what waited was kept
    assert all(api.get("gus", f"/v1/events/h{n}").status_code == 200 for n in range(len(answers)))


def test_room_for_one_more_page_is_healthy(api: Api) -> None:
    cap_pages(api, 1)
    assert api.client.get("/v1/health").status_code == 200


@pytest.mark.parametrize(
    ("condition", "trouble"),
    [
        (calm(store_error="the store cannot write: disk I/O error"), "the store cannot write: disk I/O error"),
        (calm(pending=3, oldest_pending_s=2.5), "3 events have waited up to 2.5 s for the record"),
        (calm(skipped=("entry 4 (x, open): bad",)), "1 recorded entries could not be replayed at start"),
    ],
)
def test_each_desk_trouble_makes_the_service_degraded(condition: DeskCondition, trouble: str) -> None:
    troubles = desk_troubles(condition, late_s=2.0)
    assert troubles == [trouble]
    assert verdict(READS_AND_WRITES, troubles) == "degraded"


def test_events_waiting_within_the_desks_deadline_are_no_trouble() -> None:
    assert desk_troubles(calm(pending=5, oldest_pending_s=1.9), late_s=2.0) == []
    assert verdict(READS_AND_WRITES, []) == "ok"


def test_a_store_that_cannot_be_read_is_down_and_one_that_cannot_write_is_degraded() -> None:
    assert verdict(StoreReport(False, False, "the store did not answer within 2 s", None), []) == "down"
    assert verdict(StoreReport(True, False, "the store cannot write: database or disk is full", 3.0), []) == "degraded"
