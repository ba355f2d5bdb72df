"""PASSBACK: a card presented to enter the zone its holder is already in: ``hard`` denies and warns,
``soft`` (the default) warns and grants, ``off`` does neither."""

import pytest

from rules.readers_site import CARDS, readers_state
from support import alerts_named, play

HANDED_BACK = CARDS + '- {id: b1, at: "09:00", type: badge, reader: front-out, credential: c-cook}\n'
"""Carl Cook is in the house; his card is presented at the front door from the yard."""


def test_hard_denies_and_warns() -> None:
    _, out = play(HANDED_BACK, readers_state({"passback": "hard"}))
    assert out[-1].decision == "deny"
    assert out[-1].reason_codes == ("PASSBACK",)
    (alert,) = alerts_named(out, "PASSBACK")
    assert alert.severity.label == "warning" and alert.people == ("cook",)


@pytest.mark.parametrize("policy", [{"passback": "soft"}, None], ids=["soft", "default"])
def test_soft_warns_but_grants(policy: dict[str, str] | None) -> None:
    _, out = play(HANDED_BACK, readers_state(policy))
    assert out[-1].decision == "grant"
    assert [a.code.value for a in out[-1].alerts] == ["PASSBACK"]


def test_off_neither_denies_nor_warns() -> None:
    _, out = play(HANDED_BACK, readers_state({"passback": "off"}))
    assert out[-1].decision == "grant"
    assert out[-1].alerts == ()


def test_quiet_when_the_holder_is_on_the_near_side() -> None:
    text = CARDS + '- {id: m1, at: "08:59", type: move, people: [cook], to: yard}\n' + HANDED_BACK[len(CARDS) :]
    _, out = play(text, readers_state({"passback": "hard"}))
    assert out[-1].decision == "grant"
    assert out[-1].alerts == ()


def test_quiet_going_out_at_an_inside_reader() -> None:
    text = CARDS + '- {id: b1, at: "09:00", type: badge, reader: front-in, credential: c-cook}\n'
    _, out = play(text, readers_state({"passback": "hard"}))
    assert out[-1].decision == "grant"
    assert out[-1].alerts == ()
