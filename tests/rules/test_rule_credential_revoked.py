"""CREDENTIAL_REVOKED: a revoked credential opens nothing from then on (going out stays free)."""

from rules.readers_site import CARDS, readers_state
from support import play

IN_YARD = CARDS + '- {id: m1, at: "09:00", type: move, people: [cook], to: yard}\n'


def test_fires_after_a_revoke() -> None:
    text = (
        IN_YARD
        + """
- {id: x1, at: "09:01", type: revoke, credential: c-cook, by: lead, reason: lost}
- {id: b1, at: "09:02", type: badge, reader: front-out, credential: c-cook}
"""
    )
    state, out = play(text, readers_state())
    assert out[-1].decision == "deny"
    assert out[-1].reason_codes == ("CREDENTIAL_REVOKED",)
    assert out[-1].reasons[0].people == ("cook",)
    assert state.credentials["c-cook"].revoked == "x1"


def test_quiet_when_another_credential_was_revoked() -> None:
    text = (
        IN_YARD
        + """
- {id: x1, at: "09:01", type: revoke, credential: c-aide, by: lead}
- {id: b1, at: "09:02", type: badge, reader: front-out, credential: c-cook}
"""
    )
    _, out = play(text, readers_state())
    assert out[-1].decision == "grant"


def test_quiet_before_the_revoke() -> None:
    text = (
        IN_YARD
        + """
- {id: b1, at: "09:01", type: badge, reader: front-out, credential: c-cook}
- {id: x1, at: "09:02", type: revoke, credential: c-cook, by: lead}
"""
    )
    _, out = play(text, readers_state())
    assert out[-2].decision == "grant"


def test_a_revoked_card_still_lets_its_holder_out() -> None:
    text = (
        CARDS
        + """
- {id: x1, at: "09:01", type: revoke, credential: c-cook, by: g1}
- {id: b1, at: "09:02", type: badge, reader: front-in, credential: c-cook}
"""
    )
    _, out = play(text, readers_state())
    assert out[-1].decision == "grant"
    assert out[-1].reasons == ()


def test_a_credential_issued_again_opens_again() -> None:
    text = (
        IN_YARD
        + """
- {id: x1, at: "09:01", type: revoke, credential: c-cook, by: lead}
- {id: k2, at: "09:02", type: credential, person: cook, credential: c-cook, kind: card, by: lead}
- {id: b1, at: "09:03", type: badge, reader: front-out, credential: c-cook}
"""
    )
    _, out = play(text, readers_state())
    assert out[-1].decision == "grant"
