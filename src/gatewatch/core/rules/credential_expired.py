"""CREDENTIAL_EXPIRED: a credential opens nothing past its end.

Procedure: a credential issued ``until`` a time opens nothing after it. A visitor's credential
is a one-day credential: it lapses at the end of the site-local day it was issued, and when
the visitor leaves, whichever comes first, so that a card kept overnight is dead the next
morning.
"""

from __future__ import annotations

from datetime import datetime

from gatewatch.core import wording
from gatewatch.core.reasons import Reason, ReasonCode
from gatewatch.core.rules.badge_at import BadgeAt
from gatewatch.core.state import CredentialRecord

CODE = ReasonCode.CREDENTIAL_EXPIRED


def ended(credential: CredentialRecord, at: datetime) -> str | None:
    """Why the credential has ended at ``at`` (site time), or None if it has not."""
    if credential.until is not None and at > credential.until:
        return f"it ended at {credential.until:%Y-%m-%d %H:%M}"
    if credential.day is not None and credential.lapsed:
        return "a one-day credential, it lapsed when its holder left"
    if credential.day is not None and at.date() > credential.day:
        return f"a one-day credential, it lapsed at the end of {credential.day:%Y-%m-%d}"
    return None


def check(badge: BadgeAt) -> Reason | None:
    credential, holder = badge.credential, badge.holder
    if credential is None or holder is None:
        return None
    why = ended(credential, badge.at)
    if why is None:
        return None
    return Reason(
        CODE,
        (holder,),
        f"{wording.person(badge.state, holder)}'s credential {badge.credential_id} has expired: {why}",
        "issue a new credential for today after the usual checks",
    )
