"""CONCERN_ON_POST: a person of concern is not trusted with a post.

Procedure: putting on a post someone who is of concern (a guard who opened a door without a
grant, say) raises an alert: a lead replaces them.
"""

from __future__ import annotations

from gatewatch.core import wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.state import State

CODE = AlertCode.CONCERN_ON_POST


def check(state: State, person_id: str, post_id: str) -> Alert | None:
    if not state.of_concern(person_id):
        return None
    who = wording.person(state, person_id)
    return Alert(
        CODE,
        Severity.HIGH,
        f"{who}, a person of concern ({', '.join(state.concerns[person_id])}), was put on "
        f"{wording.post(state, post_id)}: a lead replaces {who} now",
        people=(person_id,),
        places=(post_id,),
    )
