"""Events as a client sends them (JSON), checked against the site and the live state.

The same parser as drill files, so an event means the same thing in a drill and at the desk.
Two differences: ``id`` is required (it makes a resend idempotent), and ``at`` may be left out
(the desk's clock is used). An override must name a denied request awaiting one, and a
dismissal an alarm that was raised.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo

from gatewatch.core import events as ev
from gatewatch.core import overrides
from gatewatch.core.errors import InvalidInput, did_you_mean, unknown
from gatewatch.core.parse import parse_event
from gatewatch.core.state import State
from gatewatch.service.desk import Decided, Desk
from gatewatch.service.permissions import Actor, check_event


def read_event(raw: object, state: State, zone: tzinfo, received: datetime) -> ev.Event:
    """The typed event, or ``InvalidInput`` naming the field and the problem."""
    if not isinstance(raw, Mapping):
        raise InvalidInput("the body must be one event: a JSON object with id and type")
    ident = raw.get("id")
    if not isinstance(ident, str) or not ident.strip():
        raise InvalidInput("required: a client-chosen id (a string), so that a resend is recorded once", field="id")
    if len(ident) > 200:
        raise InvalidInput("at most 200 characters", where=f"event {ident[:20]}…", field="id")
    fields = dict(raw)
    if fields.get("at") is None:
        fields["at"] = received.astimezone(zone).isoformat()
    previous = state.now or received.astimezone(zone)
    return parse_event(fields, state.site, zone, previous, default_id=ident)


def check_references(event: ev.Event, state: State) -> None:
    """An override names a denied request awaiting one; a dismissal names a raised alarm."""
    where = f"event {event.id}"
    if isinstance(event, ev.Override) and overrides.awaiting(state, event.request, event.at) is None:
        minutes, pending = state.site.policy.override_minutes, list(state.requests)
        problem = (
            f'request "{event.request}" was denied more than {minutes} minutes ago: ask again at the door'
            if event.request in state.requests
            else f'no denied request "{event.request}" awaiting an override{did_you_mean(event.request, pending)}'
        )
        raise InvalidInput(problem, where=where, field="request")
    if isinstance(event, ev.Dismiss) and event.alarm not in state.alarms:
        raise InvalidInput(unknown("alarm", event.alarm, state.alarms), where=where, field="alarm")


def submit(
    desk: Desk, zone: tzinfo, user: Actor, raw: object, received: datetime, approver: Actor | None = None
) -> Decided:
    """Read an event as a client sent it, check who may submit it, and have the desk decide it."""
    event = read_event(raw, desk.state, zone, received)
    check_event(user, event, approver)
    if isinstance(event, ev.Override | ev.Dismiss) and desk.log.find(event.id) is None:
        check_references(event, desk.state)
    return desk.submit(event, user.name, received)
