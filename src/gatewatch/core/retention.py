"""Retention: which visitors' identity data the record may forget, and forgetting it.

The procedure: a visitor's identity data (the names, documents, addresses, employers and phones
they gave, their registration, and the watchlist screenings of them) is kept for the site's
``retention_days``. After that it is redacted, unless the person is of concern, is not a
visitor (staff, guards, residents: the site keeps its own people), or gave any of it more
recently (then all of it stays until the last claim expires). Pure: the desk decides with
these functions and the store redacts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from msgspec.structs import replace

from gatewatch.core.state import State

IDENTITY_EVENTS = frozenset({"identify", "register", "watchlist_check"})
"""The event types that carry identity data (a screening repeats the names it screened)."""


def subject(payload: Mapping[str, Any]) -> str | None:
    """The person an identity event is about."""
    person = payload.get("person")
    if isinstance(person, Mapping):
        found = person.get("id")
        return found if isinstance(found, str) else None
    return person if isinstance(person, str) else None


def cutoff(now: datetime, retention_days: int) -> datetime:
    return now - timedelta(days=retention_days)


def forgettable(state: State, person_id: str) -> bool:
    """A visitor (or someone only ever named by events) who is not of concern."""
    person = state.people.get(person_id)
    return (person is None or person.is_visitor) and not state.of_concern(person_id)


def to_forget(state: State, expired: Iterable[str], recent: Iterable[str]) -> frozenset[str]:
    """People all of whose identity events have expired, and whom the procedure lets go."""
    still_active = set(recent)
    return frozenset(p for p in expired if p not in still_active and forgettable(state, p))


def forget(state: State, people: Iterable[str]) -> State:
    """The state without these people's identity data (their name becomes their id)."""
    identities = state.identities
    persons = state.people
    for person_id in people:
        if person_id in identities:
            identities = identities.delete(person_id)
        person = persons.get(person_id)
        if person is not None and person.name != person.id:
            persons = persons.set(person_id, replace(person, name=person.id))
    return replace(state, identities=identities, people=persons)
