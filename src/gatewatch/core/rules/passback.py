"""PASSBACK: a card whose holder is already inside has been handed back over the door.

Procedure (anti-passback): the record places each holder in a zone. A card presented to enter
a zone its holder is already in was passed back to someone else: with ``passback: hard`` it is
denied; with ``hard`` or ``soft`` the desk is warned; with ``off`` neither.
"""

from __future__ import annotations

from gatewatch.core import wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.reasons import Reason, ReasonCode
from gatewatch.core.rules.badge_at import BadgeAt

REASON = ReasonCode.PASSBACK
ALERT = AlertCode.PASSBACK


def passed_back(badge: BadgeAt) -> bool:
    holder = badge.holder
    if holder is None or badge.state.site.policy.passback == "off":
        return False
    return badge.state.zone_of(holder) == badge.far_zone.id


def check(badge: BadgeAt) -> Reason | None:
    """The reason, with ``passback: hard`` only."""
    holder = badge.holder
    if holder is None or badge.state.site.policy.passback != "hard" or not passed_back(badge):
        return None
    state = badge.state
    return Reason(
        REASON,
        (holder,),
        f"{wording.person(state, holder)} is already in {wording.zone(state, badge.far_zone.id)}: "
        "the card was handed back over the door",
        "find who holds the card; the holder comes back out to badge in again",
    )


def alert(badge: BadgeAt) -> Alert | None:
    holder = badge.holder
    if holder is None or not passed_back(badge):
        return None
    state = badge.state
    return Alert(
        ALERT,
        Severity.WARNING,
        f"{wording.person(state, holder)}'s card was presented at {wording.door(state, badge.door.id)} while the "
        f"record has them in {wording.zone(state, badge.far_zone.id)}: someone else may hold it",
        people=(holder,),
        places=(badge.door.id, badge.reader.id),
    )
