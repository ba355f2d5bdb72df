"""NOT_PERMITTED: lead-only and principal-only actions have no effect from anyone else."""

import pytest

from support import codes, play


@pytest.mark.parametrize(
    "event",
    [
        "{id: x1, at: '2024-06-03T09:00', type: vet, person: vic, by: g1, clearance: trusted}",
        "{id: x1, at: '2024-06-03T09:00', type: concern, person: vic, by: g1, open: true}",
        "{id: x1, at: '2024-06-03T09:00', type: all_clear, by: g1}",
        "{id: x1, at: '2024-06-03T09:00', type: waive, by: lead, for: vic, rules: [NOT_SCREENED]}",
        "{id: x1, at: '2024-06-03T09:00', type: invite, by: vic2, person: vic}",
    ],
)
def test_fires_and_changes_nothing(event: str) -> None:
    state, out = play(f"- {event}\n")
    (alert,) = out[0].alerts
    assert (alert.code, alert.severity.label) == ("NOT_PERMITTED", "warning")
    assert not state.of_concern("vic") and "vic" not in state.waivers and "vic" not in state.invitations
    assert "vic" not in state.people or state.person("vic").clearance.label == "none"
    assert state.lockdown is None


def test_a_lead_may_vet() -> None:
    state, out = play("- {id: x1, at: '2024-06-03T09:00', type: vet, person: vic, by: lead, clearance: trusted}\n")
    assert codes(out[0]) == [] and state.person("vic").clearance.label == "trusted"
    assert not state.person("vic").is_visitor
