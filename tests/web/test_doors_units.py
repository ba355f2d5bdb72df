"""The console's door pieces that need no server: a credential's state, who held a card when,
what a simulated reader is given, and what is kept from whom (DURESS)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from gatewatch.core.state import CredentialRecord
from gatewatch.devices.base import Answer
from gatewatch.service.permissions import Actor, UserRole
from gatewatch.store.credential_trail import Issuance, Span, held_spans
from gatewatch.views.discretion import hidden_from, outcome_for, outcome_without, payload_for
from gatewatch.web.credential_file import state_of, until_words
from gatewatch.web.door_panel import NotPresented, light, presented_card

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def card(**fields: object) -> CredentialRecord:
    return CredentialRecord(holder="vic", kind="card", issued="c1", **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("record", "said"),
    [
        (card(), "valid"),
        (card(day=NOON.date()), "valid"),
        (card(day=NOON.date() - timedelta(days=1)), "expired"),
        (card(until=NOON - timedelta(minutes=1)), "expired"),
        (card(until=NOON + timedelta(minutes=1)), "valid"),
        (card(day=NOON.date(), lapsed=True), "lapsed"),
        (card(day=NOON.date(), lapsed=True, revoked="r1"), "revoked"),
    ],
)
def test_a_credentials_state(record: CredentialRecord, said: str) -> None:
    assert state_of(record, NOON) == said


def test_a_credentials_end_in_words() -> None:
    assert until_words(card(), UTC) == "no end"
    assert until_words(card(day=date(2026, 3, 2)), UTC) == "the end of 2026-03-02 or their leaving"
    both = until_words(card(day=date(2026, 3, 2), until=NOON), UTC)
    assert both == "2026-03-02 12:00, or the end of 2026-03-02 or their leaving, whichever comes first"


def issued(seq: int, credential: str, person: str, refused: bool = False) -> Issuance:
    return Issuance(seq, f"e{seq}", "2026-03-02T12:00:00+00:00", credential, person, "lead", "card", refused)


def test_a_card_is_held_from_its_issue_until_it_is_issued_to_someone_else() -> None:
    history = [
        issued(3, "V-1", "vic"),
        issued(7, "V-1", "vic"),  # issued again to her: still hers
        issued(9, "V-1", "cook"),
        issued(12, "V-1", "ann", refused=True),  # refused: it changed nothing
        issued(15, "V-1", "vic"),
        issued(20, "C-2", "cook"),
    ]
    assert held_spans(reversed(history), "vic") == [Span("V-1", 3, 9), Span("V-1", 15, None)]
    assert held_spans(history, "cook") == [Span("V-1", 9, 15), Span("C-2", 20, None)]
    assert held_spans(history, "ann") == []


def test_a_card_at_a_simulated_reader_is_read_as_a_reader_reads_it() -> None:
    assert presented_card("  C-7 ", "") == ("C-7", None)
    assert presented_card("C-7", " 1234 ") == ("C-7", "1234")
    for number, pin, field in (("", "", "credential"), ("C\x00", "", "credential"), ("C" * 201, "", "credential")):
        with pytest.raises(NotPresented, match=f"field '{field}'"):
            presented_card(number, pin)
    for pin in ("123", "12a4", "1" * 13, "١٢٣٤"):  # too short, not digits, too long, not ASCII digits
        with pytest.raises(NotPresented, match="field 'pin'"):
            presented_card("C-7", pin)


def test_a_reader_shows_green_for_a_grant_and_red_for_anything_else() -> None:
    assert light(Answer("outer", True, 2.0, True)) == "green"
    assert light(Answer("outer", False, 0.0, True)) == "red"
    assert light(Answer.refused("outer")) == "red"


GUARD = Actor("gus", UserRole.GUARD, "g1")
LEAD = Actor("lena", UserRole.LEAD, "lead")
OUTCOME = {
    "event": "b1",
    "type": "badge",
    "decision": "grant",
    "alerts": [{"code": "DURESS", "severity": "critical"}, {"code": "PASSBACK", "severity": "warning"}],
}


@pytest.mark.parametrize("role", list(UserRole))
def test_only_leads_and_admins_are_shown_duress(role: UserRole) -> None:
    shown = "DURESS" not in hidden_from(Actor("someone", role, None))
    assert shown == (role in (UserRole.LEAD, UserRole.ADMIN))


def test_an_outcome_as_a_guard_and_a_lead_are_shown_it() -> None:
    assert [a["code"] for a in outcome_for(OUTCOME, GUARD)["alerts"]] == ["PASSBACK"]
    assert outcome_for(OUTCOME, LEAD) is OUTCOME
    plain = {**OUTCOME, "alerts": [{"code": "PASSBACK"}]}
    assert outcome_without(plain, frozenset({"DURESS"})) is plain  # nothing to take out: the same answer
    assert OUTCOME["alerts"][0]["code"] == "DURESS"  # the record's outcome is untouched


def test_a_duress_pin_reads_as_the_right_one_to_a_guard() -> None:
    badge = {"type": "badge", "reader": "outer-out", "credential": "C-d", "pin_given": "duress"}
    assert payload_for(badge, GUARD) == {**badge, "pin_given": "right"}
    assert payload_for(badge, LEAD) is badge
    assert payload_for(None, GUARD) is None
