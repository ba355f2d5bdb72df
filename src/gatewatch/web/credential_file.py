"""A person's credentials and badges as the Gate and Person pages show them.

Each credential as the engine holds it now (kind, zones, until, revoked, lapsed), with when and
by whom it was issued and revoked, from the record; its state in one word: ``valid``,
``revoked``, ``expired`` (past its ``until``, or a one-day credential past its day) or
``lapsed`` (a visitor's one-day credential, ended when they left). Each badge with the
credentials they held: the time, the reader and its door, the decision and its reasons, and
nothing more (a badge given the duress PIN is a plain grant here, for everyone).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from gatewatch.core import wording
from gatewatch.core.state import CredentialRecord, State
from gatewatch.store import credential_trail as trail
from gatewatch.store.log import EventLog

MOST_BADGES = 50
"""Badges shown on a person's page, newest first."""

STATES = ("valid", "revoked", "expired", "lapsed")


@dataclass(frozen=True, slots=True)
class CredentialLine:
    id: str
    kind: str
    issued: str
    """When and by whom, in words: ``2026-11-30 10:02 by Gus Guard``."""
    zones: str
    until: str
    state: str
    """One of ``STATES``."""
    ended: str
    """Why it no longer opens, in words (empty while valid)."""


@dataclass(frozen=True, slots=True)
class BadgeLine:
    at: str
    credential: str
    reader: str
    door: str
    decision: str
    reasons: tuple[str, ...]


def local(at: str | datetime, zone: tzinfo, to_the: str = "%Y-%m-%d %H:%M") -> str:
    """A recorded time in the site's time zone, to the minute (or as ``to_the`` says)."""
    moment = datetime.fromisoformat(at) if isinstance(at, str) else at
    return moment.astimezone(zone).strftime(to_the)


def state_of(record: CredentialRecord, now: datetime) -> str:
    """The credential's state at ``now`` (aware; a one-day credential's day is the site's)."""
    if record.revoked is not None:
        return "revoked"
    if record.lapsed:
        return "lapsed"
    if record.until is not None and now > record.until:
        return "expired"
    if record.day is not None and now.date() > record.day:
        return "expired"
    return "valid"


def until_words(record: CredentialRecord, zone: tzinfo) -> str:
    day = f"the end of {record.day:%Y-%m-%d} or their leaving" if record.day is not None else ""
    until = local(record.until, zone) if record.until is not None else ""
    if day and until:
        return f"{until}, or {day}, whichever comes first"
    return until or day or "no end"


def _day_words(day: date | None) -> str:
    return f" ({day:%Y-%m-%d})" if day is not None else ""


def ended_words(
    state: State, record: CredentialRecord, now: datetime, revoked: trail.Revocation | None, zone: tzinfo
) -> str:
    said = state_of(record, now)
    if said == "revoked":
        if revoked is None:
            return "revoked"
        by = wording.person(state, revoked.by) if revoked.by else "someone"
        why = f": {revoked.reason}" if revoked.reason else ""
        return f"revoked by {by} at {local(revoked.at, zone)}{why}"
    if said == "lapsed":
        return f"lapsed when {wording.person(state, record.holder)} left{_day_words(record.day)}"
    if said == "expired":
        if record.until is not None and now > record.until:
            return f"ended at {local(record.until, zone)}"
        return f"a one-day credential, it lapsed at the end of {record.day:%Y-%m-%d}"
    return ""


def credential_lines(
    state: State,
    person: str,
    issued: Mapping[str, trail.Issuance],
    revoked: Mapping[str, trail.Revocation],
    now: datetime,
    zone: tzinfo,
) -> list[CredentialLine]:
    """The person's credentials as the engine holds them, newest issued first."""
    lines = []
    for credential in reversed(state.credentials_of.get(person, ())):
        record = state.credentials.get(credential)
        if record is None:
            continue
        issuance = issued.get(record.issued)
        when = (
            f"{local(issuance.at, zone)} by {wording.person(state, issuance.by)}" if issuance else f"as {record.issued}"
        )
        zones = ", ".join(wording.zone(state, z) for z in sorted(record.zones) if z in state.site.zones)
        lines.append(
            CredentialLine(
                id=credential,
                kind=record.kind,
                issued=when,
                zones=zones or "every zone they may enter",
                until=until_words(record, zone),
                state=state_of(record, now),
                ended=ended_words(state, record, now, revoked.get(record.revoked or ""), zone),
            )
        )
    return lines


def badge_lines(state: State, badges: Iterable[trail.Badge], zone: tzinfo) -> list[BadgeLine]:
    site = state.site
    lines = []
    for badge in badges:
        reader = site.readers.get(badge.reader)
        door = wording.door(state, reader.door) if reader is not None and reader.door in site.doors else "—"
        lines.append(
            BadgeLine(
                at=local(badge.at, zone, "%Y-%m-%d %H:%M:%S"),
                credential=badge.credential,
                reader=reader.name if reader is not None else badge.reader,
                door=door,
                decision=badge.decision or "—",
                reasons=badge.reasons,
            )
        )
    return lines


@dataclass(frozen=True, slots=True)
class CredentialFile:
    credentials: list[CredentialLine]
    badges: list[BadgeLine]


def now_at_site(state: State, clock: datetime) -> datetime:
    """The desk's time: its clock, or the record's last event when a drill ran ahead of it."""
    return max(state.now or clock, clock)


def credential_file(
    record: EventLog, state: State, person: str, clock: datetime, zone: tzinfo, badges: bool = True
) -> CredentialFile:
    """What the record and the engine say of a person's credentials (and, with ``badges``, their badges)."""
    current = state.credentials_of.get(person, ())
    held = [state.credentials[c] for c in current if c in state.credentials]
    ever = set(current) | ({i.credential for i in trail.issued_to(record, person)} if badges else set())
    issuances = trail.issuances_of(record, ever) if ever else []
    revoked = trail.revocations(record, {r.revoked for r in held if r.revoked is not None})
    now = now_at_site(state, clock).astimezone(zone)
    lines = credential_lines(state, person, {i.event: i for i in issuances}, revoked, now, zone)
    if not badges:
        return CredentialFile(lines, [])
    spans = trail.held_spans(issuances, person)
    found = trail.badges_within(record, spans, MOST_BADGES) if spans else []
    return CredentialFile(lines, badge_lines(state, found, zone))
