"""What the API answers, as Pydantic models: the OpenAPI document is generated from these."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from gatewatch.core import limits


class Problem(BaseModel):
    """An error: what is wrong, and where (the field, and the event or parameter)."""

    detail: str
    field: str | None = None
    where: str | None = None


class AlertOut(BaseModel):
    code: str
    severity: Literal["info", "warning", "high", "critical"]
    subjects: list[str]
    message: str


class OutcomeOut(BaseModel):
    event: str
    type: str
    at: str
    decision: Literal["grant", "deny"] | None
    reasons: list[str]
    alerts: list[AlertOut]


class ReasonOut(BaseModel):
    code: str
    people: list[str]
    explanation: str = Field(description="Why, in plain words")
    remedy: str = Field(description="What would make it a grant")


class Decision(BaseModel):
    """The engine's outcome for a submitted event, and where the record keeps it."""

    outcome: OutcomeOut
    seq: int = Field(description="Position in the record")
    hash: str = Field(description="The entry's hash in the chain")
    duplicate: bool = Field(description="True when this event id was already recorded (the first outcome stands)")
    explained: list[ReasonOut] = Field(
        default_factory=list, description="Each reason in plain words, with its remedy (new decisions only)"
    )
    then: list[Decision] = Field(
        default_factory=list,
        description="What was recorded because of it: the watchlist screening after an identify or invite",
    )


class Login(BaseModel):
    name: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class SessionOut(BaseModel):
    token: str
    user: str
    role: str
    person: str | None
    expires: str | None


class Me(BaseModel):
    user: str
    role: str
    person: str | None


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


class Acknowledge(BaseModel):
    comment: str = Field(min_length=1, max_length=2000, description="What was done about it")


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


class Invite(BaseModel):
    id: str = Field(min_length=1, max_length=limits.ID_CHARS, description="Client-chosen id of the invite event")
    person: str = Field(min_length=1, max_length=limits.ID_CHARS)
    date: str = Field(description="The day expected, YYYY-MM-DD", pattern=r"^\d{4}-\d{2}-\d{2}$")
    private: bool = False
    purpose: str | None = Field(None, max_length=limits.TEXT_CHARS)


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


class VerifyOut(BaseModel):
    ok: bool
    count: int
    head: str
    redacted: int
    problem: str | None
    seq: int | None


class StoreHealth(BaseModel):
    ok: bool
    """The store reads and writes."""
    detail: str
    latency_ms: float | None
    """How long the probe took (none: it did not answer in time)."""


class DeskHealth(BaseModel):
    pending: int
    """Events decided and not yet on disk."""
    oldest_pending_s: float | None
    store_error: str | None
    """Why the desk's last write failed, while its events wait."""
    skipped: int
    """Recorded entries the desk could not replay at start (named in the server's log)."""
    clock_ahead_s: float | None
    troubles: list[str]
    """What makes the desk degraded, in plain words."""


class Health(BaseModel):
    status: Literal["ok", "degraded", "down"]
    store: StoreHealth
    desk: DeskHealth | None


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
