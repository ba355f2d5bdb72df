"""ALARM_DISMISSED_REPEATEDLY: the second dismissal of one source within 24 hours."""

from support import codes, play

TWO = """
- {id: x1, at: "2024-06-03T01:00", type: alarm, alarm: a1, source: pir-2, kind: motion}
- {id: d1, at: "01:05", type: dismiss, alarm: a1, by: g1, reason: a cat}
- {id: x2, at: "2024-06-03TSECOND", type: alarm, alarm: a2, source: SOURCE, kind: motion}
- {id: d2, at: "2024-06-03TSECOND", type: dismiss, alarm: a2, by: g1, reason: the cat again}
"""


def two(second: str, source: str) -> str:
    return TWO.replace("2024-06-03TSECOND", second).replace("SOURCE", source)


def test_fires_at_the_second_dismissal_within_a_day() -> None:
    _, out = play(two("2024-06-03T23:00", "pir-2"))
    assert codes(out[1]) == []
    (alert,) = out[-1].alerts
    assert (alert.code, alert.places) == ("ALARM_DISMISSED_REPEATEDLY", ("pir-2",))


def test_quiet_for_another_source() -> None:
    _, out = play(two("2024-06-03T23:00", "pir-3"))
    assert codes(out[-1]) == []


def test_quiet_more_than_a_day_apart() -> None:
    _, out = play(two("2024-06-04T02:00", "pir-2"))
    assert codes(out[-1]) == []
