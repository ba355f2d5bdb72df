"""DOOR_FORCED: a controlled door opening with no unused grant is forced."""

from support import VISITOR_TO_LOBBY, codes, play


def test_fires_for_a_door_opened_without_a_grant() -> None:
    state, out = play('- {id: o1, at: "2024-06-03T09:00", type: open, door: outer, by: g1}\n')
    (alert,) = out[-1].alerts
    assert (alert.code, alert.severity.label) == ("DOOR_FORCED", "critical")
    assert "Gus Guard" in alert.message and alert.places == ("outer",)
    assert state.of_concern("g1") and state.lockdown == "DOOR_FORCED at o1"


def test_quiet_when_a_grant_covers_the_opening() -> None:
    _, out = play(VISITOR_TO_LOBBY)
    assert codes(out[4]) == []


def test_quiet_for_a_door_without_control() -> None:
    _, out = play('- {id: o1, at: "2024-06-03T09:00", type: open, door: front}\n')
    assert codes(out[-1]) == []


def test_an_open_door_reported_open_again_is_not_forced_again() -> None:
    _, out = play(
        VISITOR_TO_LOBBY.replace('- {id: c1, at: "09:01", type: close, door: outer}\n', "")
        + '- {id: o2, at: "09:02", type: open, door: outer}\n'
    )
    assert codes(out[-1]) == []
