"""INTERLOCK: the inner door stays shut while the outer stands open; egress is never held."""

from support import play

BASE = """
- {id: p1, at: "2024-06-03T08:55", type: post, post: gate, on_duty: [g1]}
- {id: m1, at: "08:56", type: move, people: [res], to: yard}
"""


def test_fires_while_the_partner_is_open() -> None:
    text = (
        BASE
        + """
- {id: a1, at: "09:00", type: arrive, people: [cook], door: inner}
- {id: r0, at: "09:00", type: request, door: outer, by: g1, for: [g1]}
- {id: o0, at: "09:00", type: open, door: outer}
- {id: r1, at: "09:01", type: request, door: inner, by: g1, for: [cook]}
"""
    )
    _, out = play(text)
    assert out[-1].reason_codes == ("INTERLOCK",)


def test_quiet_once_the_partner_is_closed() -> None:
    text = (
        BASE
        + """
- {id: a1, at: "09:00", type: arrive, people: [cook], door: inner}
- {id: r0, at: "09:00", type: request, door: outer, by: g1, for: [g1]}
- {id: o0, at: "09:00", type: open, door: outer}
- {id: c0, at: "09:00", type: close, door: outer}
- {id: r1, at: "09:01", type: request, door: inner, by: g1, for: [cook]}
"""
    )
    _, out = play(text)
    assert out[-1].decision == "grant"


def test_egress_is_granted_with_the_partner_open() -> None:
    text = (
        BASE
        + """
- {id: r0, at: "09:00", type: request, door: outer, by: g1, for: [g1]}
- {id: o0, at: "09:00", type: open, door: outer}
- {id: r1, at: "09:01", type: request, door: inner, by: g1, for: [res]}
"""
    )
    _, out = play(text)
    assert out[-1].decision == "grant"
