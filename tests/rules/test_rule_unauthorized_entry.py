"""UNAUTHORIZED_ENTRY: up a level only through an open way: a free door, or a grant."""

from support import VISITOR_TO_LOBBY, codes, play


def test_fires_through_a_controlled_door_without_a_grant() -> None:
    _, out = play(VISITOR_TO_LOBBY + '- {id: m2, at: "09:02", type: move, people: [vic], to: yard}\n')
    (alert,) = out[-1].alerts
    assert (alert.code, alert.severity.label, alert.people) == ("UNAUTHORIZED_ENTRY", "high", ("vic",))
    assert "the inner door" in alert.message


def test_fires_over_a_wall() -> None:
    _, out = play(VISITOR_TO_LOBBY + '- {id: m2, at: "09:02", type: move, people: [vic], to: house}\n')
    assert "where no door leads" in out[-1].alerts[0].message


def test_fires_from_off_site_without_arriving() -> None:
    state, out = play('- {id: m1, at: "2024-06-03T09:00", type: move, people: [stranger], to: street}\n')
    assert codes(out[-1]) == ["UNAUTHORIZED_ENTRY"] and state.of_concern("stranger")


def test_quiet_under_a_grant() -> None:
    _, out = play(VISITOR_TO_LOBBY)
    assert codes(out[5]) == []


def test_quiet_through_a_door_without_control_and_going_down() -> None:
    _, out = play("""
- {id: m1, at: "2024-06-03T09:00", type: move, people: [lead], to: house}
- {id: m2, at: "09:01", type: move, people: [lead], to: street}
""")
    assert [codes(o) for o in out] == [[], []]
