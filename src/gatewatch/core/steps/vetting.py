"""Who people are: registration, identity claims, verification, vouches, vetting, invitations."""

from __future__ import annotations

from datetime import date

from msgspec.structs import replace

from gatewatch.core import events as ev
from gatewatch.core.alerts import Alert
from gatewatch.core.outcome import Effect
from gatewatch.core.people import Clearance
from gatewatch.core.rules import (
    approach_escalation,
    claim_failed,
    claim_unverifiable,
    document_expired,
    identity_conflict,
    identity_link,
    not_permitted,
    watchlist_match,
)
from gatewatch.core.state import Identity, Invitation, Presented, State, Verification, add_person, set_person


def screen_names(
    state: State, person_id: str, names: tuple[str, ...], born: date | None = None
) -> tuple[State, list[Alert]]:
    """Compare a person's names with the watchlist, once per person and name."""
    state = replace(state, screened_names=state.screened_names.set(person_id, True))
    if not state.watchlist or not names:
        return state, []
    alert = watchlist_match.check(state, person_id, names, born)
    return state, [alert] if alert else []


def register(state: State, event: ev.Register) -> Effect:
    state = add_person(state, event.person)
    names = (event.person.name,) if event.person.name else ()
    state, alerts = screen_names(state, event.person.id, names)
    return Effect(state, tuple(alerts))


def _add(items: tuple[str, ...], item: str | None) -> tuple[str, ...]:
    return items if item is None or item in items else (*items, item)


def presented(state: State, event: ev.Identify) -> tuple[Presented, ...]:
    """Each claim in the event, with when, where the person stood and to whom."""
    document = event.document
    claims = (
        ("name", event.name),
        ("document", f"{document.kind} {document.country} {document.number}" if document else None),
        ("birth date", event.birth_date.isoformat() if event.birth_date else None),
        ("address", event.address),
        ("employer", event.employer),
        ("phone", event.phone),
        ("vehicle", event.vehicle),
    )
    where = state.where.get(event.person)
    return tuple(Presented(event.at, kind, value, where, event.by) for kind, value in claims if value)


def identify(state: State, event: ev.Identify) -> Effect:
    alerts: list[Alert] = []
    if (conflict := identity_conflict.check(state, event)) is not None:
        alerts.append(conflict)
    if (link := identity_link.check(state, event)) is not None:
        alerts.append(link)
    if (expired := document_expired.check(state, event)) is not None:
        alerts.append(expired)
    state = identity_link.remember(state, event)
    identity = state.identities.get(event.person, Identity())
    documents = identity.documents
    if event.document is not None and event.document not in documents:
        documents = (*documents, event.document)
    identity = Identity(
        names=_add(identity.names, event.name),
        documents=documents,
        addresses=_add(identity.addresses, event.address),
        employers=_add(identity.employers, event.employer),
        phones=_add(identity.phones, event.phone),
        vehicles=_add(identity.vehicles, event.vehicle),
        presented=(*identity.presented, *presented(state, event)),
    )
    state = replace(state, identities=state.identities.set(event.person, identity))
    if event.name:
        state, matches = screen_names(state, event.person, (event.name,), event.birth_date)
        alerts += matches
    return Effect(state, tuple(alerts))


def verify(state: State, event: ev.Verify) -> Effect:
    record = Verification(event.claim, event.result, event.by, event.at)
    state = replace(
        state,
        verifications=state.verifications.set(event.person, (*state.verifications.get(event.person, ()), record)),
    )
    visit = state.visits.get(event.person)
    if event.claim == "authority" and event.result == "confirmed" and visit is not None:
        state = replace(state, visits=state.visits.set(event.person, replace(visit, authority_confirmed=True)))
    alerts = [a for rule in (claim_failed, claim_unverifiable) if (a := rule.check(state, event))]
    return Effect(state, tuple(alerts))


def vouch(state: State, event: ev.Vouch) -> Effect:
    vouches = state.vouches.get(event.for_, ())
    return Effect(replace(state, vouches=state.vouches.set(event.for_, _add(vouches, event.by))))


def vet(state: State, event: ev.Vet) -> Effect:
    refusal = not_permitted.check(state, event.by, f"vet {event.person} as {event.clearance}", "lead")
    if refusal is not None:
        return Effect(state, (refusal,))
    person = replace(state.person(event.person), clearance=Clearance.named(event.clearance))
    return Effect(set_person(state, person))


def invite(state: State, event: ev.Invite) -> Effect:
    refusal = not_permitted.check(state, event.by, f"invite {event.person}", "host")
    if refusal is not None:
        return Effect(state, (refusal,))
    day = event.date or event.at.date()
    invitation = Invitation(day, event.by, event.private, event.purpose, event.id)
    state = replace(
        state,
        invitations=state.invitations.set(event.person, (*state.invitations.get(event.person, ()), invitation)),
    )
    if not event.private:
        return Effect(state)
    alert = approach_escalation.check(state, event.person, event.at, f"a private meeting on {day:%d %B %Y}")
    return Effect(state, (alert,) if alert else ())


def watchlist_check(state: State, event: ev.WatchlistCheck) -> Effect:
    """A screening the service ran: a match for a person on site raises the alert."""
    best = next((c for c in event.candidates if c.is_match), None)
    if event.person is None or best is None:
        return Effect(state)
    return Effect(state, (watchlist_match.raised(state, event.person, best),))
