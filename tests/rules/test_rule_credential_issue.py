"""NOT_PERMITTED for credentials: a lead issues any; a guard only a visitor's, and takes over no id
another holds; a guard or lead revokes. Anyone else's attempt has no effect."""

from rules.readers_site import CARDS, readers_state
from support import codes, play

VISITOR_AT_SIDE = """
- {id: i1, at: "2024-06-03T08:30", type: invite, by: res, person: vic}
- {id: a1, at: "09:00", type: arrive, people: [vic], door: outer}
"""


def test_a_guard_issues_a_visitors_credential() -> None:
    text = (
        VISITOR_AT_SIDE
        + """
- {id: k1, at: "09:01", type: credential, person: vic, credential: c-vic, kind: card, by: g1}
- {id: b1, at: "09:02", type: badge, reader: outer-out, credential: c-vic}
"""
    )
    state, out = play(text, readers_state())
    assert out[-2].alerts == ()
    assert state.credentials["c-vic"].holder == "vic"
    assert out[-1].decision == "grant"


def test_fires_for_a_guard_issuing_a_residents_credential() -> None:
    text = '- {id: k1, at: "2024-06-03T09:00", type: credential, person: res, credential: c-r2, kind: card, by: g1}\n'
    state, out = play(text, readers_state())
    assert codes(out[-1]) == ["NOT_PERMITTED"]
    assert out[-1].alerts[0].people == ("g1",)
    assert "c-r2" not in state.credentials


def test_fires_for_a_guard_taking_over_anothers_id() -> None:
    text = (
        CARDS
        + VISITOR_AT_SIDE.replace('"2024-06-03T08:30"', '"08:30"')
        + """
- {id: k1, at: "09:01", type: credential, person: vic, credential: c-cook, kind: card, by: g1}
"""
    )
    state, out = play(text, readers_state())
    assert codes(out[-1]) == ["NOT_PERMITTED"]
    assert state.credentials["c-cook"].holder == "cook"
    assert state.credentials_of["cook"] == ("c-cook",)
    assert "vic" not in state.credentials_of


def test_a_guard_may_reuse_a_revoked_visitor_card_for_a_visitor() -> None:
    """Only a visitor's card: a revoked staff card is not a guard's to hand out (test_credential_takeover)."""
    text = (
        CARDS
        + """
- {id: k-val, at: "08:10", type: credential, person: val, credential: c-v09, kind: card, by: g1}
- {id: x1, at: "08:30", type: revoke, credential: c-v09, by: lead}
- {id: i1, at: "08:30", type: invite, by: res, person: vic}
- {id: k1, at: "09:01", type: credential, person: vic, credential: c-v09, kind: card, by: g1}
"""
    )
    state, out = play(text, readers_state())
    assert out[-1].alerts == ()
    assert state.credentials["c-v09"].holder == "vic"
    assert "val" not in state.credentials_of


def test_a_guard_may_hand_out_yesterdays_visitor_card_again() -> None:
    """The gate's visitor cards are reused: one whose day is over, or whose holder left, is free."""
    text = """
- {id: k1, at: "2024-06-03T09:00", type: credential, person: vic, credential: c-v07, kind: card, by: g1}
- {id: k2, at: "09:00", type: credential, person: val, credential: c-v08, kind: card, by: g1}
- {id: l1, at: "17:00", type: leave, people: [val]}
- {id: k3, at: "17:01", type: credential, person: ann, credential: c-v08, kind: card, by: g1}
- {id: k4, at: "2024-06-04T09:00", type: credential, person: bob, credential: c-v07, kind: card, by: g1}
"""
    state, out = play(text, readers_state())
    assert [o.alerts for o in out[-2:]] == [(), ()]
    assert (state.credentials["c-v08"].holder, state.credentials["c-v07"].holder) == ("ann", "bob")
    assert "vic" not in state.credentials_of and "val" not in state.credentials_of


def test_fires_for_a_guard_taking_over_a_visitor_card_still_in_use() -> None:
    text = """
- {id: k1, at: "2024-06-03T09:00", type: credential, person: vic, credential: c-v07, kind: card, by: g1}
- {id: k2, at: "23:59", type: credential, person: bob, credential: c-v07, kind: card, by: g1}
"""
    state, out = play(text, readers_state())
    assert codes(out[-1]) == ["NOT_PERMITTED"]
    assert state.credentials["c-v07"].holder == "vic"


def test_a_lead_issues_anyones() -> None:
    text = '- {id: k1, at: "2024-06-03T09:00", type: credential, person: res, credential: c-r2, kind: card, by: lead}\n'
    state, out = play(text, readers_state())
    assert out[-1].alerts == ()
    assert state.credentials["c-r2"].holder == "res"


def test_fires_for_staff_revoking() -> None:
    text = (
        CARDS
        + """
- {id: x1, at: "09:00", type: revoke, credential: c-aide, by: cook}
- {id: m1, at: "09:01", type: move, people: [aide], to: yard}
- {id: b1, at: "09:02", type: badge, reader: front-out, credential: c-aide}
"""
    )
    state, out = play(text, readers_state())
    assert codes(out[-3]) == ["NOT_PERMITTED"]
    assert out[-3].alerts[0].people == ("cook",)
    assert state.credentials["c-aide"].revoked is None
    assert out[-1].decision == "grant"


def test_a_guard_revokes() -> None:
    text = CARDS + '- {id: x1, at: "09:00", type: revoke, credential: c-aide, by: g2}\n'
    state, out = play(text, readers_state())
    assert out[-1].alerts == ()
    assert state.credentials["c-aide"].revoked == "x1"
