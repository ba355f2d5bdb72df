"""Names as a guard reads them: people, zones, doors and posts, in messages."""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from gatewatch.core.events import Event, SealedNote
from gatewatch.core.state import State


def person(state: State, person_id: str) -> str:
    """A registered person's name; for someone known only by an id, the latest name they gave."""
    known = state.people.get(person_id)
    if known is not None and known.name != known.id:
        return known.name
    identity = state.identities.get(person_id)
    if identity is not None and identity.names:
        return identity.names[-1]
    return person_id


def people(state: State, person_ids: Iterable[str]) -> str:
    names = [person(state, p) for p in person_ids]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _the(name: str, noun: str, nouns: tuple[str, ...]) -> str:
    """``the vestibule``, ``the outer door``, ``the gate post``; names that say it already stay."""
    if name.lower().startswith("the "):
        return name
    said = name if any(n in name.lower() for n in nouns) else f"{name} {noun}"
    return f"the {said}"


def zone(state: State, zone_id: str | None) -> str:
    if zone_id is None:
        return "off site"
    found = state.site.zones[zone_id]
    if found.name != found.id:
        return found.name
    return found.name if found.name.lower().startswith("the ") else f"the {found.name}"


def whereabouts(state: State, person_id: str) -> str:
    """Where the record has a person: ``in the patio``, or ``off site``."""
    found = state.zone_of(person_id)
    return "off site" if found is None else f"in {zone(state, found)}"


def door(state: State, door_id: str) -> str:
    return _the(state.site.doors[door_id].name, "door", ("door", "gate"))


def post(state: State, post_id: str) -> str:
    return _the(state.site.posts[post_id].name, "post", ("post", "tower", "hut", "lodge"))


def capital(text: str) -> str:
    """The first letter upper-cased, the rest as written (names keep their case)."""
    return text[:1].upper() + text[1:]


def codes(items: Iterable[str]) -> str:
    return ", ".join(items)


QUIET_FIELDS = ("id", "at", "note")


def describe(event: Event) -> str:
    """The event's own fields in one line: ``door street-door · by harte · for man-1, man-2``."""
    said = []
    for field in msgspec.structs.fields(event):
        value = getattr(event, field.name)
        if field.name in QUIET_FIELDS or value in (None, (), False):
            continue
        if isinstance(value, tuple):
            value = ", ".join(str(v) for v in value)
        elif isinstance(value, SealedNote):  # the words are sealed: their ciphertext says nothing to a reader
            value = f"(sealed with key {value.key[:12]})"
        elif isinstance(value, msgspec.Struct):
            value = ", ".join(f"{k} {v}" for k, v in msgspec.structs.asdict(value).items() if v not in (None, ()))
        said.append(f"{field.encode_name} {value}")
    return " · ".join(said)
