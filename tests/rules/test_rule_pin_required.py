"""PIN_REQUIRED: a ``pin`` or ``card+pin`` credential opens only with its PIN or its duress PIN."""

import pytest

from rules.readers_site import CARDS, readers_state
from support import play

RES_IN_YARD = CARDS + '- {id: m1, at: "09:00", type: move, people: [res], to: yard}\n'


def _badge(pin: str) -> str:
    return RES_IN_YARD + f'- {{id: b1, at: "09:01", type: badge, reader: front-out, credential: c-res{pin}}}\n'


@pytest.mark.parametrize("pin", ["", ', pin: "4321"'], ids=["no PIN", "a wrong PIN"])
def test_fires_without_the_pin(pin: str) -> None:
    _, out = play(_badge(pin), readers_state())
    assert out[-1].decision == "deny"
    assert out[-1].reason_codes == ("PIN_REQUIRED",)
    assert out[-1].reasons[0].people == ("res",)


@pytest.mark.parametrize("pin", ['"1234"', '"9999"'], ids=["the PIN", "the duress PIN"])
def test_quiet_with_the_pin_or_the_duress_pin(pin: str) -> None:
    _, out = play(_badge(f", pin: {pin}"), readers_state())
    assert out[-1].decision == "grant"


def test_a_plain_card_needs_no_pin() -> None:
    text = (
        CARDS
        + """
- {id: m1, at: "09:00", type: move, people: [cook], to: yard}
- {id: b1, at: "09:01", type: badge, reader: front-out, credential: c-cook}
"""
    )
    _, out = play(text, readers_state())
    assert out[-1].decision == "grant"


def test_a_pin_only_credential_needs_its_pin() -> None:
    text = (
        CARDS
        + """
- {id: b1, at: "09:01", type: badge, reader: front-out, credential: c-g1}
- {id: b2, at: "09:02", type: badge, reader: front-out, credential: c-g1, pin: "2468"}
"""
    )
    _, out = play(text, readers_state())
    assert out[-2].reason_codes == ("PIN_REQUIRED",)
    assert out[-1].decision == "grant"


@pytest.mark.parametrize(("given", "decision"), [("right", "grant"), ("duress", "grant"), ("wrong", "deny")])
def test_the_recorded_verdict_is_judged_as_the_digits_were(given: str, decision: str) -> None:
    """The record keeps ``pin_given`` instead of the digits: replayed, it decides the same."""
    _, out = play(_badge(f", pin_given: {given}"), readers_state())
    assert out[-1].decision == decision
