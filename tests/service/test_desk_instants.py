"""The desk keeps the record's time moving forward by instants, whatever offsets times are written with."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from gatewatch.core import events as ev
from gatewatch.service import intake
from gatewatch.service.desk import Desk, OutOfOrder
from gatewatch.service.permissions import Actor, UserRole
from gatewatch.store.log import EventLog, IdConflict
from support import site, start_state

RECEIVED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ATHENS = timezone(timedelta(hours=2))
LEAD = Actor("lena", UserRole.LEAD, "lead")
MEXICO = ZoneInfo("America/Mexico_City")


@pytest.fixture
def desk(tmp_path: Path) -> Desk:
    in_mexico = site("timezone: America/Mexico_City")
    return Desk(in_mexico, EventLog.open(f"sqlite:///{tmp_path / 'gatewatch.db'}"), start_state(in_mexico))


def _close(ident: str, at: datetime) -> ev.Close:
    return ev.Close(id=ident, at=at, door="side")


def test_an_event_written_with_a_later_clock_but_an_earlier_instant_is_out_of_order(desk: Desk) -> None:
    desk.submit(_close("c1", datetime(2026, 3, 1, 9, 30, tzinfo=UTC)), "lena", RECEIVED)
    with pytest.raises(OutOfOrder):
        desk.submit(_close("c2", datetime(2026, 3, 1, 10, 0, tzinfo=ATHENS)), "lena", RECEIVED)
    assert desk.log.head()[0] == 1


def test_near_miss_the_same_instant_or_a_later_one_with_another_offset_is_in_order(desk: Desk) -> None:
    desk.submit(_close("c1", datetime(2026, 3, 1, 9, 30, tzinfo=UTC)), "lena", RECEIVED)
    desk.submit(_close("c2", datetime(2026, 3, 1, 11, 30, tzinfo=ATHENS)), "lena", RECEIVED)
    desk.submit(_close("c3", datetime(2026, 3, 1, 11, 31, tzinfo=ATHENS)), "lena", RECEIVED)
    assert desk.log.head()[0] == 3


def _sent(desk: Desk, at: str, ident: str = "c1") -> bool:
    """Send a close through intake as a client would (no clock window); whether it was a resend."""
    raw = {"id": ident, "type": "close", "at": at, "door": "side"}
    return intake.submit(desk, MEXICO, LEAD, raw, RECEIVED, window=None).duplicate


def test_a_resend_with_the_same_instant_written_with_another_offset_is_the_same_event(desk: Desk) -> None:
    assert not _sent(desk, "2026-03-01T10:00:00+02:00")
    assert _sent(desk, "2026-03-01T08:00:00Z")
    assert _sent(desk, "2026-03-01T02:00:00")  # site time, Mexico City
    (entry,) = desk.log.entries(0)
    assert entry.at == "2026-03-01T02:00:00-06:00"


def test_near_miss_a_resend_at_another_instant_is_another_event_under_the_same_id(desk: Desk) -> None:
    _sent(desk, "2026-03-01T10:00:00+02:00")
    with pytest.raises(IdConflict):
        _sent(desk, "2026-03-01T10:00:00Z")


def test_a_client_s_time_before_the_last_by_its_instant_is_refused(desk: Desk) -> None:
    _sent(desk, "2026-03-01T09:30:00Z")
    with pytest.raises(OutOfOrder):
        _sent(desk, "2026-03-01T10:00:00+02:00", ident="c2")
    assert not _sent(desk, "2026-03-01T11:30:00+02:00", ident="c3")


def test_the_record_reads_back_the_instants_it_wrote(desk: Desk) -> None:
    _sent(desk, "2026-03-01T10:00:00+02:00")
    (entry,) = desk.log.entries(0)
    assert entry.payload is not None
    assert ev.from_payload(entry.payload).at == datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    assert entry.payload["at"] == entry.at == "2026-03-01T02:00:00-06:00"
