"""The bounds of ``gatewatch.core.limits`` at the parser: each refused with the field named, and
the value just inside it accepted (the near miss)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
import yaml

from gatewatch.core import limits
from gatewatch.core.bounded import refuse_unreadable
from gatewatch.core.errors import InvalidInput
from gatewatch.core.events import from_payload, to_payload
from gatewatch.core.parse import build_site, parse_event
from support import SITE_YAML, site

PREVIOUS = datetime(2024, 6, 3, 9, 0, tzinfo=UTC)


def parsed(**fields: Any) -> Any:
    raw = {"id": "e1", "at": "2024-06-03T09:00:00Z", **fields}
    return parse_event(raw, site(), UTC, PREVIOUS, default_id="e1")


def refused(**fields: Any) -> InvalidInput:
    with pytest.raises(InvalidInput) as raised:
        parsed(**fields)
    json.dumps(str(raised.value), ensure_ascii=False).encode("utf-8")  # the error itself can be sent
    return raised.value


# --- numbers -----------------------------------------------------------------------------------


@pytest.mark.parametrize("temp", [float("nan"), float("inf"), float("-inf"), 1e400, -1e400, 2**2000, 60.1, -90.5])
def test_a_temperature_that_is_not_finite_or_not_of_this_earth_is_refused(temp: float) -> None:
    error = refused(type="weather", temp_c=temp)
    assert error.field == "temp_c" and error.where == "event e1"
    assert str(error) == "event e1, field 'temp_c': must be a finite number from -90 to 60"


@pytest.mark.parametrize("temp", [-90, -89.2, 0, 56.7, 60])
def test_a_temperature_the_earth_has_had_is_accepted(temp: float) -> None:
    assert parsed(type="weather", temp_c=temp).temp_c == temp


def test_an_accepted_event_comes_back_from_the_record_as_it_was_sent() -> None:
    event = parsed(type="weather", temp_c=-89.2, note="line one\nline two\tend")
    assert from_payload(json.loads(json.dumps(to_payload(event), allow_nan=False))) == event


# --- times -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "at", ["0001-01-01T00:00:00+05:00", "0001-01-01T00:00:00", "9999-12-31T23:59:59-05:00", "1799-12-31T23:59:59Z"]
)
def test_a_time_at_the_calendars_edge_is_refused_naming_at(at: str) -> None:
    error = refused(type="weather", temp_c=20, at=at)
    assert error.field == "at"
    assert "is out of range: a time from the year 1800 to 2200" in str(error)


@pytest.mark.parametrize("at", ["1800-01-01T00:00:00Z", "1940-08-20T09:00:00-06:00", "2200-12-31T23:00:00Z"])
def test_a_time_within_the_years_a_site_records_is_accepted(at: str) -> None:
    assert parsed(type="weather", temp_c=20, at=at).at == datetime.fromisoformat(at).astimezone(UTC)


def test_a_date_at_the_calendars_edge_is_refused_naming_its_field() -> None:
    error = refused(type="identify", person="vic", birth_date="0001-01-01")
    assert str(error) == "event e1, field 'birth_date': 0001-01-01 is out of range: a date from the year 1800 to 2200"
    expiry = refused(
        type="identify",
        person="vic",
        document={"kind": "passport", "country": "MEX", "number": "1", "expiry": "9999-01-01"},
    )
    assert expiry.field == "document.expiry"
    assert parsed(type="identify", person="vic", birth_date="1901-02-03").birth_date.year == 1901


# --- sizes -------------------------------------------------------------------------------------


def test_an_arrival_of_more_than_fifty_people_is_refused_and_fifty_accepted() -> None:
    crowd = [f"v{i}" for i in range(limits.PEOPLE_PER_EVENT + 1)]
    error = refused(type="arrive", people=crowd, door="outer")
    assert str(error) == "event e1, field 'people': at most 50 people in one arrival"
    assert len(parsed(type="arrive", people=crowd[:-1], door="outer").people) == 50
    huge = refused(type="arrive", people=[f"v{i}" for i in range(500_000)], door="outer")
    assert huge.field == "people"


def test_a_request_for_too_many_people_and_too_many_items_are_refused() -> None:
    many = [f"v{i}" for i in range(51)]
    assert str(refused(type="request", door="inner", by="g1", **{"for": many})) == (
        "event e1, field 'for': at most 50 people in one request"
    )
    assert str(refused(type="arrive", people=["vic"], door="outer", carrying=["bag"] * 51)) == (
        "event e1, field 'carrying': at most 50 items in one arrival"
    )


@pytest.mark.parametrize(
    ("fields", "field", "bound"),
    [
        ({"type": "identify", "person": "vic", "name": "x" * 1_000_000}, "name", limits.NAME_CHARS),
        ({"type": "weather", "temp_c": 20, "note": "x" * 10_000_000}, "note", limits.TEXT_CHARS),
        ({"type": "arrive", "people": ["v" * 201], "door": "outer"}, "people[0]", limits.ID_CHARS),
        ({"type": "override", "request": "r1", "by": "lead", "reason": "x" * 4001}, "reason", limits.TEXT_CHARS),
    ],
)
def test_a_string_past_its_bound_is_refused_naming_the_field(fields: dict[str, Any], field: str, bound: int) -> None:
    error = refused(**fields)
    assert error.field == field
    assert error.problem == f"at most {bound} characters"


def test_strings_at_their_bound_are_accepted() -> None:
    assert len(parsed(type="identify", person="vic", name="x" * 200).name) == 200
    assert len(parsed(type="weather", temp_c=20, note="x" * 4000).note) == 4000


def test_an_mrz_of_too_many_or_too_long_lines_is_refused() -> None:
    document = {"kind": "passport", "country": "MEX", "number": "1"}
    long_line = refused(type="identify", person="vic", document={**document, "mrz": ["P" * 45, "1" * 44]})
    assert (long_line.where, long_line.field, long_line.problem) == (
        "event e1.document",
        "mrz[0]",
        "at most 44 characters",
    )
    assert refused(type="identify", person="vic", document={**document, "mrz": ["P"] * 4}).problem == (
        "at most 3 lines in one document"
    )


def test_an_id_too_long_is_refused_and_shown_cut() -> None:
    error = refused(type="weather", temp_c=20, id="x" * 1_000_000)
    assert str(error) == f"event {'x' * 20}…, field 'id': at most 200 characters"


def test_nesting_past_the_bound_is_refused() -> None:
    deep: Any = "x"
    for _ in range(20):
        deep = [deep]
    error = refused(type="arrive", people=["vic"], door="outer", claims=deep)
    assert "nested more than 8 levels deep" in error.problem


# --- characters --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ident", "shown", "problem"),
    [
        ("a\ud800", "U+D800", "a lone surrogate"),
        ("a\x00", "U+0000", "a control character"),
        ("a\nb", "U+000A", "a control character"),
        ("a\u200bb", "U+200B", "not printable"),
    ],
)
def test_an_id_holding_what_cannot_be_shown_is_refused_naming_id(ident: str, shown: str, problem: str) -> None:
    error = refused(type="weather", temp_c=20, id=ident)
    assert error.field == "id" and shown in error.problem and problem in error.problem
    assert ident not in str(error)  # shown as U+XXXX, so that the error itself can be sent


def test_any_string_with_a_lone_surrogate_or_nul_is_refused_naming_its_field() -> None:
    assert refused(type="arrive", people=["vic", "b\ud800"], door="outer").field == "people[1]"
    assert refused(type="weather", temp_c=20, note="nul \x00 here").field == "note"
    assert refused(type="identify", person="vic", document={"kind": "p", "country": "M", "number": "1\x00"}).field == (
        "document.number"
    )
    assert refused(type="weather", temp_c=20, **{"\ud800": 1}).field == "U+D800"


def test_line_breaks_in_a_note_and_joiners_in_a_name_are_accepted() -> None:
    assert parsed(type="weather", temp_c=20, note="gate 1\r\nall quiet\t(ok)").note == "gate 1\r\nall quiet\t(ok)"
    assert parsed(type="identify", person="vic", name="Ali\u200cReza").name == "Ali\u200cReza"
    assert parsed(type="arrive", people=["Zoë Ñandú"], door="outer").people == ("Zoë Ñandú",)


# --- the site file -----------------------------------------------------------------------------


def site_with(**changes: Any) -> dict[str, Any]:
    raw: dict[str, Any] = yaml.safe_load(SITE_YAML)
    raw.update(changes)
    return raw


def test_a_site_name_of_ten_megabytes_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as raised:
        build_site(site_with(name="x" * 10_000_000))
    assert str(raised.value) == "field 'name': at most 200 characters"
    assert build_site(site_with(name="x" * 200)).name == "x" * 200


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"policy": {"hot_c": float("nan")}}, ["policy", "field 'hot_c'", "finite number from -90 to 60"]),
        ({"policy": {"grant_minutes": 10**30}}, ["field 'grant_minutes'", "whole number from 1 to 10,080"]),
        ({"site": "a\x00b"}, ["field 'site'", "U+0000"]),
        ({"timezone": "UTC\ud800"}, ["field 'timezone'", "U+D800"]),
        ({"policy": {"prohibited": ["knife"] * 501}}, ["field 'prohibited'", "at most 500 items"]),
    ],
)
def test_a_site_beyond_its_bounds_is_refused_naming_the_field(changes: dict[str, Any], words: list[str]) -> None:
    with pytest.raises(InvalidInput) as raised:
        build_site(site_with(**changes))
    for word in words:
        assert word in str(raised.value)


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("{id: yard, level: 2}", "{id: yard, level: 101}", ["zones[2]", "field 'level'", "from 0 to 100"]),
        ("{id: yard, level: 2}", "{id: yard, level: -1}", ["zones[2]", "field 'level'", "from 0 to 100"]),
        (
            "staff: 1, staff_at_night: 2",
            "staff: -1, staff_at_night: 2",
            ["posts[0]", "field 'staff'", "from 0 to 1,000"],
        ),
    ],
)
def test_site_numbers_out_of_range_are_refused(old: str, new: str, words: list[str]) -> None:
    text = SITE_YAML.replace(old, new)
    assert text != SITE_YAML
    with pytest.raises(InvalidInput) as raised:
        build_site(yaml.safe_load(text))
    for word in words:
        assert word in str(raised.value)


@pytest.mark.parametrize(("people", "problem"), [(["  "], "blank"), (["harte "], "spaces before or after it")])
def test_an_id_with_spaces_around_it_is_refused(people: list[str], problem: str) -> None:
    """ " harte" would be a phantom visitor shown like the guard harte."""
    with pytest.raises(InvalidInput, match=problem) as refused:
        refuse_unreadable({"people": people}, where="event a1")
    assert refused.value.field == "people[0]"
    refuse_unreadable({"people": ["harte"], "note": "  a note may  "}, where="event a1")  # the near miss
