"""NOT_EXPECTED: a visitor needs a host's invitation for today."""

from support import codes, play

ARRIVE = """
- {id: p1, at: "2024-06-03T08:55", type: post, post: gate, on_duty: [g1]}
- {id: a1, at: "09:00", type: arrive, people: [vic], door: outer}
"""
REQUEST = '- {id: r1, at: "09:01", type: request, door: outer, by: g1, for: [vic]}\n'


def test_fires_without_an_invitation() -> None:
    _, out = play(ARRIVE + REQUEST)
    assert out[-1].decision == "deny" and out[-1].reason_codes == ("NOT_EXPECTED",)
    assert "vic" in out[-1].reasons[0].explanation


def test_fires_for_an_invitation_for_another_day() -> None:
    _, out = play(ARRIVE + '- {id: i1, at: "09:00", type: invite, by: res, person: vic, date: 2024-06-04}\n' + REQUEST)
    assert "NOT_EXPECTED" in out[-1].reason_codes


def test_quiet_with_todays_invitation() -> None:
    _, out = play(ARRIVE + '- {id: i1, at: "09:00", type: invite, by: res, person: vic}\n' + REQUEST)
    assert out[-1].decision == "grant"


def test_quiet_for_staff_who_are_not_visitors() -> None:
    _, out = play(ARRIVE.replace("vic", "cook") + REQUEST.replace("vic", "cook"))
    assert out[-1].decision == "grant" and codes(out[-1]) == []


def test_waived_by_the_principal_for_today() -> None:
    _, out = play(
        ARRIVE + '- {id: w1, at: "09:00", type: waive, by: boss, for: vic, rules: [NOT_EXPECTED]}\n' + REQUEST
    )
    assert out[-1].decision == "grant"
