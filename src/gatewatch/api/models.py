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
    hash: str = Field(
        description="The entry's hash in the chain; empty for those not shown discreet alerts (it covers them)"
    )
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


class Acknowledge(BaseModel):
    comment: str = Field(min_length=1, max_length=2000, description="What was done about it")


class Invite(BaseModel):
    id: str = Field(min_length=1, max_length=limits.ID_CHARS, description="Client-chosen id of the invite event")
    person: str = Field(min_length=1, max_length=limits.ID_CHARS)
    date: str = Field(description="The day expected, YYYY-MM-DD", pattern=r"^\d{4}-\d{2}-\d{2}$")
    private: bool = False
    purpose: str | None = Field(None, max_length=limits.TEXT_CHARS)


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
