"""The desk's side of the doors, on a real SQLite record and the real desk, with the simulated
driver as the hardware: badges decided, recorded and answered (failing secure), door reports
kept until recorded, a guard's grant and a lockdown carried to the locks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from doors_support import DURESS_PIN, OTTO, PIN, WAIT_S, WREN, Harbour, harbour, write_lock_held
from gatewatch.devices.base import Answer, DeviceStatus
from gatewatch.service.door_board import LockState
from gatewatch.service.intake import submit


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Harbour]:
    with harbour(tmp_path) as opened:
        opened.issue_card()
        yield opened


def test_a_granted_badge_is_answered_granted_and_recorded_without_its_pin(site: Harbour) -> None:
    answer = site.driver.present("quay-out", "c-ines", PIN)
    assert answer == Answer(door="quay-door", granted=True, unlock_s=30.0, recorded=True)
    assert not site.driver.locked("quay-door")
    [badge] = site.recorded_of("badge")
    assert badge.outcome["decision"] == "grant"
    assert badge.submitted_by == "device:simulated"
    assert badge.payload is not None and badge.payload["pin_given"] == "right"
    assert badge.payload.get("pin") is None and PIN not in str(badge.payload)


def test_a_denied_badge_is_answered_denied_and_the_lock_stays_locked(site: Harbour) -> None:
    answer = site.driver.present("quay-out", "c-stranger")
    assert answer == Answer(door="quay-door", granted=False, unlock_s=0.0, recorded=True)
    assert site.driver.locked("quay-door")
    [badge] = site.recorded_of("badge")
    assert badge.outcome["decision"] == "deny" and badge.outcome["reasons"] == ["CREDENTIAL_UNKNOWN"]


def test_a_wrong_pin_is_denied_and_recorded_as_wrong(site: Harbour) -> None:
    assert not site.driver.present("quay-out", "c-ines", "1111").granted
    [badge] = site.recorded_of("badge")
    assert badge.payload is not None and badge.payload["pin_given"] == "wrong"


def test_a_duress_badge_is_answered_exactly_as_a_grant_and_the_desk_is_told(site: Harbour) -> None:
    forced = site.driver.present("quay-out", "c-ines", DURESS_PIN)
    assert forced == Answer(door="quay-door", granted=True, unlock_s=30.0, recorded=True)
    [badge] = site.recorded_of("badge")
    assert [a["code"] for a in badge.outcome["alerts"]] == ["DURESS"]
    assert badge.payload is not None and badge.payload["pin_given"] == "duress"
    assert site.services.desk.state.lockdown is None  # the door behaves as usual
    assert not site.driver.locked("quay-door")


def test_a_badge_at_a_reader_the_site_does_not_have_is_refused_and_reported(site: Harbour) -> None:
    assert site.doors.badge("quay-outt", "c-ines", PIN) == Answer.refused("")
    assert site.doors.flush(WAIT_S)
    [fault] = site.recorded_of("device")
    assert fault.payload is not None and fault.payload["device"] == "quay-outt"
    assert fault.payload["status"] == "fault" and 'unknown reader "quay-outt"' in fault.payload["detail"]
    assert PIN not in str(fault.payload)


def test_a_badge_while_the_store_cannot_write_is_refused_and_the_fault_recorded_once_it_can(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GATEWATCH_STORE_BUSY_S", "0.2")
    with harbour(tmp_path, deadline_s=0.3) as site:
        site.services.desk.deadline_s = 0.5
        site.issue_card()
        before = site.services.log.head()
        with write_lock_held(tmp_path / "harbour.db"):
            answer = site.driver.present("quay-out", "c-ines", PIN)
            assert answer == Answer.refused("quay-door")  # nothing granted that is not on disk
            assert site.driver.locked("quay-door")
            assert site.services.log.head() == before
            assert not site.doors.flush(0.5)  # the fault waits for the record
        assert site.doors.flush(WAIT_S)
        [fault] = site.recorded_of("device")
        assert fault.payload is not None
        assert (fault.payload["device"], fault.payload["status"]) == ("quay-out", "fault")
        assert "a badge was refused unanswered" in fault.payload["detail"]
        assert [a["code"] for a in fault.outcome["alerts"]] == ["DEVICE_FAULT"]
        assert PIN not in str(fault.payload)
        assert site.services.log.verify().ok


def test_reports_wait_in_order_while_the_store_cannot_write_and_a_full_queue_keeps_each_devices_last_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GATEWATCH_STORE_BUSY_S", "0.2")
    with harbour(tmp_path, max_reports=3) as site:
        site.services.desk.deadline_s = 0.5
        with write_lock_held(tmp_path / "harbour.db"):
            site.driver.report("chart-out", DeviceStatus.OFFLINE)
            site.driver.report("chart-out", DeviceStatus.ONLINE)
            site.driver.report("quay-in", DeviceStatus.FAULT, "keypad stuck")
            site.driver.report("chart-out", DeviceStatus.OFFLINE, "no answer")  # full: stands in for the online
            site.driver.set_contact("yard-gate", True)  # full, and no device's: dropped
            assert site.doors.reports.pending == 3 and site.doors.reports.lost == 1
        assert site.doors.flush(WAIT_S)
        said = [
            (e.payload["device"], e.payload["status"], e.payload.get("detail")) for e in site.recorded() if e.payload
        ]
        assert said == [
            ("chart-out", "offline", None),
            ("chart-out", "offline", "no answer; unrecorded before it: online"),  # in the place of the online
            ("quay-in", "fault", "keypad stuck"),
        ]


def test_a_stalled_desk_answers_refused_within_the_deadline(tmp_path: Path) -> None:
    """The desk's own lock is held (a long decision): the reader is refused and stays locked."""
    with harbour(tmp_path, deadline_s=0.2) as site:
        site.issue_card()
        desk = site.services.desk
        with desk._lock:  # the desk busy with another event for longer than a reader waits
            answer = site.driver.present("quay-out", "c-ines", PIN)
        assert answer == Answer.refused("quay-door")
        assert site.doors.flush(WAIT_S)
        assert site.driver.locked("quay-door")
        faults = [e.payload for e in site.recorded_of("device") if e.payload]
        assert [(f["device"], f["status"]) for f in faults] == [("quay-out", "fault")]
        assert "did not answer within 0.2 s" in faults[0]["detail"]


