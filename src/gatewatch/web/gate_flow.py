"""The gate as a guard works it: which visitor is in hand, the door in front of them, the
passage after a grant, and the decision card's heading in plain words.

Nothing here writes: it reads the engine's state and the form just sent, so that each step of
the Gate page starts from where the last one left off.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from gatewatch.core import wording
from gatewatch.core.site import Door, Site
from gatewatch.core.state import State

CARRIED_FIELDS = ("people", "for", "person")
"""Where a form's raw event names the people it is about, in the order looked at."""


def carried(raw: dict[str, Any] | None) -> list[str]:
    """The visitors a step was about, to carry into the next step's forms."""
    if not raw:
        return []
    for field in CARRIED_FIELDS:
        named = raw.get(field)
        if isinstance(named, str) and named:
            return [named]
        if isinstance(named, list) and named:
            return [str(person) for person in named]
    return []


def _post_beside(site: Site, door: Door) -> bool:
    """A controlled door whose controlling post stands on one of its two sides: the gate's own door."""
    post = site.posts.get(door.controlled_by or "")
    return post is not None and post.zone in (door.outward, door.inward)


def _preferred(site: Site, doors: Iterable[Door]) -> str | None:
    """Of the doors a visitor could face, a controlled one beside its post first, then by id."""
    ranked = sorted(doors, key=lambda d: (not d.controlled, not _post_beside(site, d), d.id))
    return ranked[0].id if ranked else None


def arrival_door(site: Site) -> str | None:
    """The door a visitor arriving from the street comes to: a perimeter door, the guarded one first."""
    return _preferred(site, (d for d in site.doors.values() if site.level(d.outward) == 0))


def door_ahead(state: State, people: Sequence[str]) -> str | None:
    """The door in front of the first visitor: out of the zone they stand in, inward.

    Off site, that is the door they arrive at; in the innermost zone, the door back out."""
    site = state.site
    zone = state.where.get(people[0]) if people else None
    if zone is None:
        return arrival_door(site)
    onward = _preferred(site, (d for d in site.doors.values() if d.outward == zone))
    return onward or _preferred(site, (d for d in site.doors.values() if d.inward == zone))


def far_side(state: State, door_id: str, people: Sequence[str]) -> str | None:
    """The zone people reach by passing the door: inward from its outer side, else outward."""
    door = state.site.doors.get(door_id)
    if door is None:
        return None
    standing = {state.where.get(person) for person in people}
    return door.outward if standing == {door.inward} else door.inward


def visitors_today(state: State, expected: Iterable[str]) -> list[tuple[str, str]]:
    """Today's expected visitors and the visitors on site now, as (id, name), for the pickers."""
    ids = dict.fromkeys(expected)
    for person_id in state.visits:
        person = state.people.get(person_id)
        if person is not None and person.is_visitor:
            ids[person_id] = None
    return [(person_id, wording.person(state, person_id)) for person_id in sorted(ids)]


@dataclass(frozen=True, slots=True)
class Passage:
    """A grant being used: the door, the people it lets through, and where they go."""

    door: str
    door_name: str
    people: tuple[str, ...]
    to: str | None
    to_name: str
    door_open: bool
    where: tuple[tuple[str, str], ...]
    """Each person's name and the zone they are in now, in words."""


def passage(state: State, door_id: str, people: Sequence[str]) -> Passage | None:
    """The passage card for a granted door, or None when the door is unknown or nobody is named."""
    if door_id not in state.site.doors or not people:
        return None
    to = far_side(state, door_id, people)
    return Passage(
        door=door_id,
        door_name=wording.door(state, door_id),
        people=tuple(people),
        to=to,
        to_name=wording.zone(state, to),
        door_open=door_id in state.open_doors,
        where=tuple((wording.person(state, p), wording.zone(state, state.where.get(p))) for p in people),
    )


@dataclass(frozen=True, slots=True)
class Heading:
    """What the decision card says first: a grant, a denial, a refusal, or a step recorded."""

    kind: str
    title: str
    detail: str = ""
    hidden_codes: tuple[str, ...] = ()
    """Alert codes the heading already says in its own words, left out of the card's list."""


def heading(state: State, outcome: dict[str, Any], asked: dict[str, Any]) -> Heading:
    """The card's heading for an outcome, in the words a guard and a lead would use."""
    if outcome.get("type") == "override":
        return override_heading(state, outcome, asked)
    decision = outcome.get("decision")
    if decision == "grant":
        return Heading("grant", "✔ GRANT")
    if decision == "deny":
        return Heading("deny", "✖ DENY")
    return Heading("recorded", "Recorded")


def override_heading(state: State, outcome: dict[str, Any], asked: dict[str, Any]) -> Heading:
    """An approved override is a grant; a refused one says why, naming the lead as a lead."""
    codes = {alert["code"] for alert in outcome.get("alerts", ())}
    approver = str(asked.get("approved_by") or "")
    by = str(asked.get("by") or "")
    if "OVERRIDE" in codes:
        return Heading("grant", f"✔ Granted by override, approved by {wording.person(state, approver)}")
    if "OVERRIDE_UNAPPROVED" not in codes:
        request = asked.get("request", "")
        why = (
            f"request {request} is not waiting for an override: it was granted, overridden already, "
            f"or denied more than {state.site.policy.override_minutes} minutes ago. Ask at the door again."
        )
        return Heading("deny", "✖ Override not taken", why)
    return Heading("deny", "✖ Override refused", refusal(state, approver, by), ("OVERRIDE_UNAPPROVED",))


def refusal(state: State, approver: str, by: str) -> str:
    """Why an override was refused, with who signed named by what they are."""
    if not approver:
        why = "no lead approved it"
    elif approver == by:
        signer = state.people.get(approver)
        what = "the lead" if signer is not None and signer.lead else "the one"
        why = f"{wording.person(state, approver)} asked for it, and {what} who asks cannot also approve it"
    else:
        why = f"{wording.person(state, approver)} is not a lead"
    return f"{wording.capital(why)}: the door stays shut. Another lead signs the override (alert OVERRIDE_UNAPPROVED)."


def when_and_where(state: State, outcome: dict[str, Any], door_id: str | None, zone: tzinfo) -> str:
    """The card's line naming the door and the time, in the site's time zone."""
    at = datetime.fromisoformat(str(outcome["at"])).astimezone(zone)
    time = f"{at:%Y-%m-%d %H:%M} {at.tzname() or ''}".rstrip()
    if door_id is None or door_id not in state.site.doors:
        return time
    return f"At {wording.door(state, door_id)}, {time}"
