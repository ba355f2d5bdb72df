"""PROHIBITED_ITEM: a weapon found at screening is critical."""

from support import VISITOR_TO_LOBBY, codes, play


def test_fires_for_a_weapon_found() -> None:
    state, out = play(
        VISITOR_TO_LOBBY
        + '- {id: s1, at: "09:02", type: screen, person: vic, by: g1, result: found, found: [Ice axe]}\n'
    )
    (alert,) = out[-1].alerts
    assert (alert.code, alert.severity.label) == ("PROHIBITED_ITEM", "critical")
    assert "Ice axe" in alert.message
    assert state.of_concern("vic") and state.lockdown == "PROHIBITED_ITEM at s1"


def test_quiet_for_something_harmless_found() -> None:
    _, out = play(
        VISITOR_TO_LOBBY
        + '- {id: s1, at: "09:02", type: screen, person: vic, by: g1, result: found, found: [umbrella]}\n'
    )
    assert codes(out[-1]) == []
