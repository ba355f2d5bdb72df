"""People: search, and a person's file (every read of a file is recorded)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel

from gatewatch.api.access import User, needs
from gatewatch.core.trust import trust_of
from gatewatch.http.access import Wired
from gatewatch.service.permissions import UserRole
from gatewatch.service.trust import facts_from
from gatewatch.store.alerts import AlertFilter
from gatewatch.views import people as people_views
from gatewatch.views.discretion import hidden_from
from gatewatch.views.models import PersonFile, PersonSummary, TrustOut

router = APIRouter(tags=["people"])


class ReadOut(BaseModel):
    at: str
    user: str


@router.get("/people", summary="Search people by any name or id", response_model=list[PersonSummary])
def people(
    user: User,
    wired: Wired,
    q: Annotated[str, Query(max_length=200, description="Words every match must contain")] = "",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[PersonSummary]:
    return people_views.search(wired.desk.state, q, limit)


@router.get("/people/{person_id}", summary="A person's file", response_model=PersonFile)
def person_file(person_id: str, user: User, wired: Wired) -> PersonFile:
    """Identities, documents, vouches, invitations, visits, observations, concern and alerts.

    The read itself is recorded: who read this file, and when.
    """
    state = wired.desk.state
    person = state.people.get(person_id)
    if person is None:
        raise HTTPException(404, f'no person "{person_id}" is known on this site')
    wired.accounts.record_read(wired.clock().isoformat(), user.name, person_id)
    alerts = wired.alerts.find(AlertFilter(person=person_id, limit=100, hidden=hidden_from(user)))
    return people_views.person_file(state, person, alerts)


@router.get("/people/{person_id}/trust", summary="How a person came to be trusted", response_model=TrustOut)
def trust(person_id: str, user: User, wired: Wired) -> TrustOut:
    """Who invited, vouched for, vetted and confirmed them, back through those people; flagged when
    it rests on vouches and invitations alone."""
    if person_id not in wired.desk.state.people:
        raise HTTPException(404, f'no person "{person_id}" is known on this site')
    return people_views.trust_view(trust_of(person_id, facts_from(wired.log)))


@router.get(
    "/people/{person_id}/reads",
    summary="Who read a person's file",
    response_model=list[ReadOut],
    dependencies=[Depends(needs(UserRole.LEAD, UserRole.ADMIN))],
)
def reads(person_id: str, wired: Wired) -> list[ReadOut]:
    return [ReadOut(at=r.at, user=r.user) for r in wired.accounts.reads_of(person_id)]
