"""ALARM: every alarm is raised, graded by what it means for life and safety.

Procedure: intrusion, gunfire, duress, weapon and fire alarms are critical (they put the
site in lockdown); a fault is a warning; anything else is high. An alarm from a source
that was silenced is still raised: silencing stops the sounder, not the record.
"""

from __future__ import annotations

from gatewatch.core import events as ev
from gatewatch.core import wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.state import State

CODE = AlertCode.ALARM
CRITICAL_KINDS = frozenset({"intrusion", "gunfire", "duress", "weapon", "fire"})
WARNING_KINDS = frozenset({"fault"})


def severity(kind: str) -> Severity:
    key = kind.strip().lower()
    if key in CRITICAL_KINDS:
        return Severity.CRITICAL
    return Severity.WARNING if key in WARNING_KINDS else Severity.HIGH


def check(state: State, event: ev.Alarm) -> Alert:
    grade = severity(event.kind)
    where = f" in {wording.zone(state, event.zone)}" if event.zone else ""
    muted = f" (source silenced by {wording.person(state, m)})" if (m := state.muted.get(event.source)) else ""
    todo = {
        Severity.CRITICAL: "lock down and send guards",
        Severity.HIGH: "send a guard to check",
        Severity.WARNING: "have the device checked",
    }[grade]
    return Alert(
        CODE,
        grade,
        f"{event.kind.capitalize()} alarm from {event.source}{where}{muted}: {todo}",
        places=(event.source, *((event.zone,) if event.zone else ())),
    )
