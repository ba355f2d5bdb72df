"""No grant opens a lock after the person was told no, nor after the site went into lockdown.

Found by attacking the doors:

- a guard's grant at the console while the record could not write was answered "decided but not
  yet recorded: the door stays shut"; when the record caught up (minutes later) the desk opened
  the lock anyway, for whoever stood there then;
- a grant decided just before an alarm that locks the site down, and written with it, opened its
  lock after the lockdown had locked every door: the unlock was sent after the lock-all;
- a badge granted just before the lockdown was answered granted after it, and its reader's driver
  opened the door into a site in lockdown.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from doors_support import OTTO, PIN, WAIT_S, harbour, write_lock_held
from gatewatch.devices.base import Answer
from gatewatch.service.desk import NotRecorded

pytestmark = pytest.mark.slow  # the store is held for seconds while the desk waits for it

OTTO_OUT = {"id": "otto-out", "type": "request", "door": "quay-door", "by": "otto", "for": ["otto"]}
"""Otto (in the hall) asks the quay door to go out: going out is always granted."""
INTRUSION = {"id": "alarm-1", "type": "alarm", "alarm": "a1", "source": "yard-pir", "kind": "intrusion"}


def in_thread(work: Any) -> tuple[threading.Thread, list[Any]]:
    found: list[Any] = []

    def run() -> None:
        try:
            found.append(work())
        except Exception as error:  # what the caller was told
            found.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, found


def test_a_console_grant_recorded_after_its_guard_was_told_no_opens_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GATEWATCH_STORE_BUSY_S", "0.2")
    with harbour(tmp_path) as site:
        site.services.desk.deadline_s = 0.5
        with write_lock_held(tmp_path / "harbour.db"), pytest.raises(NotRecorded):  # "the door stays shut"
            site.send(OTTO, OTTO_OUT)
        assert site.services.desk.flush(WAIT_S)
        [request] = site.recorded_of("request")
        assert request.outcome["decision"] == "grant"  # recorded later, as decided
        site.settle()
        assert site.driver.locked("quay-door"), "the lock opened for a grant its guard was told was not made"


def test_a_console_grant_written_with_a_lockdown_leaves_the_door_locked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GATEWATCH_STORE_BUSY_S", "0.2")
    with harbour(tmp_path) as site:
        site.services.desk.deadline_s = 10.0  # the guard waits while the store is held
        desk = site.services.desk
        with write_lock_held(tmp_path / "harbour.db"):
            granting, granted = in_thread(lambda: site.send(OTTO, OTTO_OUT))
            _wait_for(lambda: bool(desk.state.grants.get("quay-door")))
            alarming, _ = in_thread(lambda: site.send(OTTO, INTRUSION))
            _wait_for(lambda: desk.state.lockdown is not None)
        granting.join(WAIT_S)
        alarming.join(WAIT_S)
        assert granted[0].outcome["decision"] == "grant"
        site.settle()
        assert site.driver.locked("quay-door"), "the grant's unlock came after the lockdown's lock-all"


def test_a_badge_granted_just_before_a_lockdown_is_answered_no_and_voided(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GATEWATCH_STORE_BUSY_S", "0.2")
    with harbour(tmp_path, deadline_s=10.0) as site:
        site.services.desk.deadline_s = 10.0
        site.issue_card()
        desk = site.services.desk
        with write_lock_held(tmp_path / "harbour.db"):
            badging, answered = in_thread(lambda: site.driver.present("quay-out", "c-ines", PIN))
            _wait_for(lambda: bool(desk.state.grants.get("quay-door")))
            alarming, _ = in_thread(lambda: site.send(OTTO, INTRUSION))
            _wait_for(lambda: desk.state.lockdown is not None)
        badging.join(WAIT_S)
        alarming.join(WAIT_S)
        assert answered == [Answer(door="quay-door", granted=False, unlock_s=0.0, recorded=True)]
        assert site.doors.flush(WAIT_S)
        [badge] = site.recorded_of("badge")
        assert badge.outcome["decision"] == "grant"  # decided before the lockdown
        [void] = site.recorded_of("unanswered")
        assert void.payload is not None and void.payload["badge"] == badge.event_id
        site.settle()
        assert site.driver.locked("quay-door")


def _wait_for(found: Any) -> None:
    done = threading.Event()
    for _ in range(int(WAIT_S / 0.01)):
        if found():
            return
        done.wait(0.01)
    raise AssertionError("never happened")
