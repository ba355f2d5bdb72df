"""Denied requests awaiting an override: kept for the site's ``override_minutes``, then let go.

The procedure: a lead may turn a denied request into a grant while the person is still at the
door; after ``override_minutes`` the request is stale and the guard asks again. Denials are kept
oldest first beside the map, so each new denial lets the expired ones go without scanning
(the state does not grow with the months).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from msgspec.structs import replace

from gatewatch.core.state import RequestRecord, State


def window(state: State) -> timedelta:
    return timedelta(minutes=state.site.policy.override_minutes)


def awaiting(state: State, request_id: str, at: datetime) -> RequestRecord | None:
    """The denied request, if it can still be overridden at ``at``."""
    record = state.requests.get(request_id)
    if record is None or at - record.at > window(state):
        return None
    return record


def keep_denial(state: State, request_id: str, record: RequestRecord) -> State:
    """Keep a new denial, letting go of those too old to override."""
    limit = record.at - window(state)
    denials = state.denials
    requests = state.requests
    expired = 0
    for denied_at, old_id in denials:
        if denied_at >= limit:
            break
        if old_id in requests:
            requests = requests.delete(old_id)
        expired += 1
    return replace(
        state,
        requests=requests.set(request_id, record),
        denials=(*denials[expired:], (record.at, request_id)),
    )


def settle(state: State, request_id: str) -> State:
    """An overridden request is done with (its entry in ``denials`` goes when it expires)."""
    if request_id not in state.requests:
        return state
    return replace(state, requests=state.requests.delete(request_id))