def test_the_exit_button_opens_at_once_and_the_egress_is_recorded_before_the_opening(site: Harbour) -> None:
    site.driver.press_exit("quay-door")
    assert not site.driver.locked("quay-door")  # released here, with no round trip to the desk
    site.driver.set_contact("quay-door", True)
    site.driver.set_contact("quay-door", False)
    assert site.doors.flush(WAIT_S)
    kinds = [(e.type, e.outcome["decision"], e.outcome["alerts"]) for e in site.recorded()[1:]]
    assert kinds == [("exit", "grant", []), ("open", None, []), ("close", None, [])]  # not forced


def test_a_door_opened_without_a_grant_is_recorded_as_forced(site: Harbour) -> None:
    site.driver.set_contact("chart-door", True)
    assert site.doors.flush(WAIT_S)
    [opened] = site.recorded_of("open")
    assert [a["code"] for a in opened.outcome["alerts"]] == ["DOOR_FORCED"]


def test_a_guards_grant_at_the_console_unlocks_the_door_of_a_driver(site: Harbour) -> None:
    granted = site.send(OTTO, {"id": "let-ines", "type": "request", "door": "quay-door", "by": "otto", "for": ["ines"]})
    assert granted.outcome["decision"] == "grant"
    assert site.driver.wait_locked("quay-door", locked=False, timeout=WAIT_S)
    assert site.driver.locked("chart-door")  # only the granted door


def test_an_approved_override_of_a_denied_request_unlocks_its_door(site: Harbour) -> None:
    denied = site.send(OTTO, {"id": "let-ines", "type": "request", "door": "chart-door", "by": "otto", "for": ["ines"]})
    assert denied.outcome["decision"] == "deny"
    override = {"id": "ovr-1", "type": "override", "request": "let-ines", "by": "otto", "approved_by": "wren"}
    approved = submit(site.services.desk, site.services.zone, OTTO, override, site.clock(), approver=WREN)
    assert [a["code"] for a in approved.outcome["alerts"]] == ["OVERRIDE"]
    assert site.driver.wait_locked("chart-door", locked=False, timeout=WAIT_S)
    assert site.driver.locked("quay-door")


def test_an_approved_override_of_a_denied_badge_unlocks_the_readers_door(site: Harbour) -> None:
    assert not site.driver.present("chart-out", "c-ines", PIN).granted  # Ines is on the quay, not in the hall
    [badge] = site.recorded_of("badge")
    override = {"id": "ovr-2", "type": "override", "request": badge.event_id, "by": "otto", "approved_by": "wren"}
    submit(site.services.desk, site.services.zone, OTTO, override, site.clock(), approver=WREN)
    assert site.driver.wait_locked("chart-door", locked=False, timeout=WAIT_S)


