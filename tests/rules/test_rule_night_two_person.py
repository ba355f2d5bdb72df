"""NIGHT_TWO_PERSON: at night a street door opens only with two guards at its post."""

from support import play

NIGHT = """
- {id: p1, at: "2024-06-03T22:00", type: post, post: gate, on_duty: [g1]}
- {id: a1, at: "22:30", type: arrive, people: [res], door: outer}
- {id: r1, at: "22:30", type: request, door: outer, by: g1, for: [res]}
"""


def test_fires_with_one_guard_at_night() -> None:
    _, out = play(NIGHT)
    assert out[-1].reason_codes == ("NIGHT_TWO_PERSON",)
    assert "1 guard" in out[-1].reasons[0].explanation


def test_quiet_with_two_guards_at_night() -> None:
    _, out = play(NIGHT.replace("on_duty: [g1]", "on_duty: [g1, g2]"))
    assert out[-1].decision == "grant"


def test_quiet_by_day() -> None:
    _, out = play(NIGHT.replace("T22:00", "T10:00").replace('"22:30"', '"10:30"'))
    assert out[-1].decision == "grant"


def test_a_guard_on_post_but_away_from_its_zone_does_not_count() -> None:
    away = NIGHT.replace("on_duty: [g1]", "on_duty: [g1, g2]").replace(
        "- {id: a1", '- {id: m0, at: "22:10", type: move, people: [g2], to: street}\n- {id: a1'
    )
    _, out = play(away)
    assert "NIGHT_TWO_PERSON" in out[-1].reason_codes


def test_an_inner_door_is_not_a_perimeter_door() -> None:
    inner = """
- {id: p1, at: "2024-06-03T22:00", type: post, post: gate, on_duty: [g1]}
- {id: r1, at: "22:30", type: request, door: inner, by: g1, for: [g1]}
"""
    _, out = play(inner)
    assert "NIGHT_TWO_PERSON" not in out[-1].reason_codes
