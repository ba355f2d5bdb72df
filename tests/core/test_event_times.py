"""Event times are instants: ordered and found the same by their instants, whatever their offsets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import msgspec
import pytest
import yaml

from gatewatch.core import events as ev
from gatewatch.core.engine import step
from gatewatch.core.errors import InvalidInput
from gatewatch.core.parse import parse_event, parse_events, resolve_time
from support import START, site, start_state

MEXICO = ZoneInfo("America/Mexico_City")
TEN_IN_ATHENS = "2026-03-01T10:00:00+02:00"
"""08:00 UTC."""
HALF_NINE_UTC = "2026-03-01T09:30:00+00:00"


def _closes(*times: str) -> str:
    return "\n".join(f'- {{id: c{n}, at: "{at}", type: close, door: side}}' for n, at in enumerate(times, start=1))


def _parsed(*times: str, zone: timezone | ZoneInfo = UTC) -> tuple[ev.Event, ...]:
    return parse_events(yaml.safe_load(_closes(*times)), site(), zone, START)


def test_a_later_instant_written_with_an_earlier_clock_is_after() -> None:
    first, second = _parsed(TEN_IN_ATHENS, HALF_NINE_UTC)
    assert second.at - first.at == timedelta(minutes=90)


def test_an_earlier_instant_written_with_a_later_clock_goes_backwards() -> None:
    with pytest.raises(InvalidInput) as refused:
        _parsed(HALF_NINE_UTC, TEN_IN_ATHENS)
    assert refused.value.field == "at" and refused.value.where == "event c2"
    assert "time goes backwards: 2026-03-01 08:00 is before 2026-03-01 09:30" in str(refused.value)


def test_near_miss_one_minute_later_written_in_athens_is_not_backwards() -> None:
    first, second = _parsed(HALF_NINE_UTC, "2026-03-01T11:31:00+02:00")
    assert second.at - first.at == timedelta(minutes=1)


def test_the_same_instant_with_two_offsets_is_the_same_time_written_the_same_way() -> None:
    first, second = _parsed(TEN_IN_ATHENS, "2026-03-01T08:00:00Z", zone=MEXICO)
    assert first.at == second.at
    assert ev.to_payload(first)["at"] == ev.to_payload(second)["at"] == "2026-03-01T02:00:00-06:00"


def test_a_time_is_given_in_the_site_zone_whatever_offset_it_was_written_with() -> None:
    (event,) = _parsed(TEN_IN_ATHENS, zone=MEXICO)
    assert event.at.utcoffset() == timedelta(hours=-6)
    assert event.at == datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def test_a_time_without_an_offset_is_site_time() -> None:
    (event,) = _parsed("2026-03-01T10:00", zone=MEXICO)
    assert event.at == datetime(2026, 3, 1, 16, 0, tzinfo=UTC)


def test_a_bare_clock_time_is_on_the_previous_event_s_date_at_the_site() -> None:
    """01:00 UTC on 2 March is still 1 March in Mexico City: 19:30 there is on 1 March."""
    previous = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    moment = resolve_time("19:30", previous, MEXICO, where="event e2")
    assert moment == datetime(2026, 3, 1, 19, 30, tzinfo=MEXICO)


def test_near_miss_a_bare_clock_time_after_a_previous_time_already_in_site_time() -> None:
    previous = datetime(2026, 3, 2, 1, 0, tzinfo=MEXICO)
    assert resolve_time("19:30", previous, MEXICO, where="event e2") == datetime(2026, 3, 2, 19, 30, tzinfo=MEXICO)


def test_a_credential_s_end_is_an_instant_in_site_time() -> None:
    raw = {
        "id": "k1",
        "type": "credential",
        "at": "2026-03-01T09:00:00Z",
        "person": "g1",
        "credential": "c1",
        "kind": "card",
        "by": "lead",
        "until": "2026-03-01T12:00:00+02:00",
    }
    event = parse_event(raw, site(), MEXICO, START, default_id="k1")
    assert isinstance(event, ev.Credential) and event.until is not None
    assert event.until == datetime(2026, 3, 1, 10, 0, tzinfo=UTC) and event.until.utcoffset() == timedelta(hours=-6)


def test_plain_data_with_a_naive_time_is_refused_naming_the_field() -> None:
    with pytest.raises(msgspec.ValidationError, match=r"timezone component - at `\$\.at`"):
        ev.from_payload({"type": "close", "id": "c1", "at": "2026-03-01T10:00:00", "door": "side"})


def test_near_miss_plain_data_with_an_offset_is_read_as_that_instant() -> None:
    event = ev.from_payload({"type": "close", "id": "c1", "at": TEN_IN_ATHENS, "door": "side"})
    assert event.at == datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def test_the_engine_refuses_an_event_whose_time_has_no_offset() -> None:
    naive = ev.Close(id="c1", at=datetime(2026, 3, 1, 10, 0), door="side")
    with pytest.raises(InvalidInput) as refused:
        step(start_state(), naive)
    assert refused.value.field == "at" and refused.value.where == "event c1"
    assert "no offset from UTC" in str(refused.value)


NEW_YORK = ZoneInfo("America/New_York")
"""Clocks go forward at 02:00 on 8 March 2026 and back at 02:00 on 1 November 2026."""


def test_a_span_across_the_clocks_going_back_is_the_hours_that_passed() -> None:
    """00:30 EDT to 03:30 EST is four hours, though the clocks show three."""
    first, second = _parsed("2026-11-01T00:30", "2026-11-01T03:30", zone=NEW_YORK)
    assert second.at - first.at == timedelta(hours=4)


def test_the_second_pass_of_the_hour_the_clocks_repeat_is_after_the_first() -> None:
    """01:50 EDT is 05:50 UTC; 01:10 EST, written with its offset, is 06:10 UTC: twenty minutes later."""
    first, second = _parsed("2026-11-01T01:50-04:00", "2026-11-01T01:10-05:00", zone=NEW_YORK)
    assert second.at - first.at == timedelta(minutes=20)
    assert second.at > first.at


def test_near_miss_the_first_pass_of_that_hour_after_the_second_goes_backwards() -> None:
    with pytest.raises(InvalidInput, match="time goes backwards"):
        _parsed("2026-11-01T01:10-05:00", "2026-11-01T01:50-04:00", zone=NEW_YORK)


def test_a_site_time_the_clocks_skip_is_refused_naming_it() -> None:
    with pytest.raises(InvalidInput) as refused:
        _parsed("2026-03-08T01:50", "2026-03-08T02:30", zone=NEW_YORK)
    assert refused.value.where == "event c2" and refused.value.field == "at"
    assert "2026-03-08 02:30 does not exist at the site (America/New_York)" in str(refused.value)


def test_near_miss_the_same_instant_written_with_its_offset_is_read() -> None:
    first, second = _parsed("2026-03-08T01:50", "2026-03-08T02:30-05:00", zone=NEW_YORK)
    assert second.at - first.at == timedelta(minutes=40)
    assert second.at.isoformat() == "2026-03-08T03:30:00-04:00"


def test_a_time_parsed_and_the_same_time_read_back_from_the_record_compare_alike() -> None:
    """The record keeps offsets; the parser's times must order and subtract the same way."""
    parsed = _parsed("2026-11-01T00:30", "2026-11-01T03:30", zone=NEW_YORK)
    read_back = [ev.from_payload(ev.to_payload(event)) for event in parsed]
    assert parsed[1].at - parsed[0].at == read_back[1].at - read_back[0].at


def test_a_date_that_names_no_day_is_refused_saying_so() -> None:
    with pytest.raises(InvalidInput, match=r"is not a time \(ISO 8601, or HH:MM\): day is out of range for month"):
        _parsed("2026-02-29T10:00Z")