def test_an_override_without_a_leads_approval_leaves_the_lock_locked(site: Harbour) -> None:
    site.send(OTTO, {"id": "let-ines", "type": "request", "door": "chart-door", "by": "otto", "for": ["ines"]})
    unapproved = site.send(OTTO, {"id": "ovr-3", "type": "override", "request": "let-ines", "by": "otto"})
    assert [a["code"] for a in unapproved.outcome["alerts"]] == ["OVERRIDE_UNAPPROVED"]
    site.settle()
    assert site.driver.locked("chart-door")


def test_a_denied_request_at_the_console_leaves_the_lock_locked(site: Harbour) -> None:
    denied = site.send(OTTO, {"id": "let-ines", "type": "request", "door": "chart-door", "by": "otto", "for": ["ines"]})
    assert denied.outcome["decision"] == "deny"  # Ines is on the quay, not at the chart room door
    site.settle()
    assert site.driver.locked("chart-door")


def test_a_lockdown_locks_every_door(site: Harbour) -> None:
    assert site.driver.present("quay-out", "c-ines", PIN).granted
    site.driver.press_exit("chart-door")
    assert not site.driver.locked("quay-door") and not site.driver.locked("chart-door")
    site.driver.report("chart-out", DeviceStatus.TAMPER, "case opened")  # critical: the site locks down
    assert site.driver.wait_locked("quay-door", timeout=WAIT_S)
    assert site.driver.wait_locked("chart-door", timeout=WAIT_S)
    assert site.services.desk.state.lockdown is not None


def test_the_board_shows_each_door_its_lock_readers_contact_and_driver(site: Harbour) -> None:
    site.driver.present("quay-out", "c-ines", PIN)
    site.driver.set_contact("quay-door", True)
    site.driver.report("chart-out", DeviceStatus.OFFLINE, "no answer")
    assert site.doors.flush(WAIT_S)
    board = {door.id: door for door in site.doors.doors_status()}
    assert list(board) == ["chart-door", "quay-door", "yard-gate"]
    quay = board["quay-door"]
    assert (quay.lock, quay.open, quay.driver) == (LockState.UNLOCKED, True, "simulated")
    assert quay.held_since == site.clock()
    assert [(r.id, r.inward, r.status) for r in quay.readers] == [("quay-in", False, None), ("quay-out", True, None)]
    chart = board["chart-door"]
    assert (chart.lock, chart.open, chart.held_since) == (LockState.LOCKED, False, None)
    assert [(r.id, r.status) for r in chart.readers] == [("chart-out", DeviceStatus.OFFLINE)]
    assert board["yard-gate"].readers == ()


def test_a_device_report_repeating_its_waiting_status_is_not_recorded_twice(site: Harbour) -> None:
    for _ in range(3):
        site.driver.report("chart-out", DeviceStatus.OFFLINE)
    site.driver.report("chart-out", DeviceStatus.ONLINE)
    assert site.doors.flush(WAIT_S)
    statuses = [e.payload["status"] for e in site.recorded_of("device") if e.payload]
    assert statuses[0] == "offline" and statuses[-1] == "online" and len(statuses) <= 4


def test_a_badge_decided_after_its_reader_gave_up_grants_nothing_at_the_door(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The desk decided the badge but wrote it only after the reader stopped waiting: the door
    stayed shut, so the recorded grant is voided and an opening after it is forced."""
    monkeypatch.setenv("GATEWATCH_STORE_BUSY_S", "0.2")
    with harbour(tmp_path, deadline_s=0.3) as site:
        site.services.desk.deadline_s = 5.0  # the desk waits for the store longer than the reader
        site.issue_card()
        with write_lock_held(tmp_path / "harbour.db"):
            assert site.driver.present("quay-out", "c-ines", PIN) == Answer.refused("quay-door")
        assert site.doors.flush(WAIT_S)
        site.services.desk.flush(WAIT_S)
        [badge] = site.recorded_of("badge")
        assert badge.outcome["decision"] == "grant"  # decided while the reader waited, written later
        [void] = site.recorded_of("unanswered")
        assert void.payload is not None and void.payload["badge"] == badge.event_id
        site.driver.set_contact("quay-door", True)
        assert site.doors.flush(WAIT_S)
        [opened] = site.recorded_of("open")
        assert "DOOR_FORCED" in [a["code"] for a in opened.outcome["alerts"]]
