"""Check-ins missed: a tour's check-in missed by them, or missed at a post they were on when
nobody is named (the record's post changes tell who was on it).

Procedure it watches: every post checks in on its tour; a missed check-in may mean a post
overpowered or asleep, and a guard who misses many leaves gaps someone can use.
"""

from __future__ import annotations

from gatewatch.core import events as ev
from gatewatch.core.insider_watch import Recorded, Seen, Watch

CODE = "checkins_missed"
LABEL = "check-ins missed"


def seen(entry: Recorded, watch: Watch) -> list[tuple[str, Seen]]:
    event = entry.event
    if not isinstance(event, ev.Checkin) or not event.missed:
        return []
    post = watch.post(event.post)
    if event.by is not None:
        return [(event.by, watch.mark(entry, event.post, f"missed the check-in at {post}"))]
    on_post = sorted(watch.on_post.get(event.post, ()))
    said = f"on {post} when its check-in was missed"
    return [(person, watch.mark(entry, event.post, said, _besides(on_post, person))) for person in on_post]


def _besides(people: list[str], person: str) -> tuple[str, ...]:
    return tuple(p for p in people if p != person)
