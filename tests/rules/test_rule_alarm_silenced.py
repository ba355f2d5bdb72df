"""ALARM_SILENCED: muting a source is always on the record."""

from support import codes, play


def test_fires_for_a_mute() -> None:
    _, out = play('- {id: u1, at: "2024-06-03T03:00", type: mute, source: siren-1, by: g2}\n')
    (alert,) = out[0].alerts
    assert (alert.code, alert.severity.label, alert.people) == ("ALARM_SILENCED", "high", ("g2",))


def test_quiet_for_an_alarm_dismissed_once() -> None:
    _, out = play("""
- {id: x1, at: "2024-06-03T01:00", type: alarm, alarm: a1, source: siren-1, kind: fault}
- {id: d1, at: "01:05", type: dismiss, alarm: a1, by: g1}
""")
    assert codes(out[-1]) == []
