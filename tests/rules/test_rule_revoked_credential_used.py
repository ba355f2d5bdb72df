"""REVOKED_CREDENTIAL_USED: a revoked credential presented anywhere is reported, naming its holder."""

from rules.readers_site import CARDS, readers_state
from support import alerts_named, codes, play

REVOKED = CARDS + '- {id: x1, at: "09:00", type: revoke, credential: c-cook, by: lead, reason: lost}\n'


def test_fires_when_a_revoked_card_is_presented() -> None:
    text = (
        REVOKED
        + """
- {id: m1, at: "09:01", type: move, people: [cook], to: yard}
- {id: b1, at: "09:02", type: badge, reader: front-out, credential: c-cook}
"""
    )
    _, out = play(text, readers_state())
    (alert,) = alerts_named(out[-1:], "REVOKED_CREDENTIAL_USED")
    assert alert.severity.label == "high"
    assert alert.people == ("cook",)
    assert "front" in alert.places and "front-out" in alert.places


def test_fires_at_an_inside_reader_too_though_it_opens() -> None:
    text = REVOKED + '- {id: b1, at: "09:02", type: badge, reader: front-in, credential: c-cook}\n'
    _, out = play(text, readers_state())
    assert out[-1].decision == "grant"
    assert codes(out[-1]) == ["REVOKED_CREDENTIAL_USED"]


def test_quiet_for_a_card_that_is_not_revoked() -> None:
    text = (
        REVOKED
        + """
- {id: m1, at: "09:01", type: move, people: [aide], to: yard}
- {id: b1, at: "09:02", type: badge, reader: front-out, credential: c-aide}
"""
    )
    _, out = play(text, readers_state())
    assert out[-1].decision == "grant"
    assert out[-1].alerts == ()


def test_quiet_for_an_unknown_card() -> None:
    """A card never issued names nobody: there is no holder to report."""
    text = REVOKED + '- {id: b1, at: "09:02", type: badge, reader: front-out, credential: c-gone}\n'
    _, out = play(text, readers_state())
    assert out[-1].alerts == ()
