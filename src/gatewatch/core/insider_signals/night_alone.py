"""Night openings alone: at night (the site's night hours), a door opened, or asked to be
opened, by them with fewer than two guards at the door's post: a request or badge the engine
denied for NIGHT_TWO_PERSON, an override that then opened such a request, or a door they
opened at night while the post that controls it had fewer than two guards on it (as the
record's post changes tell it).

Procedure it watches: at night a street door opens only with two guards at its post, so that
one guard is never alone with whoever is outside, and no one guard can let anyone in unseen.
"""

from __future__ import annotations

from gatewatch.core import events as ev
from gatewatch.core.alerts import AlertCode
from gatewatch.core.insider_watch import Recorded, Seen, Watch

CODE = "night_alone"
LABEL = "night openings alone"
REASON = "NIGHT_TWO_PERSON"
TWO = 2


def seen(entry: Recorded, watch: Watch) -> list[tuple[str, Seen]]:
    event = entry.event
    if isinstance(event, ev.Request) and REASON in entry.reasons:
        said = f"asked at night to open {watch.door(event.door)} with fewer than two guards at its post"
        return [(event.by, watch.mark(entry, event.door, said, tuple(p for p in event.for_ if p != event.by)))]
    if isinstance(event, ev.Badge) and REASON in entry.reasons:
        holder, door = watch.holder(event.credential), watch.door_of_reader(event.reader)
        if holder is None:
            return []
        said = f"badged at night at {watch.door(door) if door else event.reader} with fewer than two guards at its post"
        return [(holder, watch.mark(entry, door, said))]
    if isinstance(event, ev.Override) and entry.raised(AlertCode.OVERRIDE):
        asked = watch.denied.get(event.request)
        if asked is None or REASON not in asked.reasons:
            return []
        said = f"opened {watch.door(asked.door)} at night by override, with fewer than two guards at its post"
        return [(event.by, watch.mark(entry, asked.door, said, asked.people))]
    if isinstance(event, ev.Open) and event.by is not None and watch.night(event.at):
        opened = watch.state.site.doors.get(event.door)
        post = opened.controlled_by if opened is not None else None
        if post is None or (guards := watch.guards_on(post)) >= TWO:
            return []
        count = f"{guards} guard{'s' if guards != 1 else ''}"
        said = f"opened {watch.door(event.door)} at night with {count} on {watch.post(post)}"
        return [(event.by, watch.mark(entry, event.door, said))]
    return []
