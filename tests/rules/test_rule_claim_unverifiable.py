"""CLAIM_UNVERIFIABLE: a claim nobody could check is a warning, and nothing rests on it."""

from support import codes, play


def test_fires_for_an_unverifiable_claim() -> None:
    state, out = play(
        '- {id: v1, at: "2024-06-03T09:00", type: verify, person: vic, claim: address, result: unverifiable, by: g1}\n'
    )
    (alert,) = out[0].alerts
    assert (alert.code, alert.severity.label) == ("CLAIM_UNVERIFIABLE", "warning")
    assert not state.of_concern("vic")


def test_quiet_for_a_confirmed_claim() -> None:
    _, out = play(
        '- {id: v1, at: "2024-06-03T09:00", type: verify, person: vic, claim: address, result: confirmed, by: g1}\n'
    )
    assert codes(out[0]) == []
