"""ALARM: every alarm is raised, graded by what it means for life and safety."""

import pytest

from support import play


@pytest.mark.parametrize(
    ("kind", "severity", "locks"),
    [
        ("intrusion", "critical", True),
        ("gunfire", "critical", True),
        ("duress", "critical", True),
        ("weapon", "critical", True),
        ("fire", "critical", True),
        ("motion", "high", False),
        ("fault", "warning", False),
    ],
)
def test_each_kind_has_its_severity(kind: str, severity: str, locks: bool) -> None:
    state, out = play(
        f'- {{id: x1, at: "2024-06-03T03:00", type: alarm, alarm: a1, source: pir-2, zone: yard, kind: {kind}}}\n'
    )
    (alert,) = out[0].alerts
    assert (alert.code, alert.severity.label) == ("ALARM", severity)
    assert "pir-2" in alert.message and "the yard" in alert.message
    assert (state.lockdown is not None) is locks


def test_a_silenced_source_still_raises() -> None:
    _, out = play("""
- {id: u1, at: "2024-06-03T03:00", type: mute, source: pir-2, by: g1}
- {id: x1, at: "03:05", type: alarm, alarm: a1, source: pir-2, kind: intrusion}
""")
    assert "silenced by Gus Guard" in out[-1].alerts[0].message
