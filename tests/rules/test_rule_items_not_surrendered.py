"""ITEMS_NOT_SURRENDERED: coats, bags and parcels stay at the gate."""

from support import play

BASE = """
- {id: p1, at: "2024-06-03T08:55", type: post, post: gate, on_duty: [g1]}
- {id: i1, at: "08:56", type: invite, by: res, person: vic}
- {id: a1, at: "09:00", type: arrive, people: [vic], door: outer, wearing: [Raincoat], carrying: [umbrella]}
- {id: r1, at: "09:00", type: request, door: outer, by: g1, for: [vic]}
- {id: o1, at: "09:00", type: open, door: outer}
- {id: m1, at: "09:01", type: move, people: [vic], to: lobby}
- {id: c1, at: "09:01", type: close, door: outer}
"""
REQUEST = '- {id: r2, at: "09:03", type: request, door: inner, by: g1, for: [vic]}\n'


def test_fires_when_the_visitor_refuses_to_hand_over() -> None:
    screen = '- {id: s1, at: "09:02", type: screen, person: vic, by: g1, result: refused, refused: [raincoat]}\n'
    _, out = play(BASE + screen + REQUEST)
    assert {"ITEMS_NOT_SURRENDERED", "NOT_SCREENED"} <= set(out[-1].reason_codes)
    assert "raincoat" in out[-1].reasons[-1].explanation


def test_fires_when_the_visitor_still_wears_the_item() -> None:
    _, out = play(BASE + '- {id: s1, at: "09:02", type: screen, person: vic, by: g1, result: clear}\n' + REQUEST)
    assert out[-1].reason_codes == ("ITEMS_NOT_SURRENDERED",)


def test_quiet_once_surrendered() -> None:
    screen = '- {id: s1, at: "09:02", type: screen, person: vic, by: g1, result: clear, surrendered: [raincoat]}\n'
    _, out = play(BASE + screen + REQUEST)
    assert out[-1].decision == "grant"


def test_a_refusal_is_cleared_by_handing_over_later() -> None:
    screens = """
- {id: s1, at: "09:01", type: screen, person: vic, by: g1, result: refused, refused: [raincoat]}
- {id: s2, at: "09:02", type: screen, person: vic, by: g1, result: clear, surrendered: [raincoat]}
"""
    _, out = play(BASE + screens + REQUEST)
    assert out[-1].decision == "grant"
