"""Alerts: codes, severities, and the alert a rule raises."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Severity(IntEnum):
    INFO = 0
    WARNING = 1
    HIGH = 2
    CRITICAL = 3

    @property
    def label(self) -> str:
        return self.name.lower()


class AlertCode(StrEnum):
    DOOR_FORCED = "DOOR_FORCED"
    UNAUTHORIZED_ENTRY = "UNAUTHORIZED_ENTRY"
    UNESCORTED_VISITOR = "UNESCORTED_VISITOR"
    ALONE_WITH_PRINCIPAL = "ALONE_WITH_PRINCIPAL"
    POST_UNDERSTAFFED = "POST_UNDERSTAFFED"
    CHECKIN_MISSED = "CHECKIN_MISSED"
    ALARM = "ALARM"
    ALARM_DISMISSED_REPEATEDLY = "ALARM_DISMISSED_REPEATEDLY"
    ALARM_SILENCED = "ALARM_SILENCED"
    CLAIM_FAILED = "CLAIM_FAILED"
    CLAIM_UNVERIFIABLE = "CLAIM_UNVERIFIABLE"
    IDENTITY_CONFLICT = "IDENTITY_CONFLICT"
    IDENTITY_LINK = "IDENTITY_LINK"
    DOCUMENT_EXPIRED = "DOCUMENT_EXPIRED"
    WATCHLIST_MATCH = "WATCHLIST_MATCH"
    PROHIBITED_ITEM = "PROHIBITED_ITEM"
    CONCERNING_BEHAVIOR = "CONCERNING_BEHAVIOR"
    APPROACH_ESCALATION = "APPROACH_ESCALATION"
    PATHWAY_RISING = "PATHWAY_RISING"
    CONCERN_ON_POST = "CONCERN_ON_POST"
    WAIVER = "WAIVER"
    WAIVER_REFUSED = "WAIVER_REFUSED"
    OVERRIDE = "OVERRIDE"
    OVERRIDE_UNAPPROVED = "OVERRIDE_UNAPPROVED"
    NOT_PERMITTED = "NOT_PERMITTED"
    # Readers, credentials and devices (format version 2).
    DURESS = "DURESS"
    REVOKED_CREDENTIAL_USED = "REVOKED_CREDENTIAL_USED"
    PIN_GUESSING = "PIN_GUESSING"
    PASSBACK = "PASSBACK"
    DOOR_HELD = "DOOR_HELD"
    DEVICE_OFFLINE = "DEVICE_OFFLINE"
    DEVICE_FAULT = "DEVICE_FAULT"
    DEVICE_TAMPER = "DEVICE_TAMPER"
    # Cases (the project's own).
    CASE_CLOSED = "CASE_CLOSED"
    # Many sites: what head office links across them.
    SITE_LINK = "SITE_LINK"

    @property
    def locks_down(self) -> bool:
        """A critical alert starts a lockdown, except DURESS: the door must behave as usual in
        front of whoever is forcing the holder."""
        return self is not AlertCode.DURESS

    @property
    def discreet(self) -> bool:
        """Shown only to leads and the desk's alert views, never at the door (DURESS)."""
        return self is AlertCode.DURESS


@dataclass(frozen=True, slots=True)
class Alert:
    """An alert raised at an event.

    ``people`` are the persons it names; ``places`` the doors, zones, posts or alarm sources.
    ``concern`` lists the people it makes persons of concern (the engine applies that).
    ``message`` says who, where, which procedure and what to do, for a guard at a glance.
    """

    code: AlertCode
    severity: Severity
    message: str
    people: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    concern: tuple[str, ...] = ()

    @property
    def subjects(self) -> tuple[str, ...]:
        return self.people + self.places
