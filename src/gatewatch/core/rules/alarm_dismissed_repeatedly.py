"""ALARM_DISMISSED_REPEATEDLY: a source whose alarms keep being dismissed is examined.

Procedure: dismissing an alarm as false is allowed, but the second dismissal of alarms
from the same source within 24 hours is itself an alert: someone may be training the
guards to ignore that sensor.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from gatewatch.core import wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.state import State

CODE = AlertCode.ALARM_DISMISSED_REPEATEDLY
WINDOW = timedelta(hours=24)


def recent(dismissals: tuple[datetime, ...], at: datetime) -> tuple[datetime, ...]:
    return tuple(t for t in dismissals if at - t <= WINDOW)


def check(state: State, source: str, by: str, at: datetime) -> Alert | None:
    earlier = recent(state.dismissals.get(source, ()), at)
    if not earlier:
        return None
    return Alert(
        CODE,
        Severity.HIGH,
        f"Alarms from {source} dismissed {len(earlier) + 1} times in 24 hours, the last by "
        f"{wording.person(state, by)}: have a lead inspect {source} in person",
        people=(by,),
        places=(source,),
    )
