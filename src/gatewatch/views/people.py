"""People: a summary, a search by name, a person's whole file, and how their trust was built (pure)."""

from __future__ import annotations

from gatewatch.core import name_search, wording
from gatewatch.core.people import Person
from gatewatch.core.state import State
from gatewatch.core.trust import Trust
from gatewatch.store.alerts import StoredAlert
from gatewatch.views import models as m
from gatewatch.views.alerts import alert_view
from gatewatch.views.invitations import invitation_view
from gatewatch.views.site_clock import on_site, shown, site_zone


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
    """A person's whole file; its times on the site's clock (``gatewatch.views.site_clock``)."""
    identity = state.identities.get(person.id)
    zone = site_zone(state.site)
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
                m.PresentedOut(at=on_site(p.at, zone), kind=p.kind, value=p.value, where=p.where, to=p.to)
                for p in (identity.presented if identity else ())
            ],
        ),
        vouched_by=list(state.vouches.get(person.id, ())),
        verifications=[
            m.VerificationOut(claim=v.claim, result=v.result, by=v.by, at=on_site(v.at, zone))
            for v in state.verifications.get(person.id, ())
        ],
        invitations=[invitation_view(person.id, i) for i in state.invitations.get(person.id, ())],
        visit=m.VisitOut(started=on_site(visit.started, zone), deepest_level=visit.deepest) if visit else None,
        visits=[
            m.VisitOut(started=on_site(v.started, zone), deepest_level=v.deepest)
            for v in state.history.get(person.id, ())
        ],
        observations=[f"{shown(at, zone)} {indicator}" for at, indicator in state.indicators.get(person.id, ())],
        alerts=[alert_view(a) for a in alerts],
    )


def trust_view(found: Trust) -> m.TrustOut:
    return m.TrustOut(
        person=found.person,
        links=[m.LinkOut(kind=link.kind, by=link.by, at=link.at, detail=link.detail) for link in found.links],  # type: ignore[arg-type]
        backers=[trust_view(backer) for backer in found.backers],
        rests_on_vouches_alone=found.rests_on_vouches_alone,
        cycle=found.cycle,
    )
