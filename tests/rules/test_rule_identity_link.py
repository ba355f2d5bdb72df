"""IDENTITY_LINK: a document, phone, vehicle, address or employer already presented by someone else."""

from __future__ import annotations

from support import play

MORNARD = """
- id: i1
  at: "2024-06-03T09:00"
  type: identify
  person: mornard
  name: Jacques Mornard
  document: {kind: passport, country: BE, number: "JX 1940817"}
  phone: "+33 1 45 00 12 34"
"""
JACSON_PAPERS = """
- id: i2
  at: "09:10"
  type: identify
  person: jacson
  name: Frank Jacson
  document: {kind: passport, country: BEL, number: jx1940817}
"""


def codes(outcome: object) -> list[str]:
    return [a.code.value for a in outcome.alerts]  # type: ignore[attr-defined]


def test_the_same_passport_under_two_names_links_both_and_makes_them_of_concern() -> None:
    state, outcomes = play(MORNARD + JACSON_PAPERS)
    link = outcomes[-1].alerts[0]
    assert link.code.value == "IDENTITY_LINK" and link.severity.label == "high"
    assert set(link.people) == {"jacson", "mornard"}
    assert "passport BEL jx1940817 with Jacques Mornard (mornard)" in link.message
    assert state.of_concern("jacson") and state.of_concern("mornard")


def test_a_shared_phone_links_them_without_concern() -> None:
    phone = '- {id: i2, at: "09:10", type: identify, person: jacson, phone: "0033 1 45 00 12 34"}\n'
    state, outcomes = play(MORNARD + phone)
    assert codes(outcomes[-1]) == ["IDENTITY_LINK"]
    assert not state.of_concern("jacson")


def test_near_miss_the_same_person_again_or_another_number_is_no_link() -> None:
    again = '- {id: i2, at: "09:05", type: identify, person: mornard, phone: "+33 1 45 00 12 34"}\n'
    other = """
- id: i3
  at: "09:10"
  type: identify
  person: jacson
  document: {kind: passport, country: CA, number: JX1940817}
  phone: "+33 1 45 00 12 35"
"""
    _, outcomes = play(MORNARD + again + other)
    assert codes(outcomes[-2]) == [] and codes(outcomes[-1]) == []
