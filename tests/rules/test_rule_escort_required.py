"""ESCORT_REQUIRED: a visitor goes into the inner zones only with an escort."""

from support import VISITOR_IN_YARD, play

AT_FRONT = VISITOR_IN_YARD


def request(people: str) -> str:
    return f'- {{id: r1, at: "09:05", type: request, door: front, by: lead, for: [{people}]}}\n'


def test_fires_with_no_escort_with_them_or_inside() -> None:
    text = AT_FRONT + '- {id: m2, at: "09:03", type: move, people: [aide], to: office}\n'
    _, out = play(text + request("vic"))
    assert out[-1].reason_codes == ("ESCORT_REQUIRED",)
    assert all(o.alerts == () for o in out)


def test_a_resident_is_not_an_escort() -> None:
    text = AT_FRONT + '- {id: m2, at: "09:03", type: move, people: [aide], to: office}\n'
    _, out = play(text + request("vic, res"))
    assert "ESCORT_REQUIRED" in out[-1].reason_codes


def test_quiet_with_an_escort_going_through_with_them() -> None:
    text = AT_FRONT + '- {id: m2, at: "09:03", type: move, people: [aide], to: office}\n'
    _, out = play(text + request("vic, lead"))
    assert out[-1].decision == "grant"


def test_quiet_with_an_escort_already_inside() -> None:
    _, out = play(AT_FRONT + request("vic"))  # the aide (escort) is in the house
    assert out[-1].decision == "grant"
