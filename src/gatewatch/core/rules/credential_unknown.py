"""CREDENTIAL_UNKNOWN: a card or code that no credential has opens nothing.

Procedure: only a credential the site issued opens a door. A card nobody was given is denied
and nothing else is judged; the decision names no person, since the card tells nobody who
holds it. (The exit button, a request, still opens for anyone going out.)
"""

from __future__ import annotations

from gatewatch.core import wording
from gatewatch.core.reasons import Reason, ReasonCode
from gatewatch.core.rules.badge_at import BadgeAt

CODE = ReasonCode.CREDENTIAL_UNKNOWN


def check(badge: BadgeAt) -> Reason | None:
    if badge.credential is not None:
        return None
    return Reason(
        CODE,
        (),
        f'no credential "{badge.credential_id}" was issued: the card at {wording.door(badge.state, badge.door.id)} '
        "opens nothing",
        "ask the holder who they are and issue them a credential, or open by request",
    )
