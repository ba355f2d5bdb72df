"""PERSON_OF_CONCERN: nobody of concern goes further in until a lead clears them."""

from support import VISITOR_TO_LOBBY, play

SCREENED = VISITOR_TO_LOBBY + '- {id: s1, at: "09:02", type: screen, person: vic, by: g1, result: clear}\n'
REQUEST = '- {id: r2, at: "09:05", type: request, door: inner, by: g1, for: [vic]}\n'
CONCERN = '- {id: k1, at: "09:03", type: concern, person: vic, by: lead, open: true}\n'


def test_fires_for_an_open_concern() -> None:
    _, out = play(SCREENED + CONCERN + REQUEST)
    assert out[-1].reason_codes == ("PERSON_OF_CONCERN",)
    assert "concern opened by lead at k1" in out[-1].reasons[0].explanation


def test_fires_after_a_failed_claim_and_cannot_be_waived() -> None:
    text = (
        SCREENED
        + """
- {id: v1, at: "09:03", type: verify, person: vic, claim: employer, result: failed, by: g1}
- {id: w1, at: "09:04", type: waive, by: boss, for: vic, rules: [NOT_SCREENED]}
"""
    )
    _, out = play(text + REQUEST)
    assert out[-1].reason_codes == ("PERSON_OF_CONCERN",)


def test_quiet_once_a_lead_clears_the_concern() -> None:
    clear = '- {id: k2, at: "09:04", type: concern, person: vic, by: lead, open: false}\n'
    _, out = play(SCREENED + CONCERN + clear + REQUEST)
    assert out[-1].decision == "grant"


def test_quiet_below_the_concern_level() -> None:
    text = """
- {id: p1, at: "2024-06-03T08:55", type: post, post: gate, on_duty: [g1]}
- {id: i1, at: "08:56", type: invite, by: res, person: vic}
- {id: k1, at: "08:57", type: concern, person: vic, by: lead, open: true}
- {id: a1, at: "09:00", type: arrive, people: [vic], door: outer}
- {id: r1, at: "09:00", type: request, door: outer, by: g1, for: [vic]}
"""
    _, out = play(text)
    assert out[-1].decision == "grant"
