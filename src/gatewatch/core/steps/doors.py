"""Door requests and their decisions, overrides, and the doors' sensors."""

from __future__ import annotations

from msgspec.structs import replace

from gatewatch.core import consequences, grants, overrides, wording
from gatewatch.core import events as ev
from gatewatch.core.alerts import Alert
from gatewatch.core.outcome import Effect
from gatewatch.core.reasons import Reason
from gatewatch.core.rules import (
    approach_escalation,
    authority_unverified,
    door_forced,
    escort_required,
    interlock,
    items_not_surrendered,
    lockdown,
    night_two_person,
    not_at_door,
    not_expected,
    not_screened,
    override,
    person_of_concern,
)
from gatewatch.core.rules.door_request import DoorRequest
from gatewatch.core.state import RequestRecord, State

REASON_RULES = (
    lockdown,
    not_expected,
    authority_unverified,
    night_two_person,
    not_screened,
    items_not_surrendered,
    person_of_concern,
    escort_required,
    interlock,
    not_at_door,
)
"""Every reason a request can be denied for, in the contract's order, then the project's own."""


def decide(request: DoorRequest) -> tuple[Reason, ...]:
    """Egress is always granted; otherwise every reason that holds, for anyone in ``for``."""
    if request.is_egress():
        return ()
    return tuple(reason for rule in REASON_RULES if (reason := rule.check(request)) is not None)


def approach(state: State, request: DoorRequest, event_id: str) -> tuple[State, list[Alert]]:
    """A visitor's request into a private zone is checked for a narrowing approach first."""
    if request.is_egress() or not request.far_zone.private:
        return state, []
    seeking = f"entry to {wording.zone(state, request.door.inward)}"
    alerts = [a for v in request.visitors() if (a := approach_escalation.check(state, v, request.at, seeking))]
    return consequences.apply(state, alerts, event_id), alerts


def request(state: State, event: ev.Request) -> Effect:
    door = state.site.doors[event.door]
    state, alerts = approach(state, DoorRequest(state, door, event.by, event.for_, event.at), event.id)
    reasons = decide(DoorRequest(state, door, event.by, event.for_, event.at))
    if not reasons:
        state = grants.issue(state, event.id, door.id, event.for_, event.at)
        return Effect(state, tuple(alerts), "grant", reasons)
    record = RequestRecord(door.id, event.by, event.for_, False, event.at)
    return Effect(overrides.keep_denial(state, event.id, record), tuple(alerts), "deny", reasons)


def override_request(state: State, event: ev.Override) -> Effect:
    record = overrides.awaiting(state, event.request, event.at)
    if record is None:  # granted in the first place, already overridden, or denied too long ago
        return Effect(state)
    alert = override.decide(state, event, record)
    if override.approved(state, event):
        state = grants.issue(state, event.request, record.door, record.people, event.at)
        state = overrides.settle(state, event.request)
    return Effect(state, (alert,))


def open_door(state: State, event: ev.Open) -> Effect:
    alert = door_forced.check(state, event.door, event.by, event.at)
    if alert is None and event.door not in state.open_doors:
        grant = grants.for_opening(state, event.door, event.at)
        if grant is not None:
            state = grants.use_opening(state, grant, event.at)
            if state.site.doors[event.door].read:  # its reader's hardware watches how long it stays open
                state = replace(state, held=state.held.set(event.door, event.at))
    state = replace(state, open_doors=state.open_doors.set(event.door, True))
    return Effect(state, (alert,) if alert else ())


def close_door(state: State, event: ev.Close) -> Effect:
    if event.door not in state.open_doors:
        return Effect(state)
    held = state.held.delete(event.door) if event.door in state.held else state.held
    return Effect(replace(state, open_doors=state.open_doors.delete(event.door), held=held))
