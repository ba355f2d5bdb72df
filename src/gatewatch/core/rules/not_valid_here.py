"""NOT_VALID_HERE: a credential limited to some zones opens no door into another.

Procedure: a credential may be issued for some zones only (a cleaner's card for the vestibule);
at a door leading into a zone it does not list, it is denied.
"""

from __future__ import annotations

from gatewatch.core import wording
from gatewatch.core.reasons import Reason, ReasonCode
from gatewatch.core.rules.badge_at import BadgeAt

CODE = ReasonCode.NOT_VALID_HERE


def check(badge: BadgeAt) -> Reason | None:
    credential, holder = badge.credential, badge.holder
    if credential is None or holder is None or not credential.zones:
        return None
    far = badge.far_zone
    if far.id in credential.zones:
        return None
    state = badge.state
    return Reason(
        CODE,
        (holder,),
        f"{wording.person(state, holder)}'s credential is not valid for {wording.zone(state, far.id)}",
        "a lead may issue a credential that includes it",
    )
