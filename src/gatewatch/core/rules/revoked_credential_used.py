"""REVOKED_CREDENTIAL_USED: a revoked credential presented at a reader is reported.

Procedure: a lost or stolen card that turns up at a door means someone is trying it: the
desk is told who it was issued to and where it was tried, so that a guard goes to look.
"""

from __future__ import annotations

from gatewatch.core import wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.rules.badge_at import BadgeAt

CODE = AlertCode.REVOKED_CREDENTIAL_USED


def check(badge: BadgeAt) -> Alert | None:
    credential, holder = badge.credential, badge.holder
    if credential is None or holder is None or credential.revoked is None:
        return None
    state = badge.state
    return Alert(
        CODE,
        Severity.HIGH,
        f"The revoked credential {badge.credential_id} of {wording.person(state, holder)} was presented at "
        f"{wording.door(state, badge.door.id)}: send a guard to see who holds it",
        people=(holder,),
        places=(badge.door.id, badge.reader.id),
    )
