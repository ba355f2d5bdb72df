"""AUTHORITY_UNVERIFIED: a claimed authority is confirmed through another channel first."""

from support import play

BASE = """
- {id: p1, at: "2024-06-03T08:55", type: post, post: gate, on_duty: [g1]}
- {id: i1, at: "08:56", type: invite, by: res, person: cop}
- {id: a1, at: "09:00", type: arrive, people: [cop], door: outer, claims: {authority: police}}
"""
REQUEST = '- {id: r1, at: "09:02", type: request, door: outer, by: g1, for: [cop]}\n'


def test_fires_for_an_unconfirmed_claim() -> None:
    _, out = play(BASE + REQUEST)
    assert out[-1].reason_codes == ("AUTHORITY_UNVERIFIED",)
    assert "police" in out[-1].reasons[0].explanation


def test_fires_when_the_check_could_not_be_done() -> None:
    verify = '- {id: v1, at: "09:01", type: verify, person: cop, claim: authority, result: unverifiable, by: g1}\n'
    _, out = play(BASE + verify + REQUEST)
    assert "AUTHORITY_UNVERIFIED" in out[-1].reason_codes


def test_quiet_once_confirmed() -> None:
    verify = '- {id: v1, at: "09:01", type: verify, person: cop, claim: authority, result: confirmed, by: g1}\n'
    _, out = play(BASE + verify + REQUEST)
    assert out[-1].decision == "grant"


def test_a_confirmation_lasts_only_for_the_visit() -> None:
    verify = '- {id: v1, at: "09:01", type: verify, person: cop, claim: authority, result: confirmed, by: g1}\n'
    again = """
- {id: l1, at: "09:01", type: leave, people: [cop]}
- {id: a2, at: "09:02", type: arrive, people: [cop], door: outer, claims: {authority: police}}
"""
    _, out = play(BASE + verify + again + REQUEST)
    assert "AUTHORITY_UNVERIFIED" in out[-1].reason_codes
