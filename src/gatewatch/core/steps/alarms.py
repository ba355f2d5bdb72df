"""Alarms: triggered, dismissed as false, or silenced."""

from __future__ import annotations

from msgspec.structs import replace

from gatewatch.core import events as ev
from gatewatch.core.outcome import Effect
from gatewatch.core.rules import alarm, alarm_dismissed_repeatedly, alarm_silenced
from gatewatch.core.state import AlarmRecord, State


def trigger(state: State, event: ev.Alarm) -> Effect:
    record = AlarmRecord(event.source, event.kind, event.zone, event.at)
    return Effect(replace(state, alarms=state.alarms.set(event.alarm, record)), (alarm.check(state, event),))


def dismiss(state: State, event: ev.Dismiss) -> Effect:
    record = state.alarms.get(event.alarm)
    if record is None:
        return Effect(state)
    alert = alarm_dismissed_repeatedly.check(state, record.source, event.by, event.at)
    recent = alarm_dismissed_repeatedly.recent(state.dismissals.get(record.source, ()), event.at)
    state = replace(state, dismissals=state.dismissals.set(record.source, (*recent, event.at)))
    return Effect(state, (alert,) if alert else ())


def mute(state: State, event: ev.Mute) -> Effect:
    state = replace(state, muted=state.muted.set(event.source, event.by))
    return Effect(state, (alarm_silenced.check(state, event),))
