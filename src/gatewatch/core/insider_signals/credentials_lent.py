"""Credentials lent: their card presented at a door while the record had them inside already
(PASSBACK names them as its holder: the card was handed back over the door), or their card
completing a two-person pair at a two-person reader within ``TWO_HANDS_S`` of the other card,
faster than two people take turns at one reader: one hand holding both cards.

Procedure it watches: a credential is its holder's alone; a card lent lets someone in under
another's name, and a two-person room opened by one person holding two cards is opened alone.
"""

from __future__ import annotations

from datetime import timedelta

from gatewatch.core import events as ev
from gatewatch.core.alerts import AlertCode
from gatewatch.core.insider_watch import Recorded, Seen, Watch

CODE = "credentials_lent"
LABEL = "credentials lent (passback)"
TWO_HANDS_S = 2
"""Two badges at one reader closer than this were made by one hand."""


def seen(entry: Recorded, watch: Watch) -> list[tuple[str, Seen]]:
    found: list[tuple[str, Seen]] = []
    for alert in entry.raised(AlertCode.PASSBACK):
        if not alert.subjects:
            continue
        holder, door = alert.subjects[0], alert.subjects[1] if len(alert.subjects) > 1 else None
        at = f" at {watch.door(door)}" if door is not None else ""
        said = f"their card was presented{at} while the record had them inside"
        found.append((holder, watch.mark(entry, door, said)))
    event = entry.event
    if isinstance(event, ev.Badge) and entry.decision == "grant":
        found += _two_hands(entry, event, watch)
    return found


def _two_hands(entry: Recorded, event: ev.Badge, watch: Watch) -> list[tuple[str, Seen]]:
    first = watch.first_badges.get(event.reader)
    second = watch.holder(event.credential)
    if first is None or first.holder is None or second is None or first.holder == second:
        return []
    apart = event.at - first.at
    if apart > timedelta(seconds=TWO_HANDS_S):
        return []
    door = watch.door_of_reader(event.reader)
    where = watch.door(door) if door is not None else event.reader
    seconds = f"{apart.total_seconds():g}"
    return [
        (
            holder,
            watch.mark(
                entry,
                door,
                f"their card and {watch.person(other)}'s opened the two-person {where} {seconds} s apart (one hand?)",
                (other,),
                first.event,
            ),
        )
        for holder, other in ((first.holder, second), (second, first.holder))
    ]
