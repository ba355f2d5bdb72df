"""POST_UNDERSTAFFED: a taken post keeps its strength; raised once, again after restoration."""

from support import codes, play


def test_fires_when_a_guard_leaves_a_night_post_of_two() -> None:
    _, out = play("""
- {id: p1, at: "2024-06-03T22:00", type: post, post: gate, on_duty: [g1, g2]}
- {id: p2, at: "23:00", type: post, post: gate, off_duty: [g2]}
""")
    assert codes(out[0]) == []
    (alert,) = out[1].alerts
    assert (alert.code, alert.places) == ("POST_UNDERSTAFFED", ("gate",))
    assert "1 guard" in alert.message and "2 it needs at night" in alert.message


def test_raised_once_then_again_only_after_restoration() -> None:
    _, out = play("""
- {id: p1, at: "2024-06-03T22:00", type: post, post: gate, on_duty: [g1]}
- {id: m1, at: "22:10", type: move, people: [g1], to: street}
- {id: p2, at: "22:20", type: post, post: gate, on_duty: [g1, g2]}
- {id: m2, at: "22:30", type: leave, people: [g2]}
""")
    assert [codes(o) for o in out] == [["POST_UNDERSTAFFED"], [], [], ["POST_UNDERSTAFFED"]]


def test_fires_when_day_turns_to_night() -> None:
    _, out = play("""
- {id: p1, at: "2024-06-03T19:00", type: post, post: gate, on_duty: [g1]}
- {id: x1, at: "20:30", type: weather, temp_c: 20}
""")
    assert [codes(o) for o in out] == [[], ["POST_UNDERSTAFFED"]]


def test_quiet_when_the_second_guard_comes_at_the_turn() -> None:
    _, out = play("""
- {id: p1, at: "2024-06-03T19:00", type: post, post: gate, on_duty: [g1]}
- {id: p2, at: "20:00", type: post, post: gate, on_duty: [g2]}
""")
    assert [codes(o) for o in out] == [[], []]


def test_quiet_for_a_post_nobody_has_taken() -> None:
    _, out = play('- {id: x1, at: "2024-06-03T22:00", type: weather, temp_c: 20}\n')
    assert codes(out[0]) == []
