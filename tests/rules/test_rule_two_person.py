"""TWO_PERSON: into a two-person zone (the vault) only two holders together, badging within ``two_person_s``."""

from rules.readers_site import CARDS, readers_state
from support import alerts_named, play


def _pair(first: str, second: str, credential: str = "c-aide") -> str:
    return (
        CARDS
        + f"""
- {{id: b1, at: "{first}", type: badge, reader: vault-out, credential: c-cook}}
- {{id: b2, at: "{second}", type: badge, reader: vault-out, credential: {credential}}}
"""
    )


def test_the_first_badge_is_denied_and_waits() -> None:
    _, out = play(_pair("2024-06-03T10:00:00", "2024-06-03T10:00:09"), readers_state())
    first = out[-2]
    assert first.decision == "deny"
    assert first.reason_codes == ("TWO_PERSON",)


def test_a_second_holder_within_the_window_opens_for_both() -> None:
    text = (
        _pair("2024-06-03T10:00:00", "2024-06-03T10:00:09")
        + """
- {id: o1, at: "2024-06-03T10:00:12", type: open, door: vault-door}
- {id: m1, at: "2024-06-03T10:00:14", type: move, people: [cook, aide], to: vault}
- {id: c1, at: "2024-06-03T10:00:16", type: close, door: vault-door}
"""
    )
    state, out = play(text, readers_state())
    assert out[-4].decision == "grant"
    assert not alerts_named(out[-3:], "DOOR_FORCED")
    assert not alerts_named(out[-3:], "UNAUTHORIZED_ENTRY")
    assert state.zone_of("cook") == state.zone_of("aide") == "vault"


def test_fires_for_a_second_badge_past_the_window() -> None:
    _, out = play(_pair("2024-06-03T10:00:00", "2024-06-03T10:00:11"), readers_state())
    assert out[-1].decision == "deny"
    assert out[-1].reason_codes == ("TWO_PERSON",)


def test_the_window_is_the_sites() -> None:
    _, out = play(_pair("2024-06-03T10:00:00", "2024-06-03T10:00:11"), readers_state({"two_person_s": 20}))
    assert out[-1].decision == "grant"


def test_one_holder_twice_is_not_two() -> None:
    _, out = play(_pair("2024-06-03T10:00:00", "2024-06-03T10:00:03", "c-cook"), readers_state())
    assert out[-1].reason_codes == ("TWO_PERSON",)


def test_a_first_badge_denied_for_more_does_not_wait() -> None:
    text = (
        CARDS
        + """
- {id: x1, at: "2024-06-03T09:00", type: revoke, credential: c-cook, by: lead}
- {id: b1, at: "2024-06-03T10:00:00", type: badge, reader: vault-out, credential: c-cook}
- {id: b2, at: "2024-06-03T10:00:05", type: badge, reader: vault-out, credential: c-aide}
"""
    )
    _, out = play(text, readers_state())
    assert set(out[-2].reason_codes) == {"CREDENTIAL_REVOKED", "TWO_PERSON"}
    assert out[-1].reason_codes == ("TWO_PERSON",)


def test_quiet_at_a_door_into_an_ordinary_zone() -> None:
    text = (
        CARDS
        + """
- {id: m1, at: "09:00", type: move, people: [cook], to: yard}
- {id: b1, at: "09:01", type: badge, reader: front-out, credential: c-cook}
"""
    )
    _, out = play(text, readers_state())
    assert out[-1].decision == "grant"
