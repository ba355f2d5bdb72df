"""Alarms dismissed or muted: each alarm they dismissed as false (marked when it was the second
dismissal from the same source within 24 hours: ALARM_DISMISSED_REPEATEDLY), and each alarm
source they silenced.

Procedure it watches: dismissing or silencing an alarm is allowed, but someone who keeps doing
it may be training the guards to ignore a sensor, or keeping one quiet.
"""

from __future__ import annotations

from gatewatch.core import events as ev
from gatewatch.core.alerts import AlertCode
from gatewatch.core.insider_watch import Recorded, Seen, Watch

CODE = "alarms_silenced"
LABEL = "alarms dismissed or muted"


def seen(entry: Recorded, watch: Watch) -> list[tuple[str, Seen]]:
    event = entry.event
    if isinstance(event, ev.Mute):
        return [(event.by, watch.mark(entry, event.source, f"silenced alarm source {event.source}"))]
    if not isinstance(event, ev.Dismiss):
        return []
    again = entry.raised(AlertCode.ALARM_DISMISSED_REPEATEDLY)
    source = again[0].subjects[-1] if again and len(again[0].subjects) > 1 else watch.sources.get(event.alarm)
    origin = f" from {source}" if source is not None else ""
    repeated = f": dismissed again within 24 hours ({AlertCode.ALARM_DISMISSED_REPEATEDLY.value})" if again else ""
    return [(event.by, watch.mark(entry, source, f"dismissed alarm {event.alarm}{origin} as false{repeated}"))]
