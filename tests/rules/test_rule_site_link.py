"""SITE_LINK: head office found the same document, phone or vehicle here and at another site.

Each case beside its near miss: the link that fires, and the link refused before anything is
decided (a kind head office never links, a link without its number or its time's offset); the
event shown to leads, analysts and admins, and never to a guard."""

from __future__ import annotations

import pytest

from gatewatch.core import events as ev
from gatewatch.core import retention
from gatewatch.core.errors import InvalidInput
from gatewatch.service.permissions import Actor, Refused, UserRole, check_event, check_shown
from support import START, events, play

MORNARD = """
- id: i1
  at: "2024-06-03T09:00"
  type: identify
  person: mornard
  name: Jacques Mornard
  document: {kind: passport, country: BE, number: "JX 1940817"}
"""


def link(person: str = "mornard", kind: str = "document", **more: str) -> str:
    fields = {
        "id": "hq-link-7",
        "at": '"09:10"',
        "type": "site_link",
        "person": person,
        "kind": kind,
        "link": "7",
        "other_site": "lyon",
        "other_person": "p-9",
        "other_name": "Frank Jacson",
        "other_at": '"2024-06-02T14:05:00+02:00"',
        **more,
    }
    return "- {" + ", ".join(f"{name}: {value}" for name, value in fields.items() if value) + "}\n"


def test_the_same_papers_at_another_site_names_both_and_makes_the_person_here_of_concern() -> None:
    state, outcomes = play(MORNARD + link())
    (alert,) = outcomes[-1].alerts
    assert (alert.code.value, alert.severity.label, alert.people) == ("SITE_LINK", "high", ("mornard",))
    for said in ("the same document", "Jacques Mornard (mornard)", "Frank Jacson (p-9) at site lyon", "link 7"):
        assert said in alert.message
    assert "on 2024-06-02 14:05 UTC+02:00 (link 7)" in alert.message
    assert state.concerns["mornard"] == ("SITE_LINK at hq-link-7",)


def test_a_shared_phone_at_another_site_is_said_without_concern() -> None:
    state, outcomes = play(MORNARD + link(kind="phone", other_name=""))
    (alert,) = outcomes[-1].alerts
    assert alert.code.value == "SITE_LINK" and "the same phone number" in alert.message
    assert "by p-9 at site lyon" in alert.message
    assert not state.of_concern("mornard")


def test_a_person_the_record_no_longer_knows_is_linked_and_the_alert_says_so() -> None:
    state, outcomes = play(link(person="v-17"))
    (alert,) = outcomes[-1].alerts
    assert "v-17, whom this site's record no longer knows" in alert.message
    assert "v-17" not in state.people  # the link brought no one to the site
    assert not state.of_concern("v-17")


def test_a_person_whose_identity_was_forgotten_is_linked_and_the_alert_says_so() -> None:
    known, _ = play(MORNARD)
    state, outcomes = play(link(), retention.forget(known, ["mornard"]))
    (alert,) = outcomes[-1].alerts
    assert "mornard, whose identity this site's record no longer holds" in alert.message
    assert state.of_concern("mornard")  # still a person on record: the same papers make them of concern


def test_near_miss_the_other_site_s_person_is_no_one_here() -> None:
    """``p-9`` is the other site's id: a person of that id here is neither named nor made of concern."""
    others = "- {id: r1, at: '2024-06-03T08:00', type: identify, person: p-9, name: Pia Local}\n"
    state, outcomes = play(others + MORNARD + link())
    assert outcomes[-1].alerts[0].people == ("mornard",)
    assert "Pia Local" not in outcomes[-1].alerts[0].message
    assert not state.of_concern("p-9")


@pytest.mark.parametrize(
    ("changed", "words"),
    [
        ({"kind": "address"}, ["field 'kind'", "'address' is not allowed here; one of: document, phone, vehicle"]),
        ({"link": "0"}, ["link", "must be a whole number from 1"]),
        ({"other_at": '"2024-06-02T14:05:00"'}, ["other_at", "timezone"]),
        ({"other_site": ""}, ["missing", "other_site"]),
    ],
)
def test_near_miss_a_link_that_is_not_one_is_refused_before_anything_is_decided(
    changed: dict[str, str], words: list[str]
) -> None:
    with pytest.raises(InvalidInput) as raised:
        events(MORNARD + link(**changed))
    for word in words:
        assert word in str(raised.value)


AT_THE_GATE = """
- {id: a1, at: "09:20", type: arrive, people: mornard, door: outer}
- {id: r1, at: "09:21", type: request, door: inner, by: g1, for: mornard}
"""


def test_after_a_link_on_papers_the_person_is_not_admitted_further_in_until_a_lead_checks() -> None:
    _, outcomes = play(MORNARD + link() + AT_THE_GATE)
    assert outcomes[-1].decision == "deny" and "PERSON_OF_CONCERN" in outcomes[-1].reason_codes


def test_near_miss_after_a_link_on_a_phone_the_request_is_decided_as_before() -> None:
    _, linked = play(MORNARD + link(kind="phone") + AT_THE_GATE)
    _, unlinked = play(MORNARD + AT_THE_GATE)
    assert "PERSON_OF_CONCERN" not in linked[-1].reason_codes
    assert linked[-1].reason_codes == unlinked[-1].reason_codes


GUARD = Actor("gus", UserRole.GUARD, "g1")
DEVICE = Actor("reader", UserRole.DEVICE, None)
READERS = [
    Actor("lena", UserRole.LEAD, "lead"),
    Actor("ada", UserRole.ANALYST, "aide"),
    Actor("root", UserRole.ADMIN, "boss"),
]


def test_a_link_is_shown_to_leads_analysts_and_admins_and_never_to_a_guard() -> None:
    for user in (GUARD, DEVICE):
        with pytest.raises(Refused, match="links to other sites are for leads, analysts and admins"):
            check_shown(user, "site_link")
    for user in READERS:
        check_shown(user, "site_link")
    check_shown(GUARD, "identify")  # near miss: the events of the doors are still shown


@pytest.mark.parametrize("user", READERS)
def test_a_link_is_never_submitted_even_by_a_lead(user: Actor) -> None:
    event = ev.SiteLink(
        id="l1", at=START, person="mornard", kind="vehicle", link=1, other_site="lyon", other_person="p", other_at=START
    )
    with pytest.raises(Refused, match="the site's sync as head office's links arrive"):
        check_event(user, event)
