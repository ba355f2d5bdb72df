"""CONCERN_ON_POST: a person of concern is not trusted with a post."""

from support import codes, play


def test_fires_for_a_guard_of_concern() -> None:
    _, out = play("""
- {id: k1, at: "2024-06-03T09:00", type: concern, person: g2, by: lead, open: true}
- {id: p1, at: "09:10", type: post, post: tower, on_duty: [g2]}
""")
    (alert,) = out[-1].alerts
    assert (alert.code, alert.people, alert.places) == ("CONCERN_ON_POST", ("g2",), ("tower",))


def test_quiet_once_cleared() -> None:
    _, out = play("""
- {id: k1, at: "2024-06-03T09:00", type: concern, person: g2, by: lead, open: true}
- {id: k2, at: "09:05", type: concern, person: g2, by: lead, open: false}
- {id: p1, at: "09:10", type: post, post: tower, on_duty: [g2]}
""")
    assert codes(out[-1]) == []
