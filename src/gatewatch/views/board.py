"""The board: who is in which zone, the doors and the posts, and the site's plan (pure)."""

from __future__ import annotations

from collections import defaultdict

from gatewatch.core import wording
from gatewatch.core.site import Site
from gatewatch.core.state import State
from gatewatch.views import models as m


def state_view(state: State, seq: int) -> m.StateOut:
    present: dict[str, list[m.PersonHere]] = defaultdict(list)
    for person_id, zone in state.where.items():
        present[zone].append(_here(state, person_id))
    zones = [
        m.ZoneOut(
            id=z.id,
            name=z.name,
            level=z.level,
            private=z.private,
            people=sorted(present.get(z.id, []), key=lambda p: (p.role, p.name)),
        )
        for z in sorted(state.site.zones.values(), key=lambda z: (z.level, z.id))
    ]
    return m.StateOut(
        site=state.site.id,
        now=state.now.isoformat() if state.now else None,
        night=state.night,
        lockdown=state.lockdown,
        zones=zones,
        doors=doors_view(state.site, state),
        posts=posts_view(state.site, state),
        seq=seq,
    )


def _here(state: State, person_id: str) -> m.PersonHere:
    person = state.people.get(person_id)
    visit = state.visits.get(person_id)
    return m.PersonHere(
        id=person_id,
        name=wording.person(state, person_id),
        role=person.role.value if person else "visitor",
        visitor=bool(person and person.is_visitor),
        concern=state.of_concern(person_id),
        screened=visit.screened_clear if visit and person and person.is_visitor else None,
    )


def doors_view(site: Site, state: State | None = None) -> list[m.DoorOut]:
    return [
        m.DoorOut(
            id=d.id,
            name=d.name,
            outward=d.outward,
            inward=d.inward,
            open=bool(state and d.id in state.open_doors),
            controlled_by=d.controlled_by,
            interlock=d.interlock,
        )
        for d in site.doors.values()
    ]


def posts_view(site: Site, state: State | None = None) -> list[m.PostOut]:
    night = bool(state and state.night)
    return [
        m.PostOut(
            id=p.id,
            name=p.name,
            zone=p.zone,
            on_duty=sorted(state.on_post.get(p.id, frozenset())) if state else [],
            required=p.required(night),
            understaffed=bool(state and p.id in state.understaffed),
        )
        for p in site.posts.values()
    ]


def site_view(site: Site) -> m.SiteOut:
    return m.SiteOut(
        id=site.id,
        name=site.name,
        timezone=site.timezone,
        zones=[m.ZoneSpecOut(id=z.id, name=z.name, level=z.level, private=z.private) for z in site.zones.values()],
        doors=doors_view(site),
        posts=posts_view(site),
    )
