"""Who may issue and revoke credentials (NOT_PERMITTED otherwise).

Procedure: a lead may issue any credential; a guard may issue only a visitor's (the one-day
card handed out at the gate after screening), and may not take over a credential id another
holds (one revoked or ended, such as yesterday's visitor card, is free to hand out again). A
guard or a lead may revoke a credential. The same action by anyone else has no effect and is
recorded as a warning.
"""

from __future__ import annotations

from datetime import datetime

from gatewatch.core import wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.rules.credential_expired import ended
from gatewatch.core.state import State

CODE = AlertCode.NOT_PERMITTED


def _refused(state: State, actor: str, action: str, who: str) -> Alert:
    return Alert(
        CODE,
        Severity.WARNING,
        f"{wording.person(state, actor)} tried to {action}, which only {who} may do: it has no effect; "
        "tell the head of the guard",
        people=(actor,),
    )


def check_issue(state: State, by: str, holder: str, credential: str, at: datetime) -> Alert | None:
    actor = state.people.get(by)
    if actor is not None and actor.lead:
        return None
    held = state.credentials.get(credential)
    taken = held is not None and held.holder != holder and held.revoked is None and ended(held, at) is None
    if actor is not None and actor.is_guard and state.person(holder).is_visitor and not taken:
        return None
    action = f"issue credential {credential} to {wording.person(state, holder)}"
    return _refused(state, by, action, "a lead (or a guard, for a visitor's credential not held by another)")


def check_revoke(state: State, by: str, credential: str) -> Alert | None:
    actor = state.people.get(by)
    if actor is not None and (actor.lead or actor.is_guard):
        return None
    return _refused(state, by, f"revoke credential {credential}", "a guard or a lead")
