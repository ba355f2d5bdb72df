"""The read models' shapes, as Pydantic models: what the API answers and the console shows of the state."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class PersonHere(BaseModel):
    id: str
    name: str
    role: str
    visitor: bool
    concern: bool
    screened: bool | None = Field(None, description="For a visitor on a visit: screened clear")


class ZoneOut(BaseModel):
    id: str
    name: str
    level: int
    private: bool
    people: list[PersonHere]


class DoorOut(BaseModel):
    id: str
    name: str
    outward: str
    inward: str
    open: bool
    controlled_by: str | None
    interlock: str | None


class PostOut(BaseModel):
    id: str
    name: str
    zone: str
    on_duty: list[str]
    required: int
    understaffed: bool


class StateOut(BaseModel):
    site: str
    now: str | None
    night: bool | None
    lockdown: str | None
    zones: list[ZoneOut]
    doors: list[DoorOut]
    posts: list[PostOut]
    seq: int = Field(description="Entries recorded so far")


class AcknowledgementOut(BaseModel):
    by: str
    at: str
    comment: str


class StoredAlertOut(BaseModel):
    id: str
    seq: int
    event: str
    at: str
    code: str
    severity: Literal["info", "warning", "high", "critical"]
    subjects: list[str]
    message: str
    acknowledged: AcknowledgementOut | None


class DocumentOut(BaseModel):
    kind: str
    country: str
    number: str
    expiry: str | None = None


class PresentedOut(BaseModel):
    at: str
    kind: str = Field(description="name, document, birth date, address, employer, phone or vehicle")
    value: str
    where: str | None = Field(description="The zone the person stood in (none: off site, at the door)")
    to: str | None = Field(description="The person the claim was presented to")


class IdentityOut(BaseModel):
    names: list[str]
    documents: list[DocumentOut]
    addresses: list[str]
    employers: list[str]
    phones: list[str]
    vehicles: list[str]
    presented: list[PresentedOut] = Field(description="Every claim as it was made, oldest first")


class VisitOut(BaseModel):
    started: str
    deepest_level: int


class InvitationOut(BaseModel):
    person: str
    date: str
    by: str
    private: bool
    purpose: str | None
    event: str


class VerificationOut(BaseModel):
    claim: str
    result: str
    by: str
    at: str


class PersonSummary(BaseModel):
    id: str
    name: str
    role: str
    clearance: str
    where: str | None
    concern: bool


class PersonFile(PersonSummary):
    lead: bool
    concerns: list[str]
    identity: IdentityOut
    vouched_by: list[str]
    verifications: list[VerificationOut]
    invitations: list[InvitationOut]
    visit: VisitOut | None
    visits: list[VisitOut]
    observations: list[str]
    alerts: list[StoredAlertOut]


class ZoneSpecOut(BaseModel):
    id: str
    name: str
    level: int
    private: bool


class SiteOut(BaseModel):
    id: str
    name: str
    timezone: str
    zones: list[ZoneSpecOut]
    doors: list[DoorOut]
    posts: list[PostOut]


class LinkOut(BaseModel):
    kind: Literal["invited", "vouched", "vetted", "verified", "failed"]
    by: str
    at: str
    detail: str


class TrustOut(BaseModel):
    """How a person came to be admitted, and who backed those who backed them."""

    person: str
    links: list[LinkOut]
    backers: list[TrustOut]
    rests_on_vouches_alone: bool = Field(description="Invited or vouched for, but never vetted nor confirmed")
    cycle: bool = Field(description="This person already appears higher in the chain")
