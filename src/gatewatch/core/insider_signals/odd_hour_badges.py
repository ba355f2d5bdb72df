"""Badges at odd hours: their card presented at a reader at night (the site's night hours)
while they were on no post (as the record's post changes tell it): a guard on the night shift
badges at night, someone off duty has no reason to.

Procedure it watches: staff come and go on their shifts; a card used at night by someone not
on duty is someone on site unseen, or a card in another hand.
"""

from __future__ import annotations

from gatewatch.core import events as ev
from gatewatch.core.insider_watch import Recorded, Seen, Watch

CODE = "odd_hour_badges"
LABEL = "badges at odd hours"


def seen(entry: Recorded, watch: Watch) -> list[tuple[str, Seen]]:
    event = entry.event
    if not isinstance(event, ev.Badge) or not watch.night(event.at):
        return []
    holder = watch.holder(event.credential)
    if holder is None or watch.posts_of.get(holder):
        return []
    door = watch.door_of_reader(event.reader)
    where = watch.door(door) if door is not None else event.reader
    decided = f" ({entry.decision})" if entry.decision else ""
    return [(holder, watch.mark(entry, door, f"badged at {where} at night, on no post{decided}"))]
