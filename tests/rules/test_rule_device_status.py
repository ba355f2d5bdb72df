"""DEVICE_OFFLINE, DEVICE_FAULT (high) and DEVICE_TAMPER (critical: the site locks down)."""

import pytest

from rules.readers_site import readers_state
from support import play


@pytest.mark.parametrize(
    ("status", "code", "severity"),
    [("offline", "DEVICE_OFFLINE", "high"), ("fault", "DEVICE_FAULT", "high"), ("tamper", "DEVICE_TAMPER", "critical")],
)
def test_fires_for_trouble(status: str, code: str, severity: str) -> None:
    text = f'- {{id: d1, at: "2024-06-03T10:00", type: device, device: outer-out, status: {status}}}\n'
    state, out = play(text, readers_state())
    (alert,) = out[-1].alerts
    assert (alert.code.value, alert.severity.label) == (code, severity)
    assert alert.places == ("outer-out",)
    assert state.devices["outer-out"] == status


def test_quiet_when_a_device_comes_back() -> None:
    text = """
- {id: d1, at: "2024-06-03T10:00", type: device, device: outer-out, status: offline}
- {id: d2, at: "10:01", type: device, device: outer-out, status: online}
"""
    state, out = play(text, readers_state())
    assert out[-1].alerts == ()
    assert state.devices["outer-out"] == "online"


def test_only_tamper_locks_down() -> None:
    offline, _ = play('- {id: d1, at: "2024-06-03T10:00", type: device, device: inner-in, status: fault}\n')
    assert offline.lockdown is None
    tamper, _ = play('- {id: d1, at: "2024-06-03T10:00", type: device, device: inner-in, status: tamper}\n')
    assert tamper.lockdown == "DEVICE_TAMPER at d1"


def test_the_detail_is_told() -> None:
    text = '- {id: d1, at: "2024-06-03T10:00", type: device, device: lock-3, status: fault, detail: motor stalled}\n'
    _, out = play(text, readers_state())
    assert "motor stalled" in out[-1].alerts[0].message
