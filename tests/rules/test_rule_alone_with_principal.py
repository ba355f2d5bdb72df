"""ALONE_WITH_PRINCIPAL: a visitor is never with the principal without an escort there."""

from support import VISITOR_IN_YARD, codes, play

IN_HOUSE = (
    VISITOR_IN_YARD
    + """
- {id: m2, at: "09:03", type: move, people: [vic, lead], to: house}
"""
)


def test_quiet_when_the_principal_comes_to_an_escorted_visitor() -> None:
    _, out = play(IN_HOUSE + '- {id: m3, at: "09:05", type: move, people: [boss], to: house}\n')
    assert codes(out[-1]) == []


def test_fires_when_the_escorts_leave_them_together() -> None:
    text = (
        IN_HOUSE
        + """
- {id: m3, at: "09:05", type: move, people: [boss], to: house}
- {id: m4, at: "09:06", type: move, people: [lead, aide], to: yard}
"""
    )
    _, out = play(text)
    alert = next(a for a in out[-1].alerts if a.code == "ALONE_WITH_PRINCIPAL")
    assert alert.severity.label == "critical"
    assert alert.message == "vic is in the house with the principal and no escort: send an escort now"


def test_fires_when_a_visitor_walks_in_on_the_principal() -> None:
    text = IN_HOUSE + '- {id: m4, at: "09:06", type: move, people: [vic], to: office}\n'
    _, out = play(text)
    assert "ALONE_WITH_PRINCIPAL" in codes(out[-1])


def test_silenced_by_the_principals_escort_waiver() -> None:
    text = (
        IN_HOUSE
        + """
- {id: w1, at: "09:04", type: waive, by: boss, for: vic, rules: [ESCORT_REQUIRED]}
- {id: m4, at: "09:06", type: move, people: [vic], to: office}
"""
    )
    _, out = play(text)
    assert codes(out[-1]) == []
