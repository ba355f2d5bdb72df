"""The engine's state as the API shows it: read models built from ``State`` (pure)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from gatewatch.api import models as m
from gatewatch.core import name_search, wording
from gatewatch.core.people import Person
from gatewatch.core.site import Site
from gatewatch.core.state import Invitation, State
from gatewatch.core.trust import Trust
from gatewatch.store.alerts import StoredAlert


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


def summary(state: State, person: Person) -> m.PersonSummary:
    return m.PersonSummary(
        id=person.id,
        name=wording.person(state, person.id),
        role=person.role.value,
        clearance=person.clearance.label,
        where=state.where.get(person.id),
        concern=state.of_concern(person.id),
    )


def search(state: State, words: str, limit: int = 50) -> list[m.PersonSummary]:
    """People whose id or any name they gave answers every word: case, accents and script
    aside, or spelled like the name (``gatewatch.core.name_search``). Those found in the
    letters come first, then those found as spellings; up to ``limit``."""
    wanted = words.split()
    in_letters: list[m.PersonSummary] = []
    as_spelling: list[m.PersonSummary] = []
    for person in state.people.values():
        identity = state.identities.get(person.id)
        how = name_search.match(wanted, (person.id, person.name, *(identity.names if identity else ())))
        if how == "letters":
            in_letters.append(summary(state, person))
            if len(in_letters) >= limit:
                break
        elif how == "spelling" and len(as_spelling) < limit:
            as_spelling.append(summary(state, person))
    return (in_letters + as_spelling)[:limit]


def person_file(state: State, person: Person, alerts: list[StoredAlert]) -> m.PersonFile:
    identity = state.identities.get(person.id)
    visit = state.visits.get(person.id)
    return m.PersonFile(
        **summary(state, person).model_dump(),
        lead=person.lead,
        concerns=list(state.concerns.get(person.id, ())),
        identity=m.IdentityOut(
            names=list(identity.names) if identity else [],
            documents=[
                m.DocumentOut(
                    kind=d.kind, country=d.country, number=d.number, expiry=d.expiry.isoformat() if d.expiry else None
                )
                for d in (identity.documents if identity else ())
            ],
            addresses=list(identity.addresses) if identity else [],
            employers=list(identity.employers) if identity else [],
            phones=list(identity.phones) if identity else [],
            vehicles=list(identity.vehicles) if identity else [],
            presented=[
                m.PresentedOut(at=p.at.isoformat(), kind=p.kind, value=p.value, where=p.where, to=p.to)
                for p in (identity.presented if identity else ())
            ],
        ),
        vouched_by=list(state.vouches.get(person.id, ())),
        verifications=[
            m.VerificationOut(claim=v.claim, result=v.result, by=v.by, at=v.at.isoformat())
            for v in state.verifications.get(person.id, ())
        ],
        invitations=[invitation_view(person.id, i) for i in state.invitations.get(person.id, ())],
        visit=m.VisitOut(started=visit.started.isoformat(), deepest_level=visit.deepest) if visit else None,
        visits=[
            m.VisitOut(started=v.started.isoformat(), deepest_level=v.deepest) for v in state.history.get(person.id, ())
        ],
        observations=[f"{at.isoformat()} {indicator}" for at, indicator in state.indicators.get(person.id, ())],
        alerts=[alert_view(a) for a in alerts],
    )


def invitation_view(person_id: str, invitation: Invitation) -> m.InvitationOut:
    return m.InvitationOut(
        person=person_id,
        date=invitation.day.isoformat(),
        by=invitation.by,
        private=invitation.private,
        purpose=invitation.purpose,
        event=invitation.event,
    )


def invitations_on(state: State, day: date | None) -> list[m.InvitationOut]:
    return [
        invitation_view(person_id, invitation)
        for person_id, invitations in state.invitations.items()
        for invitation in invitations
        if day is None or invitation.day == day
    ]


def alert_view(alert: StoredAlert) -> m.StoredAlertOut:
    ack = alert.acknowledged
    return m.StoredAlertOut(
        id=alert.id,
        seq=alert.seq,
        event=alert.event,
        at=alert.at,
        code=alert.code,
        severity=alert.severity,  # type: ignore[arg-type]
        subjects=list(alert.subjects),
        message=alert.message,
        acknowledged=m.AcknowledgementOut(by=ack.by, at=ack.at, comment=ack.comment) if ack else None,
    )


def trust_view(found: Trust) -> m.TrustOut:
    return m.TrustOut(
        person=found.person,
        links=[m.LinkOut(kind=link.kind, by=link.by, at=link.at, detail=link.detail) for link in found.links],  # type: ignore[arg-type]
        backers=[trust_view(backer) for backer in found.backers],
        rests_on_vouches_alone=found.rests_on_vouches_alone,
        cycle=found.cycle,
    )
