"""Names as a guard reads them: people, zones, doors and posts, in messages."""

from __future__ import annotations

from collections.abc import Iterable

from gatewatch.core.state import State


def person(state: State, person_id: str) -> str:
    """A person's latest presented name, else their registered name, else their id."""
    identity = state.identities.get(person_id)
    if identity is not None and identity.names:
        return identity.names[-1]
    known = state.people.get(person_id)
    return known.name if known is not None else person_id


def people(state: State, person_ids: Iterable[str]) -> str:
    names = [person(state, p) for p in person_ids]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def zone(state: State, zone_id: str | None) -> str:
    if zone_id is None:
        return "off site"
    found = state.site.zones[zone_id]
    return f"the {found.name}" if found.name == found.id else found.name


def door(state: State, door_id: str) -> str:
    found = state.site.doors[door_id]
    return f"the {found.name} door" if "door" not in found.name.lower() else f"the {found.name}"


def post(state: State, post_id: str) -> str:
    found = state.site.posts[post_id]
    return f"the {found.name}" if "post" in found.name.lower() else f"the {found.name} post"


def codes(items: Iterable[str]) -> str:
    return ", ".join(items)
