"""TWO_PERSON: a two-person zone opens only to two holders together.

Procedure: into a zone marked ``two_person`` (an archive, a strong room) nobody goes alone.
The first badge at its reader is denied for this reason and waits; a second badge at the same
reader by a different holder within ``two_person_s`` is judged for both, and its grant lets
both pass.
"""

from __future__ import annotations

from datetime import timedelta

from gatewatch.core import wording
from gatewatch.core.reasons import Reason, ReasonCode
from gatewatch.core.rules.badge_at import BadgeAt
from gatewatch.core.state import FirstBadge

CODE = ReasonCode.TWO_PERSON


def partner(badge: BadgeAt) -> FirstBadge | None:
    """The first badge this one completes: at this reader, by another holder, recent enough."""
    if not badge.far_zone.two_person:
        return None
    first = badge.state.first_badges.get(badge.reader.id)
    if first is None or first.holder == badge.holder:
        return None
    if badge.at - first.at > timedelta(seconds=badge.state.site.policy.two_person_s):
        return None
    return first


def check(badge: BadgeAt) -> Reason | None:
    holder = badge.holder
    if holder is None or not badge.far_zone.two_person or partner(badge) is not None:
        return None
    state = badge.state
    seconds = state.site.policy.two_person_s
    return Reason(
        CODE,
        (holder,),
        f"{wording.zone(state, badge.far_zone.id)} opens only to two people together",
        f"a second holder badges at the same reader within {seconds} seconds",
    )
