"""Trust chains: who backed a person, and a standing that rests on vouches alone."""

from __future__ import annotations

from gatewatch.core.trust import Link, link_of, trust_of

VOUCH = Link("vouched", "sylvia", "1940-02-10")
TEA = Link("invited", "natalia", "1940-06-12", "tea")


def test_vouches_and_invitations_alone_are_flagged() -> None:
    found = trust_of("jacson", {"jacson": [VOUCH, TEA]})
    assert found.rests_on_vouches_alone
    assert [b.person for b in found.backers] == ["sylvia", "natalia"]


def test_near_miss_a_vetted_or_confirmed_person_is_not_flagged() -> None:
    vetted = Link("vetted", "hansen", "1940-06-01", "as known")
    confirmed = Link("verified", "hansen", "1940-06-01", "identity: confirmed")
    assert not trust_of("jacson", {"jacson": [VOUCH, vetted]}).rests_on_vouches_alone
    assert not trust_of("jacson", {"jacson": [VOUCH, confirmed]}).rests_on_vouches_alone
    failed = Link("failed", "hansen", "1940-06-01", "employer: failed")
    assert trust_of("jacson", {"jacson": [VOUCH, failed]}).rests_on_vouches_alone


def test_a_circle_of_vouches_ends() -> None:
    facts = {"a": [Link("vouched", "b", "t")], "b": [Link("vouched", "a", "t")]}
    found = trust_of("a", facts)
    assert found.backers[0].person == "b" and found.backers[0].backers[0].cycle


def test_recorded_events_become_links() -> None:
    assert link_of({"type": "vouch", "by": "sylvia", "for": "jacson", "at": "t"}) == (
        "jacson",
        Link("vouched", "sylvia", "t"),
    )
    person, link = link_of(
        {"type": "verify", "person": "p", "by": "g", "claim": "employer", "result": "failed", "at": "t"}
    )
    assert person == "p" and link.kind == "failed"
    assert link_of({"type": "open", "door": "d"}) is None
