"""The desk under pressure: many clients at once, a store that cannot write, a record it cannot read.

Real SQLite files throughout; a full disk is made real with SQLite's ``max_page_count``, which
makes the next write that needs a new page fail exactly as a full disk does (SQLITE_FULL).
"""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import msgspec
import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import text, update

from gatewatch.core import snapshot
from gatewatch.core.events import Event
from gatewatch.service.desk import Decided, Desk, NotRecorded
from gatewatch.store.log import EventLog, IdConflict
from gatewatch.store.schema import log as log_table
from support import events, site, start_state

RECEIVED = datetime(2024, 6, 3, 12, 0, tzinfo=UTC)


@pytest.fixture
def database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'gatewatch.db'}"


@pytest.fixture
def desk(database: str) -> Iterator[Desk]:
    opened = Desk(site(), EventLog.open(database), start_state(), deadline_s=1.0)
    yield opened
    opened.close()


def checkin(number: int, at: datetime = RECEIVED) -> Event:
    return events(f'- {{id: c{number}, at: "{at.isoformat()}", type: checkin, post: gate, by: g1}}\n')[0]


def test_eight_clients_at_once_are_each_decided_recorded_once_and_chained(desk: Desk) -> None:
    """Events the desk dates itself never refuse each other for being out of order."""
    received = [RECEIVED + timedelta(milliseconds=n) for n in range(400)]
    with ThreadPoolExecutor(8) as clients:
        answers = list(
            clients.map(lambda n: desk.submit(checkin(n), "g1", received[n], stamped=True), range(len(received)))
        )
    assert sorted(a.seq for a in answers) == list(range(1, 401))
    assert not any(a.duplicate for a in answers)
    verdict = desk.log.verify()
    assert verdict.ok and verdict.count == 400
    times = [e.at for e in desk.log.entries()]
    assert times == sorted(times)  # the record's time only moves forward


def test_a_resend_of_an_event_the_desk_dated_is_the_same_event(desk: Desk) -> None:
    first = desk.submit(checkin(1), "g1", RECEIVED, stamped=True)
    again = desk.submit(checkin(1), "g1", RECEIVED + timedelta(minutes=3), stamped=True)
    assert again.duplicate and again.seq == first.seq and again.outcome == first.outcome
    other = events('- {id: c1, at: "2024-06-03T12:05", type: checkin, post: tower, by: g1}\n')[0]
    with pytest.raises(IdConflict):
        desk.submit(other, "g1", RECEIVED + timedelta(minutes=5), stamped=True)


def test_an_event_the_desk_dates_is_never_dated_before_the_last_one(desk: Desk) -> None:
    desk.submit(checkin(1, RECEIVED + timedelta(hours=1)), "g1", RECEIVED)
    late = desk.submit(checkin(2), "g1", RECEIVED, stamped=True)
    assert late.outcome["at"] == (RECEIVED + timedelta(hours=1)).isoformat()


class SmallDisk:
    """A real file system of a few megabytes (tmpfs) that a test can fill to the last byte and free again."""

    def __init__(self, where: Path) -> None:
        self.where = where
        self.filler = where / "filler"

    def fill(self) -> None:
        try:
            with self.filler.open("ab") as out:
                while True:
                    out.write(b"\0" * 65536)
                    out.flush()
        except OSError as error:
            assert error.errno == errno.ENOSPC

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[SmallDisk]:
    where = tmp_path / "disk"
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(where)], capture_output=True)
    if mounted.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"could not mount a small file system: {mounted.stderr.decode().strip()}")
        pytest.skip("mounting a small file system needs root: a full disk is tested as root (CI)")
    try:
        yield SmallDisk(where)
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


INTRUSION = '- {id: a1, at: "2024-06-03T12:00", type: alarm, alarm: a1, source: fence, kind: intrusion}\n'


