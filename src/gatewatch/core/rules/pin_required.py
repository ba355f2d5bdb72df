"""PIN_REQUIRED: a credential of kind ``pin`` or ``card+pin`` opens only with its PIN.

Procedure: where a PIN is part of the credential, a card alone, or a wrong PIN, opens nothing.
The duress PIN counts as the PIN (it opens as usual, and the desk is told: DURESS).
"""

from __future__ import annotations

from gatewatch.core import wording
from gatewatch.core.reasons import Reason, ReasonCode
from gatewatch.core.rules.badge_at import BadgeAt

CODE = ReasonCode.PIN_REQUIRED


def check(badge: BadgeAt) -> Reason | None:
    credential, holder = badge.credential, badge.holder
    if credential is None or holder is None or credential.kind == "card":
        return None
    if badge.pin in ("right", "duress"):
        return None
    said = "without its PIN" if badge.pin is None else "with a wrong PIN"
    return Reason(
        CODE,
        (holder,),
        f"{wording.person(badge.state, holder)}'s credential was presented {said}",
        "key the PIN at the reader",
    )
