"""Who may issue and revoke credentials (NOT_PERMITTED otherwise).

Procedure: a lead may issue any credential; a guard may issue only a visitor's (the one-day
card handed out at the gate after screening), and may not take over a credential id another
holds (one revoked or ended, such as yesterday's visitor card, is free to hand out again). A
guard or a lead may revoke a credential. The same action by anyone else has no effect and is
recorded as a warning.

Where the procedure is silent, the protective reading: a guard hands out again only the gate's
visitor cards. An id last issued to anyone else is the number in that person's own card (or a
lost one): revoked, even by the guard, it is still never a visitor's in a guard's hands, or the
card would open doors again as someone else's. A lead may issue it.
"""

from __future__ import annotations

from datetime import datetime

from gatewatch.core import wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.rules.credential_expired import ended
from gatewatch.core.state import CredentialRecord, State

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
    free = held is None or held.holder == holder or (_visitor_card(held) and (held.revoked or ended(held, at)))
    taken = not free
    if actor is not None and actor.is_guard and state.person(holder).is_visitor and not taken:
        return None
    action = f"issue credential {credential} to {wording.person(state, holder)}"
    return _refused(
        state, by, action, "a lead (or a guard, for a visitor's credential: a new id, or a visitor card no one holds)"
    )


def _visitor_card(held: CredentialRecord) -> bool:
    """A one-day visitor's card from the gate's stock (``day`` is set only for visitors)."""
    return held.day is not None


def check_revoke(state: State, by: str, credential: str) -> Alert | None:
    actor = state.people.get(by)
    if actor is not None and (actor.lead or actor.is_guard):
        return None
    return _refused(state, by, f"revoke credential {credential}", "a guard or a lead")
