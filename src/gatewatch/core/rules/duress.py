"""DURESS: a holder forced at the door keys their duress PIN; the door behaves as usual.

Procedure: a guard or resident made to open a door by someone beside them keys the duress PIN
instead of their PIN. The reader answers exactly as for the right PIN, and the site does not
lock down (whoever is forcing them must see nothing change); the desk and the leads are told,
and only they: no page a guard at the door sees shows it.
"""

from __future__ import annotations

from gatewatch.core import wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.rules.badge_at import BadgeAt

CODE = AlertCode.DURESS


def check(badge: BadgeAt) -> Alert | None:
    holder = badge.holder
    if holder is None or badge.pin != "duress":
        return None
    state = badge.state
    return Alert(
        CODE,
        Severity.CRITICAL,
        f"{wording.person(state, holder)} keyed the duress PIN at {wording.door(state, badge.door.id)}: they are "
        "being forced; the door behaved as usual. Send help quietly; do not call or signal them",
        people=(holder,),
        places=(badge.door.id, badge.reader.id),
    )
