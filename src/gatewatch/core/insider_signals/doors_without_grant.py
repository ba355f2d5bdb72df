"""Doors opened without a grant: a door they opened that the engine found forced (DOOR_FORCED
names them as the one who opened it), or a zone they entered through a controlled door, or
where no door leads, with no grant covering them (UNAUTHORIZED_ENTRY names them).

Procedure it watches: a controlled door opens only on a granted request or an approved override.
Someone who works the doors and opens them without a grant lets people past the procedures.
"""

from __future__ import annotations

from gatewatch.core import events as ev
from gatewatch.core.alerts import AlertCode
from gatewatch.core.insider_watch import Recorded, Seen, Watch

CODE = "doors_without_grant"
LABEL = "doors opened without a grant"


def seen(entry: Recorded, watch: Watch) -> list[tuple[str, Seen]]:
    found: list[tuple[str, Seen]] = []
    event = entry.event
    if isinstance(event, ev.Open) and event.by is not None and entry.raised(AlertCode.DOOR_FORCED):
        found.append((event.by, watch.mark(entry, event.door, f"opened {watch.door(event.door)} with no grant")))
    for alert in entry.raised(AlertCode.UNAUTHORIZED_ENTRY):
        if not alert.subjects:
            continue
        person, zone = alert.subjects[0], alert.subjects[1] if len(alert.subjects) > 1 else None
        into = f" {watch.zone(zone)}" if zone is not None else ""
        found.append((person, watch.mark(entry, zone, f"went into{into} with no grant covering them")))
    return found
