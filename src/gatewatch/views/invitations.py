"""Who is expected, and on which day (pure)."""

from __future__ import annotations

from datetime import date

from gatewatch.core.state import Invitation, State
from gatewatch.views import models as m


def invitation_view(person_id: str, invitation: Invitation) -> m.InvitationOut:
    return m.InvitationOut(
        person=person_id,
        date=invitation.day.isoformat(),
        by=invitation.by,
        private=invitation.private,
        purpose=invitation.purpose,
        event=invitation.event,
    )


def invitations_on(state: State, day: date | None) -> list[m.InvitationOut]:
    return [
        invitation_view(person_id, invitation)
        for person_id, invitations in state.invitations.items()
        for invitation in invitations
        if day is None or invitation.day == day
    ]
