"""OVERRIDE / OVERRIDE_UNAPPROVED: a denied request opens only with a lead's approval.

Procedure: a guard may ask to override a denied request, but it takes effect only when a
lead other than that guard approves it. An approved override is a grant, high on the
record; one without such an approval changes nothing and is itself an alert.
"""

from __future__ import annotations

from gatewatch.core import events as ev
from gatewatch.core import wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.state import RequestRecord, State


def approved(state: State, event: ev.Override) -> bool:
    approver = event.approved_by
    if approver is None or approver == event.by:
        return False
    person = state.people.get(approver)
    return person is not None and person.lead


def decide(state: State, event: ev.Override, request: RequestRecord) -> Alert:
    who = wording.people(state, request.people)
    door = wording.door(state, request.door)
    if approved(state, event):
        assert event.approved_by is not None
        reason = f" ({event.reason})" if event.reason else ""
        return Alert(
            AlertCode.OVERRIDE,
            Severity.HIGH,
            f"{wording.person(state, event.approved_by)} approved an override for {who} at {door}"
            f"{reason}: the procedures still apply inside; keep them escorted",
            people=(*request.people, event.by, event.approved_by),
            places=(request.door,),
        )
    why = (
        "no lead approved it"
        if event.approved_by is None
        else "whoever asks for an override cannot also approve it: a second lead must"
        if event.approved_by == event.by
        else f"{wording.person(state, event.approved_by)} is not a lead"
    )
    return Alert(
        AlertCode.OVERRIDE_UNAPPROVED,
        Severity.HIGH,
        f"{wording.person(state, event.by)} tried to override the denial for {who} at {door}, "
        f"but {why}: the door stays shut; call the head of the guard",
        people=(event.by, *request.people),
        places=(request.door,),
    )
