"""Overrides asked and approved: each override of a denied request they asked for (whatever
came of it), and each they approved as the lead who signed it (OVERRIDE: it opened the door).

Procedure it watches: an override turns a denial into a grant with a second person's
approval. Each is legitimate on its own; many, or always the same pair, are worth a look.
"""

from __future__ import annotations

from gatewatch.core import events as ev
from gatewatch.core.alerts import AlertCode
from gatewatch.core.insider_watch import Raised, Recorded, Seen, Watch

CODE = "overrides"
LABEL = "overrides asked or approved"


def seen(entry: Recorded, watch: Watch) -> list[tuple[str, Seen]]:
    event = entry.event
    if not isinstance(event, ev.Override):
        return []
    approved = entry.raised(AlertCode.OVERRIDE)
    refused = entry.raised(AlertCode.OVERRIDE_UNAPPROVED)
    asked = watch.denied.get(event.request)
    door = asked.door if asked is not None else _door_of(approved or refused)
    people = asked.people if asked is not None else ()
    at = f" at {watch.door(door)}" if door is not None else ""
    for_whom = f" for {', '.join(watch.person(p) for p in people)}" if people else ""
    came = (
        f"approved by {watch.person(event.approved_by)}"
        if approved and event.approved_by is not None
        else "not approved: the door stayed shut"
        if refused
        else "nothing left to override"
    )
    others = tuple(p for p in (*people, event.approved_by) if p is not None and p != event.by)
    said = f"asked to override request {event.request}{for_whom}{at}: {came}"
    found = [(event.by, watch.mark(entry, door, said, others))]
    if approved and event.approved_by is not None and event.approved_by != event.by:
        said = f"approved {watch.person(event.by)}'s override of request {event.request}{for_whom}{at}"
        found.append((event.approved_by, watch.mark(entry, door, said, (event.by, *people))))
    return found


def _door_of(alerts: tuple[Raised, ...]) -> str | None:
    """An override's alert names the door last."""
    return next((alert.subjects[-1] for alert in alerts if alert.subjects), None)
