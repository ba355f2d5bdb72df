"""The door ticker: a door held open past its time is told to the desk by a tick, and the record
holds no tick otherwise."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from doors_support import PIN, WAIT_S, Harbour, harbour
from gatewatch.workers.door_ticker import tick_if_due, ticking


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Harbour]:
    with harbour(tmp_path) as opened:
        opened.issue_card()
        yield opened


def held_open(site: Harbour) -> None:
    """Ines badges in and leaves the quay door open behind her."""
    assert site.driver.present("quay-out", "c-ines", PIN).granted
    site.driver.set_contact("quay-door", True)
    assert site.doors.flush(WAIT_S)


def test_nothing_is_submitted_while_no_door_is_due(site: Harbour) -> None:
    desk = site.services.desk
    assert tick_if_due(desk, site.services.zone, site.clock()) is None  # no door open
    held_open(site)
    seq = desk.log.head()[0]
    assert tick_if_due(desk, site.services.zone, site.clock.advance(19)) is None  # held 19 s of 20
    assert desk.log.head()[0] == seq


def test_a_door_held_open_past_its_time_raises_door_held_once(site: Harbour) -> None:
    held_open(site)
    desk = site.services.desk
    ticked = tick_if_due(desk, site.services.zone, site.clock.advance(20))
    assert ticked is not None and ticked.outcome["type"] == "tick"
    [alert] = ticked.outcome["alerts"]
    assert alert["code"] == "DOOR_HELD" and "quay door" in alert["message"]
    assert tick_if_due(desk, site.services.zone, site.clock.advance(5)) is None  # told once per opening
    assert [e.submitted_by for e in site.recorded_of("tick")] == ["device:ticker"]


def test_the_ticker_worker_ticks_when_a_door_is_due_and_stops_with_the_server(site: Harbour) -> None:
    held_open(site)
    site.clock.advance(25)

    async def run() -> None:
        async with ticking(site.services, every_s=0.01):
            for _ in range(int(WAIT_S / 0.01)):
                if not site.services.desk.state.held:
                    break
                await asyncio.sleep(0.01)

    asyncio.run(run())
    [tick] = site.recorded_of("tick")
    assert [a["code"] for a in tick.outcome["alerts"]] == ["DOOR_HELD"]
