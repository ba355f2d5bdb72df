"""Events as a client sends them (JSON), checked against the site and the live state.

The same parser as drill files, so an event means the same thing in a drill and at the desk.
The differences: ``id`` is required (it makes a resend idempotent); ``at`` may be left out
(the desk dates the event itself, under its lock); and an ``at`` that is given must lie within
the desk's clock window (``limits.AHEAD_OF_DESK``, ``limits.BEHIND_DESK``): live events are
decided on the desk's clock. Drills and imports read events with the parser directly and are
not held to the window. An override must name a denied request awaiting one, and a dismissal
an alarm that was raised; a case's event must fit its case as it stands and link only recorded
events, and a concern is not cleared while a case on the person is open. A credential's PINs
are sent as digits, never as a hash (a hash names its own cost to check).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from gatewatch.core import events as ev
from gatewatch.core import limits, overrides, pins
from gatewatch.core.bounded import printable_id
from gatewatch.core.errors import InvalidInput, did_you_mean, unknown
from gatewatch.core.parse import parse_event
from gatewatch.core.rules import case_action, case_keeps_concern
from gatewatch.core.state import State
from gatewatch.service.desk import Decided, Desk
from gatewatch.service.name_parts import prepare
from gatewatch.service.permissions import Actor, check_event


@dataclass(frozen=True, slots=True)
class ClockWindow:
    """How far a live event's ``at`` may lie from the desk's clock, after and before it."""

    ahead: timedelta = limits.AHEAD_OF_DESK
    behind: timedelta = limits.BEHIND_DESK

    def check(self, event: ev.Event, received: datetime) -> None:
        """Refuse an event dated outside the window, saying the window in the desk's time."""
        earliest, latest = received - self.behind, received + self.ahead
        if earliest <= event.at <= latest:
            return
        zone = event.at.tzinfo
        side = f"more than {_said(self.ahead)} after" if event.at > latest else f"more than {_said(self.behind)} before"
        raise InvalidInput(
            f"{event.at.isoformat()} is {side} the desk's clock ({received.astimezone(zone):%Y-%m-%d %H:%M:%S}): "
            f"a live event is dated from {earliest.astimezone(zone):%H:%M:%S} to {latest.astimezone(zone):%H:%M:%S}, "
            "or left without a time to be dated by the desk",
            where=f"event {event.id}",
            field="at",
        )


def _said(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


LIVE = ClockWindow()
"""The window every live event is held to."""

PIN_SECRETS = ("pin", "duress_pin")
"""A credential's PINs: digits from a client; the hashes in the record are the desk's own, and
a hash from a client names its own cost to check (``limits.PIN_HASH_PASSES_MOST``)."""


@dataclass(frozen=True, slots=True)
class Read:
    """An event as read from a client, and whether the desk is to date it (no ``at`` was given)."""

    event: ev.Event
    stamped: bool


def read_event(raw: object, state: State, zone: tzinfo, received: datetime, window: ClockWindow | None = LIVE) -> Read:
    """The typed event, or ``InvalidInput`` naming the field and the problem."""
    if not isinstance(raw, Mapping):
        raise InvalidInput("the body must be one event: a JSON object with id and type")
    ident = raw.get("id")
    if not isinstance(ident, str) or not ident.strip():
        raise InvalidInput("required: a client-chosen id (a string), so that a resend is recorded once", field="id")
    if len(ident) > limits.ID_CHARS:
        raise InvalidInput(f"at most {limits.ID_CHARS} characters", where=f"event {printable_id(ident)}", field="id")
    if raw.get("pin_given") is not None:
        raise InvalidInput(
            "written by the desk alone (whether a badge's PIN was right): send the digits keyed as pin",
            where=f"event {printable_id(ident)}",
            field="pin_given",
        )
    for secret in PIN_SECRETS:
        value = raw.get(secret)
        if isinstance(value, str) and pins.is_hash(value):
            raise InvalidInput(
                f"a PIN is sent as its {limits.PIN_DIGITS_FEWEST} to {limits.PIN_DIGITS_MOST} digits: "
                "the desk makes the hash it keeps",
                where=f"event {printable_id(ident)}",
                field=secret,
            )
    fields = dict(raw)
    stamped = fields.get("at") is None
    if stamped:
        fields["at"] = received.astimezone(zone).isoformat()
    previous = state.now or received.astimezone(zone)
    event = parse_event(fields, state.site, zone, previous, default_id=ident)
    if window is not None and not stamped:
        window.check(event, received)
    return Read(event, stamped)


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
    if isinstance(event, ev.Revoke) and event.credential not in state.credentials:
        raise InvalidInput(unknown("credential", event.credential, state.credentials), where=where, field="credential")
    if isinstance(event, ev.Dismiss) and event.alarm not in state.alarms:
        raise InvalidInput(unknown("alarm", event.alarm, state.alarms), where=where, field="alarm")


def check_case(event: ev.Event, desk: Desk) -> None:
    """A case's event fits the case as it stands (``rules.case_action``), links only recorded
    events, and a read of a note names a note of that case; a concern is not cleared while a
    case on the person is open (``rules.case_keeps_concern``)."""
    if isinstance(event, ev.Concern) and (kept := case_keeps_concern.problem(desk.state, event)) is not None:
        raise kept
    if not isinstance(event, case_action.CASE_EVENTS):
        return
    wrong = case_action.problem(desk.state, event)
    if wrong is not None:
        raise wrong
    where = f"event {event.id}"
    for link in event.links if isinstance(event, ev.CaseOpen | ev.CaseUpdate) else ():
        if desk.log.find(link) is None:
            raise InvalidInput(
                f'no event "{link}" is recorded: a case links recorded events', where=where, field="links"
            )
    if isinstance(event, ev.NoteRead):
        note = desk.log.find(event.note)
        if note is None or note.type != "case_note" or (note.payload or {}).get("case") != event.case:
            raise InvalidInput(f'no note "{event.note}" is recorded on case "{event.case}"', where=where, field="note")


def submit(
    desk: Desk,
    zone: tzinfo,
    user: Actor,
    raw: object,
    received: datetime,
    approver: Actor | None = None,
    *,
    window: ClockWindow | None = LIVE,
) -> Decided:
    """Read an event as a client sent it, check who may submit it, and have the desk decide it.

    The parts of the names the engine will compare are looked up first, here, in the caller's
    thread, and not under the desk's lock (``name_parts.prepare``): doors keep deciding meanwhile.

    ``window``: how far from ``received`` (the desk's clock) a client's ``at`` may lie; None
    for a caller replaying a recorded day through the desk.
    """
    read = read_event(raw, desk.state, zone, received, window)
    event = read.event
    check_event(user, event, approver)
    if isinstance(event, ev.Override | ev.Dismiss | ev.Revoke) and desk.log.find(event.id) is None:
        check_references(event, desk.state)
    if isinstance(event, (*case_action.CASE_EVENTS, ev.Concern)) and desk.log.find(event.id) is None:
        check_case(event, desk)
    prepare(desk.state, event)
    return desk.submit(event, user.name, received, stamped=window is not None or read.stamped)
