"""Why a door request is denied: the reason codes, in the contract's order, then the project's own."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ReasonCode(StrEnum):
    LOCKDOWN = "LOCKDOWN"
    NOT_EXPECTED = "NOT_EXPECTED"
    AUTHORITY_UNVERIFIED = "AUTHORITY_UNVERIFIED"
    NIGHT_TWO_PERSON = "NIGHT_TWO_PERSON"
    NOT_SCREENED = "NOT_SCREENED"
    ITEMS_NOT_SURRENDERED = "ITEMS_NOT_SURRENDERED"
    PERSON_OF_CONCERN = "PERSON_OF_CONCERN"
    ESCORT_REQUIRED = "ESCORT_REQUIRED"
    INTERLOCK = "INTERLOCK"
    # The project's own reasons, after the contract's.
    NOT_AT_DOOR = "NOT_AT_DOOR"
    # Readers and credentials (format version 2).
    CREDENTIAL_UNKNOWN = "CREDENTIAL_UNKNOWN"
    CREDENTIAL_REVOKED = "CREDENTIAL_REVOKED"
    CREDENTIAL_EXPIRED = "CREDENTIAL_EXPIRED"
    PIN_REQUIRED = "PIN_REQUIRED"
    NOT_VALID_HERE = "NOT_VALID_HERE"
    PASSBACK = "PASSBACK"
    TWO_PERSON = "TWO_PERSON"


WAIVABLE = frozenset(
    {
        ReasonCode.NOT_EXPECTED,
        ReasonCode.NOT_SCREENED,
        ReasonCode.ITEMS_NOT_SURRENDERED,
        ReasonCode.ESCORT_REQUIRED,
    }
)
"""What the principal may waive for one person for the rest of the day.

NOT_AT_DOOR is not among them: a waiver cannot put a person at a door they are not at.
"""


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason a request is denied: its code, whom it concerns, and plain words for a guard.

    ``remedy`` says what would make it a grant.
    """

    code: ReasonCode
    people: tuple[str, ...]
    explanation: str
    remedy: str
