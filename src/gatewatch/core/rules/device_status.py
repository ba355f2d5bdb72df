"""DEVICE_OFFLINE, DEVICE_FAULT, DEVICE_TAMPER: a reader, lock or controller reports trouble.

Procedure: a door whose reader, lock or controller is offline or faulty no longer enforces
anything by itself: the desk is told (high) so that a guard takes the door by hand. A tamper
switch means someone has opened the device's case: that is an attack on the door (critical,
and the site locks down). A device coming back ``online`` raises nothing.
"""

from __future__ import annotations

from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.events import DeviceStatusName

RAISED: dict[str, tuple[AlertCode, Severity, str]] = {
    "offline": (AlertCode.DEVICE_OFFLINE, Severity.HIGH, "stopped answering: work its door by hand"),
    "fault": (AlertCode.DEVICE_FAULT, Severity.HIGH, "reports a fault: work its door by hand and call for repair"),
    "tamper": (
        AlertCode.DEVICE_TAMPER,
        Severity.CRITICAL,
        "was tampered with (its case opened): lock down, send guards and see who is at it",
    ),
}


def check(device: str, status: DeviceStatusName, detail: str | None = None) -> Alert | None:
    raised = RAISED.get(status)
    if raised is None:
        return None
    code, severity, what = raised
    said = f" ({detail})" if detail else ""
    return Alert(code, severity, f"Device {device} {what}{said}", places=(device,))
