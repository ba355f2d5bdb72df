"""CHECKIN_MISSED: a tour check-in that does not come is an alert."""

from support import codes, play


def test_fires_for_a_missed_checkin() -> None:
    _, out = play('- {id: c1, at: "2024-06-03T03:00", type: checkin, post: tower, by: g1, missed: true}\n')
    (alert,) = out[0].alerts
    assert (alert.code, alert.severity.label, alert.places) == ("CHECKIN_MISSED", "high", ("tower",))
    assert "Gus Guard" in alert.message


def test_quiet_for_a_checkin() -> None:
    _, out = play('- {id: c1, at: "2024-06-03T03:00", type: checkin, post: tower, by: g1}\n')
    assert codes(out[0]) == []
