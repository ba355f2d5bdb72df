"""UNESCORTED_VISITOR: a visitor in the inner zones always has an escort beside them."""

from support import VISITOR_IN_YARD, codes, play

IN_HOUSE = (
    VISITOR_IN_YARD
    + """
- {id: m2, at: "09:03", type: move, people: [vic, lead], to: house}
"""
)


def test_quiet_with_an_escort_beside_them() -> None:
    _, out = play(IN_HOUSE)
    assert codes(out[-1]) == []


def test_fires_when_the_last_escort_walks_out() -> None:
    text = (
        IN_HOUSE
        + """
- {id: m3, at: "09:10", type: move, people: [aide], to: yard}
- {id: m4, at: "09:11", type: move, people: [lead], to: yard}
"""
    )
    _, out = play(text)
    assert codes(out[-2]) == []
    (alert,) = out[-1].alerts
    assert (alert.code, alert.people) == ("UNESCORTED_VISITOR", ("vic",))
    assert alert.message == "vic is in the house with no escort: send an escort now"


def test_fires_for_a_visitor_walking_in_alone() -> None:
    text = (
        IN_HOUSE
        + """
- {id: m3, at: "09:10", type: move, people: [vic, lead, aide], to: yard}
- {id: m4, at: "09:11", type: move, people: [vic], to: house}
"""
    )
    _, out = play(text)
    assert codes(out[-1]) == ["UNESCORTED_VISITOR"]


def test_silenced_by_the_principals_escort_waiver() -> None:
    text = (
        IN_HOUSE
        + """
- {id: w1, at: "09:05", type: waive, by: boss, for: vic, rules: [ESCORT_REQUIRED]}
- {id: m3, at: "09:10", type: move, people: [aide, lead], to: yard}
"""
    )
    _, out = play(text)
    assert codes(out[-1]) == []


def test_quiet_in_the_yard() -> None:
    _, out = play(IN_HOUSE.replace("to: house", "to: yard"))
    assert all(codes(o) == [] for o in out)
