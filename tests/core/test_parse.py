"""Site and event validation: every error names where, which field, and what is wrong."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import yaml

from gatewatch.core.errors import InvalidInput
from gatewatch.core.parse import build_site, resolve_time
from support import SITE_YAML, events, site


def site_with(change: tuple[str, str]) -> object:
    text = SITE_YAML.replace(*change)
    assert text != SITE_YAML
    return yaml.safe_load(text)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (("controlled_by: gate, interlock", "controlled_by: gat, interlock"), ['unknown post "gat"', '"gate"']),
        (("interlock: outer", "interlock: outr"), ["field 'interlock'", 'unknown door "outr"', '"outer"']),
        (("between: [street, lobby]", "between: [street, loby]"), ['unknown zone "loby"', '"lobby"']),
        (("{id: tower, zone: yard", "{id: tower, zone: yrd"), ["posts[1]", 'unknown zone "yrd"']),
        (("in: office}", "in: ofice}"), ["people[0]", "field 'in'", 'unknown zone "ofice"']),
        (("{id: yard, level: 2}", "{id: yard, levl: 2}"), ['unknown field "levl"', 'did you mean "level"?']),
        (("{id: yard, level: 2}", "{id: yard, level: two}"), ["zones[2]", "field 'level'", "expected int"]),
        (("{id: yard, level: 2}", "{id: lobby, level: 2}"), ["zones[2]", '"lobby" is used twice']),
        (("role: principal", "role: boss"), ["people[0]", "field 'role'"]),
        (('from: "20:00"', 'from: "25:00"'), ["night", '"25:00" is not a time of day']),
    ],
)
def test_an_invalid_site_is_refused_with_a_clear_message(change: tuple[str, str], words: list[str]) -> None:
    with pytest.raises(InvalidInput) as raised:
        build_site(site_with(change))
    for word in words:
        assert word in str(raised.value)


def test_a_door_knows_its_outward_side_and_whether_it_is_on_the_perimeter() -> None:
    built = site()
    assert (built.doors["inner"].outward, built.doors["inner"].inward) == ("lobby", "yard")
    assert built.doors["outer"].perimeter and built.doors["side"].perimeter
    assert not built.doors["inner"].perimeter
    assert [d.id for d in built.doors_joining("yard", "lobby")] == ["inner"]


def test_night_wraps_midnight() -> None:
    built = site()
    assert built.is_night(datetime(2024, 1, 1, 23, 0).time())
    assert built.is_night(datetime(2024, 1, 1, 6, 59).time())
    assert not built.is_night(datetime(2024, 1, 1, 7, 0).time())


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('- {type: move, at: "09:00", people: [x], to: attic}', ["event e1", "field 'to'", 'unknown zone "attic"']),
        ('- {type: wave, at: "09:00"}', ["event e1", 'unknown event type "wave"']),
        ('- {type: open, at: "09:00", door: outer, whom: x}', ["event e1", 'unknown field "whom"']),
        ("- {type: open, at: 22:50, door: outer}", ["event e1", "write it quoted", 'at: "22:50"']),
        ("- {type: open, door: outer}", ["event e1", "field 'at'", "a time is required"]),
        ('- {type: open, at: "9 o\'clock", door: outer}', ["event e1", "is not a time"]),
        (
            '- {id: x, type: open, at: "09:00", door: outer}\n- {id: x, type: close, at: "09:01", door: outer}',
            ['"x" is used twice'],
        ),
        (
            '- {type: open, at: "10:00", door: outer}\n- {type: close, at: "09:00", door: outer}',
            ["event e2", "time goes backwards"],
        ),
        ('- {type: override, at: "09:00", request: r9, by: g1}', ["event e1", 'no earlier request "r9"']),
        ('- {type: dismiss, at: "09:00", alarm: a9, by: g1}', ["event e1", 'unknown alarm "a9"']),
        (
            '- {type: waive, at: "09:00", by: boss, for: v, rules: [NOT_SCREEND]}',
            ['unknown rule "NOT_SCREEND"', 'did you mean "NOT_SCREENED"?'],
        ),
        (
            '- {type: screen, at: "09:00", person: v, by: g1, result: maybe}',
            ["event e1", "field 'result'", "'maybe' is not allowed here; one of: clear, found, refused"],
        ),
        ('- {type: move, at: "09:00", people: [], to: yard}', ["event e1", "field 'people'", "length >= 1"]),
        (
            '- {type: identify, at: "09:00", person: v, document: {kind: passport, contry: BE, number: "1"}}',
            ['unknown field "contry"', 'did you mean "country"?'],
        ),
        ('- {type: request, at: "09:00", door: outer, by: g1}', ["event e1", "field 'for'", "missing"]),
    ],
)
def test_an_invalid_event_is_refused_naming_the_event_and_field(text: str, words: list[str]) -> None:
    with pytest.raises(InvalidInput) as raised:
        events(text)
    for word in words:
        assert word in str(raised.value)


def test_a_single_name_is_read_as_a_list_of_one_where_a_list_is_expected() -> None:
    (event,) = events('- {type: request, at: "09:00", door: outer, by: g1, for: vic}')
    assert event.for_ == ("vic",)  # type: ignore[attr-defined]


def test_a_bare_time_takes_the_date_of_the_previous_event() -> None:
    first, second = events(
        '- {type: open, at: "2024-06-05T23:50", door: outer}\n- {type: close, at: "23:55", door: outer}'
    )
    assert (first.at.date(), second.at.date()) == (datetime(2024, 6, 5).date(),) * 2


def test_an_offset_is_converted_to_site_time() -> None:
    moment = resolve_time("2024-06-05T12:00+02:00", datetime(2024, 1, 1, tzinfo=UTC), UTC, where="event e1")
    assert moment == datetime(2024, 6, 5, 10, 0, tzinfo=UTC)


def test_an_event_type_that_is_not_a_name_is_an_error_not_a_crash() -> None:
    with pytest.raises(InvalidInput, match="must be the name of an event type, not a mapping"):
        events('- {id: e1, at: "2024-06-03T09:00", type: {door: outer}}\n')
