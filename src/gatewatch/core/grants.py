"""Grants: a granted request lets each person pass the door once, and the door open once."""

from __future__ import annotations

from datetime import datetime, timedelta

from msgspec.structs import replace

from gatewatch.core.state import Grant, State


def live(state: State, door_id: str, at: datetime) -> tuple[Grant, ...]:
    return tuple(g for g in state.grants.get(door_id, ()) if g.expires >= at)


def covering(state: State, door_id: str, person_id: str, at: datetime) -> Grant | None:
    """The oldest unexpired grant at the door that still lets this person pass."""
    return next((g for g in live(state, door_id, at) if person_id in g.people), None)


def for_opening(state: State, door_id: str, at: datetime) -> Grant | None:
    """The oldest unexpired grant at the door whose opening is unused."""
    return next((g for g in live(state, door_id, at) if g.door_unused), None)


def issue(state: State, request: str, door_id: str, people: tuple[str, ...], at: datetime) -> State:
    minutes = timedelta(minutes=state.site.policy.grant_minutes)
    grant = Grant(request, door_id, frozenset(people), door_unused=True, expires=at + minutes)
    return _store(state, door_id, (*live(state, door_id, at), grant))


def use_passage(state: State, grant: Grant, person_id: str, at: datetime) -> State:
    used = replace(grant, people=grant.people - {person_id})
    return _swap(state, grant, used, at)


def use_opening(state: State, grant: Grant, at: datetime) -> State:
    return _swap(state, grant, replace(grant, door_unused=False), at)


def _swap(state: State, old: Grant, new: Grant, at: datetime) -> State:
    kept = tuple(new if g is old else g for g in live(state, old.door, at))
    return _store(state, old.door, tuple(g for g in kept if g.people or g.door_unused))


def _store(state: State, door_id: str, grants: tuple[Grant, ...]) -> State:
    if grants:
        return replace(state, grants=state.grants.set(door_id, grants))
    return replace(state, grants=state.grants.delete(door_id)) if door_id in state.grants else state
