"""CHECKIN_MISSED: a guard tour that misses its check-in is treated as a warning sign.

Procedure: every post checks in on its tour. A missed check-in means the post may be
overpowered or asleep: someone goes to look.
"""

from __future__ import annotations

from gatewatch.core import events as ev
from gatewatch.core import wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.state import State

CODE = AlertCode.CHECKIN_MISSED


def check(state: State, event: ev.Checkin) -> Alert | None:
    if not event.missed:
        return None
    who = f" ({wording.person(state, event.by)})" if event.by else ""
    return Alert(
        CODE,
        Severity.HIGH,
        f"{wording.capital(wording.post(state, event.post))}{who} missed its check-in: "
        "call the post and send a guard to look",
        people=(event.by,) if event.by else (),
        places=(event.post,),
    )
