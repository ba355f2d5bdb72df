"""CREDENTIAL_REVOKED: a revoked credential opens nothing from the moment it is revoked.

Procedure: a guard or lead revokes a lost, stolen or misused credential; from then on it is
denied at every reader (only going out, which is always free, still opens for it).
"""

from __future__ import annotations

from gatewatch.core import wording
from gatewatch.core.reasons import Reason, ReasonCode
from gatewatch.core.rules.badge_at import BadgeAt

CODE = ReasonCode.CREDENTIAL_REVOKED


def check(badge: BadgeAt) -> Reason | None:
    credential, holder = badge.credential, badge.holder
    if credential is None or holder is None or credential.revoked is None:
        return None
    return Reason(
        CODE,
        (holder,),
        f"{wording.person(badge.state, holder)}'s credential was revoked ({credential.revoked})",
        "issue a new credential if the holder is who they say",
    )
