"""CLAIM_FAILED: a claim disproved by an independent check makes its maker of concern."""

from support import codes, play


def test_fires_for_a_failed_claim() -> None:
    state, out = play(
        '- {id: v1, at: "2024-06-03T09:00", type: verify, person: vic, claim: employer, result: failed, by: g1}\n'
    )
    (alert,) = out[0].alerts
    assert (alert.code, alert.severity.label, alert.people) == ("CLAIM_FAILED", "high", ("vic",))
    assert state.of_concern("vic")


def test_quiet_for_a_confirmed_claim() -> None:
    state, out = play(
        '- {id: v1, at: "2024-06-03T09:00", type: verify, person: vic, claim: employer, result: confirmed, by: g1}\n'
    )
    assert codes(out[0]) == [] and not state.of_concern("vic")
