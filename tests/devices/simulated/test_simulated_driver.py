"""The simulated driver behaves as door hardware must: locked unless told, released for its time
only, the exit button at once, every lock locked at a lockdown and at a stop. Its desk is the
real one (the doors over a SQLite record)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from doors_support import PIN, WAIT_S, Harbour, harbour
from gatewatch.core.parse import build_site
from gatewatch.devices.base import Answer, DeviceStatus, LockAll, Unlock
from gatewatch.devices.simulated import SimulatedDriver, UnknownDevice
from gatewatch.service.door_board import LockState


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Harbour]:
    with harbour(tmp_path) as opened:
        opened.issue_card()
        yield opened


def test_it_works_every_door_and_reader_of_the_site(site: Harbour) -> None:
    assert site.driver.doors() == {"quay-door", "chart-door", "yard-gate"}
    assert site.driver.devices() == {"quay-out", "quay-in", "chart-out"}
    assert site.driver.readers()["chart-out"] == "chart-door"


def test_every_lock_starts_locked_and_says_so(site: Harbour) -> None:
    assert all(site.driver.locked(door) for door in site.driver.doors())
    assert {d.id: d.lock for d in site.doors.doors_status()} == dict.fromkeys(site.driver.doors(), LockState.LOCKED)


def test_an_unlock_opens_the_lock_for_its_time_then_it_locks_by_itself(site: Harbour) -> None:
    site.driver.command(Unlock("chart-door", 0.2))
    assert not site.driver.locked("chart-door")
    assert site.doors.doors_status()[0].lock is LockState.UNLOCKED
    assert site.driver.wait_locked("chart-door", timeout=WAIT_S)
    assert {d.id: d.lock for d in site.doors.doors_status()}["chart-door"] is LockState.LOCKED


def test_a_later_unlock_extends_the_time_and_lock_all_ends_it(site: Harbour) -> None:
    site.driver.command(Unlock("quay-door", 0.05))
    site.driver.command(Unlock("quay-door", 60))
    assert not site.driver.wait_locked("quay-door", timeout=0.3)  # still open: the longer time holds
    site.driver.command(LockAll())
    assert site.driver.locked("quay-door")


def test_an_unlock_for_a_door_of_another_driver_is_ignored(tmp_path: Path) -> None:
    with harbour(tmp_path) as site:
        only_chart = SimulatedDriver(site.services.site, ["chart-door"])
        only_chart.start(site.doors)
        only_chart.command(Unlock("quay-door", 30))
        assert only_chart.doors() == {"chart-door"} and only_chart.devices() == {"chart-out"}
        with pytest.raises(UnknownDevice, match='no simulated door "quay-door"'):
            only_chart.locked("quay-door")
        only_chart.stop()


def test_a_grant_opens_for_the_seconds_the_desk_answered(site: Harbour) -> None:
    answer = site.driver.present("quay-out", "c-ines", PIN)
    assert answer.granted and answer.unlock_s == 30.0
    assert not site.driver.locked("quay-door") and site.driver.locked("chart-door")


def test_a_refusal_keeps_the_lock_locked(site: Harbour) -> None:
    assert not site.driver.present("quay-out", "c-ines", "0000").granted
    assert site.driver.locked("quay-door")


def test_before_it_starts_nothing_opens(tmp_path: Path) -> None:
    with harbour(tmp_path, started=False) as site:
        assert site.driver.present("quay-out", "c-ines", PIN) == Answer.refused("quay-door")
        site.driver.press_exit("quay-door")
        site.driver.command(Unlock("quay-door", 30))
        assert site.driver.locked("quay-door")
        assert site.services.log.head()[0] == 0  # nobody was asked


def test_the_exit_button_opens_with_no_desk_round_trip_and_reports_after(site: Harbour) -> None:
    site.driver.press_exit("chart-door")
    assert not site.driver.locked("chart-door")
    assert site.doors.flush(WAIT_S)
    [egress] = site.recorded_of("exit")
    assert egress.payload is not None and egress.payload["door"] == "chart-door"


def test_a_contact_is_reported_when_it_changes_only(site: Harbour) -> None:
    site.driver.press_exit("quay-door")
    site.driver.set_contact("quay-door", True)
    site.driver.set_contact("quay-door", True)
    assert site.driver.is_open("quay-door")
    site.driver.set_contact("quay-door", False)
    assert site.doors.flush(WAIT_S)
    assert [e.type for e in site.recorded()[1:]] == ["exit", "open", "close"]


def test_a_reader_reports_its_health(site: Harbour) -> None:
    site.driver.report("quay-in", DeviceStatus.FAULT, "keypad stuck")
    assert site.doors.flush(WAIT_S)
    [fault] = site.recorded_of("device")
    assert fault.payload is not None and fault.payload["detail"] == "keypad stuck"
    assert [a["code"] for a in fault.outcome["alerts"]] == ["DEVICE_FAULT"]


def test_stop_locks_every_door(site: Harbour) -> None:
    site.driver.press_exit("quay-door")
    site.driver.command(Unlock("chart-door", 30))
    site.driver.stop()
    assert all(site.driver.locked(door) for door in site.driver.doors())
    site.driver.command(Unlock("chart-door", 30))  # a stopped driver opens nothing
    assert site.driver.locked("chart-door")


def test_unknown_readers_and_doors_are_named(site: Harbour) -> None:
    with pytest.raises(UnknownDevice, match='no simulated reader "quay-ot", did you mean "quay-out"'):
        site.driver.present("quay-ot", "c-ines")
    with pytest.raises(UnknownDevice, match='no simulated door "chart"'):
        site.driver.press_exit("chart")


def test_a_driver_for_doors_the_site_does_not_have_is_refused(site: Harbour) -> None:
    with pytest.raises(UnknownDevice, match="the site does not have: cellar"):
        SimulatedDriver(site.services.site, ["cellar", "quay-door"])


def test_a_site_without_readers_has_locks_only() -> None:
    bare = build_site(
        {
            "site": "shed",
            "zones": [{"id": "out", "level": 0}, {"id": "in", "level": 1}],
            "doors": [{"id": "shed-door", "between": ["out", "in"]}],
        }
    )
    driver = SimulatedDriver(bare)
    assert driver.doors() == {"shed-door"} and driver.devices() == frozenset()
