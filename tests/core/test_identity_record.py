"""The identity record: every claim kept with when it was made, where the person stood and to whom."""

from __future__ import annotations

from datetime import date

from support import VISITOR_TO_LOBBY, play

PAPERS = """
- id: n1
  at: "09:02"
  type: identify
  person: vic
  name: Frank Jacson
  birth_date: 1904-02-13
  document: {kind: passport, country: CA, number: JX1940817, expiry: 2030-01-01}
  vehicle: Buick 1938
  by: g1
"""


def test_each_claim_is_kept_with_when_where_and_to_whom() -> None:
    state, _ = play(VISITOR_TO_LOBBY + PAPERS)
    identity = state.identities["vic"]
    said = [(p.kind, p.value, p.where, p.to, p.at.strftime("%H:%M")) for p in identity.presented]
    assert said == [
        ("name", "Frank Jacson", "lobby", "g1", "09:02"),
        ("document", "passport CA JX1940817", "lobby", "g1", "09:02"),
        ("birth date", "1904-02-13", "lobby", "g1", "09:02"),
        ("vehicle", "Buick 1938", "lobby", "g1", "09:02"),
    ]
    assert identity.documents[0].expiry == date(2030, 1, 1)


def test_claims_made_before_arriving_have_no_place_and_may_have_no_taker() -> None:
    state, _ = play('- {id: n1, at: "2024-06-03T08:00", type: identify, person: vic, phone: "+52 55 1234"}\n')
    (claim,) = state.identities["vic"].presented
    assert (claim.kind, claim.where, claim.to) == ("phone", None, None)
