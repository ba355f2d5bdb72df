"""OVERRIDE / OVERRIDE_UNAPPROVED: a denied request opens only with another lead's approval."""

from support import codes, play

DENIED = """
- {id: p1, at: "2024-06-03T08:55", type: post, post: gate, on_duty: [g1]}
- {id: a1, at: "09:00", type: arrive, people: [vic], door: outer}
- {id: r1, at: "09:00", type: request, door: outer, by: g1, for: [vic]}
"""
THROUGH = """
- {id: o1, at: "09:02", type: open, door: outer}
- {id: m1, at: "09:02", type: move, people: [vic], to: lobby}
"""


def override(approver: str = "", by: str = "g1") -> str:
    approved = f", approved_by: {approver}" if approver else ""
    return f'- {{id: x1, at: "09:01", type: override, request: r1, by: {by}{approved}}}\n'


def test_an_override_approved_by_a_lead_is_a_grant() -> None:
    _, out = play(DENIED + override("lead") + THROUGH)
    assert out[2].decision == "deny"
    (alert,) = out[3].alerts
    assert (alert.code, alert.severity.label) == ("OVERRIDE", "high")
    assert codes(out[4]) == [] and codes(out[5]) == []


def test_an_override_approved_by_a_lead_opens_even_in_lockdown() -> None:
    lockdown = '- {id: f0, at: "08:58", type: open, door: side}\n'
    text = DENIED.replace("- {id: a1", lockdown + "- {id: a1") + override("lead") + THROUGH
    _, out = play(text)
    assert "LOCKDOWN" in out[3].reason_codes
    assert codes(out[-2]) == [] and codes(out[-1]) == []


def test_unapproved_without_an_approver() -> None:
    _, out = play(DENIED + override() + THROUGH)
    assert codes(out[3]) == ["OVERRIDE_UNAPPROVED"]
    assert "no lead approved it" in out[3].alerts[0].message
    assert codes(out[4]) == ["DOOR_FORCED"]


def test_unapproved_by_someone_who_is_not_a_lead() -> None:
    _, out = play(DENIED + override("g2"))
    assert "Gina Guard is not a lead" in out[-1].alerts[0].message


def test_a_lead_cannot_approve_their_own_override() -> None:
    _, out = play(DENIED + override("lead", by="lead"))
    assert codes(out[-1]) == ["OVERRIDE_UNAPPROVED"]


def test_an_override_counts_once() -> None:
    second = '- {id: x2, at: "09:01", type: override, request: r1, by: g1, approved_by: lead}\n'
    state, out = play(DENIED + override("lead") + second)
    assert codes(out[-1]) == [] and "r1" not in state.requests


def test_overriding_a_granted_request_changes_nothing() -> None:
    granted = DENIED.replace("{id: a1,", '{id: i1, at: "08:59", type: invite, by: res, person: vic}\n- {id: a1,')
    _, out = play(granted + override("lead"))
    assert out[-2].decision == "grant" and codes(out[-1]) == []
