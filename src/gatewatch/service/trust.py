"""The record's trust events (invitations, vouches, vettings, verifications) as the core reads them."""

from __future__ import annotations

from gatewatch.core.trust import TRUST_EVENTS, Link, link_of
from gatewatch.store.log import EventLog


def facts_from(log: EventLog) -> dict[str, list[Link]]:
    """Each person's links, in the order recorded; an action the engine refused is left out."""
    facts: dict[str, list[Link]] = {}
    for entry in log.entries_of_types(TRUST_EVENTS):
        if entry.payload is None or any(a.get("code") == "NOT_PERMITTED" for a in entry.outcome.get("alerts", ())):
            continue
        found = link_of(entry.payload)
        if found is not None:
            person, link = found
            facts.setdefault(person, []).append(link)
    return facts