def test_a_full_disk_answers_within_the_deadline_and_the_alarm_reaches_the_screen(small_disk: SmallDisk) -> None:
    desk = Desk(site(), EventLog.open(f"sqlite:///{small_disk.where / 'gatewatch.db'}"), start_state(), deadline_s=1.0)
    heard: list[Decided] = []
    desk.unrecorded.append(heard.append)
    desk.submit(checkin(1), "g1", RECEIVED)
    small_disk.fill()
    alarm = events(INTRUSION)[0]
    with pytest.raises(NotRecorded, match="cannot write"):
        desk.submit(alarm, "g1", RECEIVED)
    assert heard and not heard[0].recorded
    assert any(a["code"] == "ALARM" for a in heard[0].outcome["alerts"])
    assert desk.state.lockdown is not None  # the site is locked down though the disk is full
    assert desk.condition().pending == 1 and "full" in (desk.condition().store_error or "")
    assert desk.log.head()[0] == 1  # nothing acknowledged that is not on disk

    small_disk.free()  # space again: the alarm is written, in order
    assert desk.flush(timeout=5)
    again = desk.submit(alarm, "g1", RECEIVED)
    assert again.duplicate and again.seq == 2 and desk.log.verify().ok
    assert desk.condition().store_error is None
    desk.close()


def test_a_long_queue_refuses_new_events_undecided(small_disk: SmallDisk) -> None:
    store = EventLog.open(f"sqlite:///{small_disk.where / 'gatewatch.db'}")
    desk = Desk(site(), store, start_state(), deadline_s=0.2, max_pending=3)
    desk.submit(checkin(0), "g1", RECEIVED)
    small_disk.fill()
    for number in range(1, 4):
        with pytest.raises(NotRecorded, match="not yet recorded"):
            desk.submit(checkin(number), "g1", RECEIVED)
    before = desk.state
    with pytest.raises(NotRecorded, match="not decided"):
        desk.submit(checkin(9), "g1", RECEIVED)
    assert desk.state is before
    small_disk.free()
    assert desk.flush(timeout=5) and desk.log.verify().count == 4
    desk.close()


def test_start_up_sets_aside_an_entry_it_cannot_replay_and_serves_the_rest(database: str) -> None:
    first = Desk(site(), EventLog.open(database), start_state())
    for number in range(3):
        first.submit(checkin(number), "g1", RECEIVED)
    first.close()
    broken = msgspec.json.encode({"type": "weather", "id": "c1", "at": RECEIVED.isoformat(), "temp_c": None})
    with first.log.engine.begin() as connection:  # a value the engine cannot take, as an old version kept it
        connection.execute(update(log_table).where(log_table.c.seq == 2).values(payload=broken.decode()))
        connection.execute(text("DELETE FROM snapshots"))
    reopened = Desk.open(site(), EventLog.open(database))
    assert len(reopened.condition().skipped) == 1 and "entry 2 (c1" in reopened.condition().skipped[0]
    assert reopened.submit(checkin(7), "g1", RECEIVED).seq == 4
    reopened.close()


def test_a_clean_stop_keeps_the_state_so_that_a_restart_replays_nothing(database: str) -> None:
    desk = Desk(site(), EventLog.open(database), start_state())
    for number in range(5):
        desk.submit(checkin(number), "g1", RECEIVED)
    desk.close()
    kept = desk.log.latest_snapshot(snapshot.site_digest(desk.site))
    assert kept is not None and kept.seq == 5
    reopened = Desk.open(site(), EventLog.open(database))
    assert reopened.state == desk.state
    reopened.close()


def test_writers_share_commits_under_load(desk: Desk) -> None:
    """Group commit: fewer transactions than events when many wait at once."""
    count = {"n": 0}

    def counted(*_: Any) -> None:
        count["n"] += 1

    sa_event.listen(desk.log.engine, "commit", counted)
    with ThreadPoolExecutor(16) as clients:
        list(clients.map(lambda n: desk.submit(checkin(n), "g1", RECEIVED, stamped=True), range(320)))
    assert desk.log.verify().count == 320
    assert count["n"] < 320
