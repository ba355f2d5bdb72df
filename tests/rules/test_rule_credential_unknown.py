"""CREDENTIAL_UNKNOWN: a card no credential has opens nothing, names nobody, and is judged for nothing else."""

from rules.readers_site import CARDS, readers_state
from support import play


def test_fires_for_a_card_nobody_was_issued() -> None:
    text = CARDS + '- {id: b1, at: "09:00", type: badge, reader: front-out, credential: c-nobody}\n'
    _, out = play(text, readers_state())
    assert out[-1].decision == "deny"
    assert out[-1].reason_codes == ("CREDENTIAL_UNKNOWN",)
    assert out[-1].reasons[0].people == ()
    assert "c-nobody" in out[-1].reasons[0].explanation


def test_quiet_for_an_issued_card() -> None:
    text = (
        CARDS
        + """
- {id: m1, at: "09:00", type: move, people: [cook], to: yard}
- {id: b1, at: "09:01", type: badge, reader: front-out, credential: c-cook}
"""
    )
    _, out = play(text, readers_state())
    assert out[-1].decision == "grant"
    assert out[-1].alerts == ()


def test_nothing_else_is_judged_even_in_lockdown() -> None:
    text = (
        CARDS
        + """
- {id: d1, at: "09:00", type: device, device: outer-out, status: tamper}
- {id: b1, at: "09:01", type: badge, reader: outer-out, credential: c-nobody}
"""
    )
    state, out = play(text, readers_state())
    assert state.lockdown is not None
    assert out[-1].reason_codes == ("CREDENTIAL_UNKNOWN",)


def test_an_unknown_card_does_not_open_an_inside_reader() -> None:
    """Going out is free for any credential but an unknown one."""
    text = CARDS + '- {id: b1, at: "09:00", type: badge, reader: front-in, credential: c-nobody}\n'
    _, out = play(text, readers_state())
    assert out[-1].decision == "deny"
    assert out[-1].reason_codes == ("CREDENTIAL_UNKNOWN",)


def test_a_credential_refused_at_issue_stays_unknown() -> None:
    text = """
- {id: k1, at: "2024-06-03T08:00", type: credential, person: cook, credential: c-x, kind: card, by: g1}
- {id: m1, at: "09:00", type: move, people: [cook], to: yard}
- {id: b1, at: "09:01", type: badge, reader: front-out, credential: c-x}
"""
    _, out = play(text, readers_state())
    assert [a.code.value for a in out[0].alerts] == ["NOT_PERMITTED"]
    assert out[-1].reason_codes == ("CREDENTIAL_UNKNOWN",)
