"""After people move: visitors newly unescorted, or newly alone with the principal."""

from __future__ import annotations

from collections.abc import Sequence

from gatewatch.core.alerts import Alert
from gatewatch.core.rules import alone_with_principal, unescorted_visitor
from gatewatch.core.state import State

PRESENCE_RULES = (unescorted_visitor, alone_with_principal)


def presence_alerts(before: State, after: State, people: Sequence[str]) -> list[Alert]:
    """Check the zones these people left and entered.

    Raised for a visitor who has just moved into a zone where a rule holds, or for one
    already there when it has just become true (the last escort left, the principal came).
    """
    moved = {p for p in people if before.zone_of(p) != after.zone_of(p)}
    zones: list[str] = []
    for person in people:
        for zone in (before.zone_of(person), after.zone_of(person)):
            if zone is not None and zone not in zones:
                zones.append(zone)
    alerts: list[Alert] = []
    for zone in zones:
        there = after.visitors_there(zone)
        if _settled(before, after, zone):  # only the newcomers can have changed: no scan of the crowd
            there = tuple(p for p in people if p in moved and after.zone_of(p) == zone)
        for visitor in sorted(there):
            was_there = visitor not in moved and before.zone_of(visitor) == zone
            for rule in PRESENCE_RULES:
                if rule.applies(after, visitor) and not (was_there and rule.applies(before, visitor)):
                    alerts.append(rule.alert(after, visitor))
    return alerts


def _settled(before: State, after: State, zone: str) -> bool:
    """Nothing a presence rule weighs for a visitor already in ``zone`` changed: the same escorts
    and principals there, the same day, the same waivers and concerns (unchanged parts of a state
    are the same objects, so this costs a few identity checks). A move changes the records of
    the people who moved only, and those are always checked."""
    return (
        before.escorts_in.get(zone) is after.escorts_in.get(zone)
        and before.principals_in.get(zone) is after.principals_in.get(zone)
        and before.waivers is after.waivers
        and before.concerns is after.concerns
        and before.now is not None
        and after.now is not None
        and before.now.date() == after.now.date()
    )
