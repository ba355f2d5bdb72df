"""ALARM_SILENCED: silencing an alarm source is always on the record.

Procedure: anyone may mute a sounding source, but muting is itself an alert, so that a
lead knows which sensor no longer makes a noise and who silenced it.
"""

from __future__ import annotations

from gatewatch.core import events as ev
from gatewatch.core import wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.state import State

CODE = AlertCode.ALARM_SILENCED


def check(state: State, event: ev.Mute) -> Alert:
    return Alert(
        CODE,
        Severity.HIGH,
        f"{wording.person(state, event.by)} silenced alarm source {event.source}: a lead confirms why and restores it",
        people=(event.by,),
        places=(event.source,),
    )
