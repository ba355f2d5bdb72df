"""The roles and the rule that everyone acts as themselves: each refusal, and its near miss."""

from __future__ import annotations

import pytest

from gatewatch.core import events as ev
from gatewatch.service.permissions import Actor, Refused, UserRole, check_event
from support import START

GUARD = Actor("gus", UserRole.GUARD, "g1")
LEAD = Actor("lena", UserRole.LEAD, "lead")
ANALYST = Actor("ada", UserRole.ANALYST, "aide")
ADMIN = Actor("root", UserRole.ADMIN, None)


def vet(by: str) -> ev.Vet:
    return ev.Vet(id="v1", at=START, person="vic", by=by, clearance="known")


def override(by: str, approved_by: str | None) -> ev.Override:
    return ev.Override(id="o1", at=START, request="r1", by=by, approved_by=approved_by)


def test_a_guard_may_not_vet() -> None:
    with pytest.raises(Refused, match="needs a lead"):
        check_event(GUARD, vet("g1"))


def test_a_lead_may_vet() -> None:
    check_event(LEAD, vet("lead"))


def test_an_actor_must_be_the_user() -> None:
    with pytest.raises(Refused, match="nobody may act as someone else"):
        check_event(LEAD, vet("boss"))


def test_a_user_without_a_person_cannot_name_an_actor_but_may_report_a_fact() -> None:
    with pytest.raises(Refused, match="no person on the site"):
        check_event(ADMIN, vet("lead"))
    check_event(ADMIN, ev.Weather(id="w1", at=START, temp_c=30))


def test_an_override_approved_by_another_needs_their_signature() -> None:
    with pytest.raises(Refused, match="must sign"):
        check_event(GUARD, override("g1", "lead"))
    check_event(GUARD, override("g1", "lead"), approver=LEAD)


def test_only_a_lead_signs_an_override() -> None:
    with pytest.raises(Refused, match="only a lead may approve"):
        check_event(GUARD, override("g1", "aide"), approver=ANALYST)
    check_event(GUARD, override("g1", None))


def test_a_guard_may_raise_a_concern_but_not_clear_one() -> None:
    with pytest.raises(Refused, match="may not clear a concern"):
        check_event(GUARD, ev.Concern(id="c1", at=START, person="vic", by="g1", open=False))
    check_event(GUARD, ev.Concern(id="c1", at=START, person="vic", by="g1", open=True))


def test_only_a_lead_ends_a_lockdown() -> None:
    with pytest.raises(Refused):
        check_event(GUARD, ev.AllClear(id="x", at=START, by="g1"))
    check_event(LEAD, ev.AllClear(id="x", at=START, by="lead"))


def test_an_analyst_works_on_people_not_doors() -> None:
    with pytest.raises(Refused, match="another role"):
        check_event(ANALYST, ev.Open(id="d", at=START, door="front", by="aide"))
    check_event(ANALYST, ev.Vet(id="v", at=START, person="vic", by="aide", clearance="visitor"))


def post(on_duty: tuple[str, ...] = (), off_duty: tuple[str, ...] = ()) -> ev.PostChange:
    return ev.PostChange(id="p1", at=START, post="gate", on_duty=on_duty, off_duty=off_duty)


def test_a_guard_may_not_put_another_guard_on_post() -> None:
    with pytest.raises(Refused, match=r'on_duty names "g2".*ask a lead') as refused:
        check_event(GUARD, post(on_duty=("g1", "g2")))
    assert refused.value.field == "on_duty"


def test_a_guard_may_not_take_another_guard_off_post() -> None:
    with pytest.raises(Refused, match='off_duty names "g2"') as refused:
        check_event(GUARD, post(off_duty=("g2",)))
    assert refused.value.field == "off_duty"


def test_a_guard_puts_themselves_on_post_and_takes_themselves_off() -> None:
    check_event(GUARD, post(on_duty=("g1",)))
    check_event(GUARD, post(off_duty=("g1",)))


def test_a_guard_without_a_person_posts_nobody() -> None:
    with pytest.raises(Refused, match="no person on the site"):
        check_event(Actor("temp", UserRole.GUARD, None), post(on_duty=("g1",)))


def test_a_lead_or_an_admin_posts_anyone() -> None:
    check_event(LEAD, post(on_duty=("g1", "g2"), off_duty=("lead",)))
    check_event(ADMIN, post(on_duty=("g2",)))


def test_an_analyst_does_not_post_guards() -> None:
    with pytest.raises(Refused, match="another role"):
        check_event(ANALYST, post(on_duty=("aide",)))
