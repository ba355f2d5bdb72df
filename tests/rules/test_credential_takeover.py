"""A guard takes over no one's card by revoking it first (NOT_PERMITTED).

Found by attacking the doors with a guard's sign-in: a guard may revoke any credential, and could
then hand out its id (the number printed in the holder's card) as a visitor's card: the card in
a lead's pocket, or a lost one, would open doors again, as someone else. A guard hands out again
only the gate's visitor cards; a lead may issue any id.
"""

from rules.readers_site import CARDS, readers_state
from support import codes, play

LEAD_CARD = '- {id: k-lead, at: "08:00", type: credential, person: lead, credential: c-lead, kind: card, by: lead}\n'
VISITOR = '- {id: i1, at: "08:30", type: invite, by: res, person: vic}\n'


def test_fires_for_a_guard_handing_out_a_leads_card_they_revoked() -> None:
    text = (
        CARDS
        + LEAD_CARD
        + VISITOR
        + """
- {id: x1, at: "09:00", type: revoke, credential: c-lead, by: g1}
- {id: k1, at: "09:01", type: credential, person: vic, credential: c-lead, kind: card, by: g1}
"""
    )
    state, out = play(text, readers_state())
    assert out[-2].alerts == (), "a guard may revoke it"
    assert codes(out[-1]) == ["NOT_PERMITTED"]
    assert state.credentials["c-lead"].holder == "lead"
    assert "vic" not in state.credentials_of


def test_fires_for_a_guard_handing_out_a_staff_card_past_its_end() -> None:
    text = (
        CARDS
        + """
- {id: k2, at: "08:00", type: credential, person: cook, credential: c-old, kind: card, by: lead, until: "08:30"}
"""
        + VISITOR
        + '- {id: k1, at: "09:01", type: credential, person: vic, credential: c-old, kind: card, by: g1}\n'
    )
    state, out = play(text, readers_state())
    assert codes(out[-1]) == ["NOT_PERMITTED"]
    assert state.credentials["c-old"].holder == "cook"


def test_a_guard_hands_out_a_revoked_visitor_card_again() -> None:
    text = (
        VISITOR.replace('"08:30"', '"2024-06-03T08:30"')
        + """
- {id: k1, at: "09:00", type: credential, person: vic, credential: c-v01, kind: card, by: g1}
- {id: x1, at: "09:30", type: revoke, credential: c-v01, by: g1}
- {id: k2, at: "09:31", type: credential, person: val, credential: c-v01, kind: card, by: g1}
"""
    )
    state, out = play(text, readers_state())
    assert out[-1].alerts == ()
    assert state.credentials["c-v01"].holder == "val"


def test_a_lead_may_issue_a_revoked_staff_card_to_a_visitor() -> None:
    text = (
        CARDS
        + VISITOR
        + """
- {id: x1, at: "09:00", type: revoke, credential: c-cook, by: lead}
- {id: k1, at: "09:01", type: credential, person: vic, credential: c-cook, kind: card, by: lead}
"""
    )
    state, out = play(text, readers_state())
    assert out[-1].alerts == ()
    assert state.credentials["c-cook"].holder == "vic"
