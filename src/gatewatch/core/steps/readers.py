"""Readers, credentials and devices (format version 2): issuing and revoking credentials,
badges decided as requests by their holders, the exit button, ticks and device reports."""

from __future__ import annotations

from msgspec.structs import replace

from gatewatch.core import credentials, grants, overrides, pins
from gatewatch.core import events as ev
from gatewatch.core.alerts import Alert
from gatewatch.core.outcome import Effect
from gatewatch.core.reasons import Reason
from gatewatch.core.rules import (
    credential_expired,
    credential_issue,
    credential_revoked,
    credential_unknown,
    device_status,
    duress,
    not_valid_here,
    passback,
    pin_guessing,
    pin_required,
    revoked_credential_used,
    two_person,
)
from gatewatch.core.rules.badge_at import BadgeAt
from gatewatch.core.rules.door_request import DoorRequest
from gatewatch.core.state import FirstBadge, RequestRecord, State
from gatewatch.core.steps.doors import REASON_RULES, approach

CREDENTIAL_RULES = (credential_revoked, credential_expired, pin_required)
"""What a credential itself may be denied for, before the door is judged."""

PLACE_RULES = (not_valid_here, passback, two_person)
"""What a credential may be denied for at this door, after the request's own reasons."""


def credential(state: State, event: ev.Credential) -> Effect:
    refused = credential_issue.check_issue(state, event.by, event.person, event.credential, event.at)
    if refused is not None:
        return Effect(state, (refused,))
    return Effect(credentials.issue(state, event))


def revoke(state: State, event: ev.Revoke) -> Effect:
    refused = credential_issue.check_revoke(state, event.by, event.credential)
    if refused is not None:
        return Effect(state, (refused,))
    return Effect(credentials.revoke(state, event.credential, event.id))


def _alerts(badge: BadgeAt) -> tuple[State, list[Alert]]:
    state, guessing = pin_guessing.check(badge)
    found = [a for rule in (duress, revoked_credential_used) if (a := rule.check(badge)) is not None]
    if (warned := passback.alert(badge)) is not None:
        found.append(warned)
    return state, [*found, *((guessing,) if guessing else ())]


def badge(state: State, event: ev.Badge) -> Effect:
    reader = state.site.readers[event.reader]
    record = state.credentials.get(event.credential)
    pin = pins.judge(record, event) if record is not None else None
    seen = BadgeAt(state, reader, event.credential, record, pin, event.at, event.id)
    unknown = credential_unknown.check(seen)
    if unknown is not None or record is None:
        return Effect(state, (), "deny", (unknown,) if unknown else ())
    state, alerts = _alerts(seen)
    seen = replace_state(seen, state)
    if not reader.inward:  # an inside reader: going out is always free
        return Effect(grants.issue(state, event.id, reader.door, (record.holder,), event.at), tuple(alerts), "grant")
    return _judge_entry(seen, event, alerts)


def replace_state(badge_at: BadgeAt, state: State) -> BadgeAt:
    return BadgeAt(
        state, badge_at.reader, badge_at.credential_id, badge_at.credential, badge_at.pin, badge_at.at, badge_at.event
    )


def _judge_entry(seen: BadgeAt, event: ev.Badge, alerts: list[Alert]) -> Effect:
    holder = seen.holder
    assert holder is not None
    first = two_person.partner(seen)
    people = (holder,) if first is None else (first.holder, holder)
    state, more = approach(seen.state, DoorRequest(seen.state, seen.door, holder, people, event.at), event.id)
    seen = replace_state(seen, state)
    request = DoorRequest(state, seen.door, holder, people, event.at)
    reasons: tuple[Reason, ...] = (
        *(r for rule in CREDENTIAL_RULES if (r := rule.check(seen)) is not None),
        *(r for rule in REASON_RULES if (r := rule.check(request)) is not None),
        *(r for rule in PLACE_RULES if (r := rule.check(seen)) is not None),
    )
    raised = (*alerts, *more)
    reader = seen.reader.id
    if not reasons:
        state = grants.issue(state, event.id, seen.door.id, people, event.at)
        if reader in state.first_badges:
            state = replace(state, first_badges=state.first_badges.delete(reader))
        return Effect(state, raised, "grant")
    if all(r.code is two_person.CODE for r in reasons):
        waiting = FirstBadge(holder, event.at, event.id)
        state = replace(state, first_badges=state.first_badges.set(reader, waiting))
    record = RequestRecord(seen.door.id, holder, people, False, event.at)
    return Effect(overrides.keep_denial(state, event.id, record), raised, "deny", reasons)


def exit_pressed(state: State, event: ev.Exit) -> Effect:
    """The exit button: the door may open once, for whoever goes out (no one is named)."""
    return Effect(grants.issue(state, event.id, event.door, (), event.at), (), "grant")


def unanswered(state: State, event: ev.Unanswered) -> Effect:
    """A badge its reader gave up on: the door stayed shut, so nothing it granted may be used."""
    kept = tuple(g for g in state.grants.get(event.door, ()) if g.request != event.badge)
    if len(kept) == len(state.grants.get(event.door, ())):
        return Effect(state)
    grants_now = state.grants.set(event.door, kept) if kept else state.grants.delete(event.door)
    return Effect(replace(state, grants=grants_now))


def tick(state: State, _: ev.Tick) -> Effect:
    """Time passes; the engine looks at held doors after every event, this one included."""
    return Effect(state)


def device(state: State, event: ev.Device) -> Effect:
    state = replace(state, devices=state.devices.set(event.device, event.status))
    alert = device_status.check(event.device, event.status, event.detail)
    return Effect(state, (alert,) if alert else ())
