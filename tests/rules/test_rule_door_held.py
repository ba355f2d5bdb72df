"""DOOR_HELD: a door with a reader, opened on a grant, still open ``held_open_s`` after it opened
(once per opening, at the first event at or after that time); a door without a reader is not timed."""

from rules.readers_site import CARDS, readers_state
from support import alerts_named, play

OPENED = (
    CARDS
    + """
- {id: m1, at: "2024-06-03T09:59", type: move, people: [cook], to: yard}
- {id: b1, at: "2024-06-03T10:00:00", type: badge, reader: front-out, credential: c-cook}
- {id: o1, at: "2024-06-03T10:00:00", type: open, door: front}
"""
)


def _tick(at: str, ident: str = "t1") -> str:
    return f'- {{id: {ident}, at: "2024-06-03T{at}", type: tick}}\n'


def test_fires_at_thirty_seconds() -> None:
    _, out = play(OPENED + _tick("10:00:30"), readers_state())
    (alert,) = alerts_named(out, "DOOR_HELD")
    assert alert.severity.label == "high"
    assert alert.places == ("front",)
    assert out[-1].event == "t1" and out[-1].alerts == (alert,)


def test_quiet_at_twenty_nine_seconds() -> None:
    _, out = play(OPENED + _tick("10:00:29"), readers_state())
    assert not alerts_named(out, "DOOR_HELD")


def test_raised_once_per_opening() -> None:
    text = OPENED + _tick("10:00:31") + _tick("10:00:45", "t2") + _tick("10:05:00", "t3")
    _, out = play(text, readers_state())
    assert [o.event for o in out if o.alerts and o.alerts[0].code.value == "DOOR_HELD"] == ["t1"]


def test_noticed_at_any_event_after_the_time() -> None:
    _, out = play(OPENED + '- {id: m2, at: "10:01", type: move, people: [aide], to: yard}\n', readers_state())
    assert [a.code.value for a in out[-1].alerts] == ["DOOR_HELD"]


def test_quiet_when_closed_in_time() -> None:
    text = OPENED + '- {id: c1, at: "2024-06-03T10:00:20", type: close, door: front}\n' + _tick("10:00:40")
    _, out = play(text, readers_state())
    assert not alerts_named(out, "DOOR_HELD")


def test_the_time_is_the_sites() -> None:
    _, out = play(OPENED + _tick("10:00:45"), readers_state({"held_open_s": 60}))
    assert not alerts_named(out, "DOOR_HELD")


def test_a_door_without_a_reader_is_not_timed() -> None:
    text = """
- {id: p1, at: "2024-06-03T09:55", type: post, post: gate, on_duty: [g1]}
- {id: r1, at: "2024-06-03T10:00:00", type: request, door: side, by: g1, for: [lead]}
- {id: o1, at: "2024-06-03T10:00:00", type: open, door: side}
- {id: t1, at: "2024-06-03T10:05:00", type: tick}
"""
    _, out = play(text, readers_state())
    assert out[-3].decision == "grant"
    assert not alerts_named(out, "DOOR_HELD")
