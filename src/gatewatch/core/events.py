"""Typed events: everything the site tells the engine, one class per ``type``.

Each event has an ``id``, a time ``at`` and an optional ``note``. Parsing raw mappings into
these classes lives in ``gatewatch.core.parse``.

Times are instants. ``at`` (and a credential's ``until``) is always aware: whatever offset it
was written with, the parser gives it as the site's clock showed it, with the site's offset at
that instant (a fixed offset, as the record keeps it: ``gatewatch.core.parse.at_site``), so that
two events are ordered, subtracted and found the same by their instants, even across a change
of the site's clocks, and the engine reads the site's clock (night, the day) from it. A time
written without an offset is site time (the drills contract); one the site's clocks skip is
refused. Plain data read back (``from_payload``) must carry its offset: a naive time there is
refused.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

import msgspec

from gatewatch.core.bounded import (
    CaseLinks,
    CredentialZones,
    Id,
    Items,
    KeyFingerprint,
    MrzLines,
    Name,
    Nonce,
    People,
    PinDigits,
    PinSecret,
    SealedText,
    SomeItems,
    SomePeople,
    TempC,
    Text,
)
from gatewatch.core.site import PersonSpec
from gatewatch.core.watchlist import Candidate

Instant = Annotated[datetime, msgspec.Meta(tz=True)]
"""A date and time with its offset from UTC: an instant (a naive time is refused on reading)."""


class Event(msgspec.Struct, tag_field="type", forbid_unknown_fields=True, frozen=True, kw_only=True):
    id: Id
    at: Instant
    note: Text | None = None

    @property
    def type(self) -> str:
        return str(self.__struct_config__.tag)


Names = People
"""A list of one name or more (a single name may be written alone), bounded in ``limits``."""


class Document(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    kind: Id
    country: Id
    number: Id
    mrz: MrzLines | None = None
    expiry: date | None = None


class Claims(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    authority: Name | None = None


class Register(Event, tag="register", frozen=True):
    person: PersonSpec


class Identify(Event, tag="identify", frozen=True):
    person: Id
    name: Name | None = None
    document: Document | None = None
    address: Text | None = None
    employer: Name | None = None
    phone: Name | None = None
    vehicle: Name | None = None
    birth_date: date | None = None
    by: Id | None = None
    """Who took the claims (the guard or analyst they were presented to)."""


ClaimKind = Literal["identity", "address", "employer", "authority"]
VerifyResult = Literal["confirmed", "failed", "unverifiable"]


class Verify(Event, tag="verify", frozen=True):
    person: Id
    claim: ClaimKind
    result: VerifyResult
    by: Id


class Vouch(Event, tag="vouch", frozen=True):
    by: Id
    for_: Id = msgspec.field(name="for")


class Vet(Event, tag="vet", frozen=True):
    person: Id
    by: Id
    clearance: Literal["none", "visitor", "known", "trusted"]


class Invite(Event, tag="invite", frozen=True):
    by: Id
    person: Id
    date: date | None = None
    private: bool = False
    purpose: Text | None = None


class Arrive(Event, tag="arrive", frozen=True):
    people: Names
    door: Id
    claims: Claims | None = None
    wearing: Items = ()
    carrying: Items = ()


class Screen(Event, tag="screen", frozen=True):
    person: Id
    by: Id
    result: Literal["clear", "found", "refused"]
    found: Items = ()
    surrendered: Items = ()
    refused: Items = ()


class Request(Event, tag="request", frozen=True):
    door: Id
    by: Id
    for_: Names = msgspec.field(name="for")


class Override(Event, tag="override", frozen=True):
    request: Id
    by: Id
    approved_by: Id | None = None
    reason: Text | None = None


class Waive(Event, tag="waive", frozen=True):
    by: Id
    for_: Id = msgspec.field(name="for")
    rules: SomeItems
    reason: Text | None = None


class Open(Event, tag="open", frozen=True):
    door: Id
    by: Id | None = None


class Close(Event, tag="close", frozen=True):
    door: Id
    by: Id | None = None


class Move(Event, tag="move", frozen=True):
    people: Names
    to: Id


class Leave(Event, tag="leave", frozen=True):
    people: Names


class PostChange(Event, tag="post", frozen=True):
    post: Id
    on_duty: SomePeople = ()
    off_duty: SomePeople = ()


class Checkin(Event, tag="checkin", frozen=True):
    post: Id
    by: Id | None = None
    missed: bool = False


class Alarm(Event, tag="alarm", frozen=True):
    alarm: Id
    source: Id
    kind: Id
    zone: Id | None = None


class Dismiss(Event, tag="dismiss", frozen=True):
    alarm: Id
    by: Id
    reason: Text | None = None


class Mute(Event, tag="mute", frozen=True):
    source: Id
    by: Id


class Observe(Event, tag="observe", frozen=True):
    person: Id
    by: Id
    indicators: SomeItems


class Concern(Event, tag="concern", frozen=True):
    person: Id
    by: Id
    open: bool


class Weather(Event, tag="weather", frozen=True):
    temp_c: TempC


class AllClear(Event, tag="all_clear", frozen=True):
    by: Id


CredentialKind = Literal["card", "pin", "card+pin"]
PinGiven = Literal["right", "wrong", "duress"]


class Credential(Event, tag="credential", frozen=True):
    """A credential issued to a person. ``pin`` and ``duress_pin`` are digits in a drill file;
    the desk records only their salted hashes (``gatewatch.core.pins``)."""

    person: Id
    credential: Id
    kind: CredentialKind
    by: Id
    pin: PinSecret | None = None
    duress_pin: PinSecret | None = None
    until: Instant | None = None
    zones: CredentialZones = ()


class Revoke(Event, tag="revoke", frozen=True):
    credential: Id
    by: Id
    reason: Text | None = None


class Badge(Event, tag="badge", frozen=True):
    """A credential presented at a reader. ``pin`` is the digits keyed (drills and devices);
    the desk records instead ``pin_given``: that a PIN was given and whether it was right,
    wrong or the duress PIN, never the digits."""

    reader: Id
    credential: Id
    pin: PinDigits | None = None
    pin_given: PinGiven | None = None


class Tick(Event, tag="tick", frozen=True):
    """The clock advances (a door held open is noticed without waiting for another event)."""


DeviceStatusName = Literal["online", "offline", "tamper", "fault"]


class Device(Event, tag="device", frozen=True):
    device: Id
    status: DeviceStatusName
    detail: Text | None = None


class Exit(Event, tag="exit", frozen=True):
    """The exit button at a door was pressed (the project's own event): the door may open once
    without being forced, whoever goes out. The driver has already released the lock."""

    door: Id


class Unanswered(Event, tag="unanswered", frozen=True):
    """A reader stopped waiting for a badge's decision and kept its door shut (the project's own
    event): whatever the desk decided for ``badge``, its grant is void."""

    badge: Id
    door: Id


class ListVersion(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    list: str
    version: int


class WatchlistCheck(Event, tag="watchlist_check", frozen=True):
    """A screening against the site's watchlists, as the service ran it: who screened (an
    account, not a person on site), whom (``person``, absent when a name is screened on
    demand), which list versions, and every candidate found with its score and reasons."""

    screened_by: str
    names: tuple[str, ...] = ()
    person: str | None = None
    birth_date: date | None = None
    documents: tuple[str, ...] = ()
    lists: tuple[ListVersion, ...] = ()
    candidates: tuple[Candidate, ...] = ()

    @property
    def result(self) -> Literal["match", "clear"]:
        return "match" if any(c.is_match for c in self.candidates) else "clear"


CaseStatus = Literal["open", "investigating", "monitoring"]
"""Where an open case stands; ``case_close`` (with its reason) ends it."""


class CaseOpen(Event, tag="case_open", frozen=True):
    """A case opened on a person (the project's own event): it makes them a person of concern
    until it is closed. ``links`` are the recorded events it starts from."""

    case: Id
    person: Id
    by: Id
    assignee: Id | None = None
    review: date | None = None
    reason: Text | None = None
    links: CaseLinks = ()


class CaseUpdate(Event, tag="case_update", frozen=True):
    """A change to an open case: its status, assignee or review date, and events linked to it."""

    case: Id
    by: Id
    status: CaseStatus | None = None
    assignee: Id | None = None
    review: date | None = None
    links: CaseLinks = ()
    """Events added to those the case links (the earlier links stay)."""


class SealedNote(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """A note's text as the record keeps it: sealed (authenticated encryption) with the key whose
    fingerprint is ``key``; ``nonce`` and ``text`` in base64. The engine never sees the words."""

    key: KeyFingerprint
    nonce: Nonce
    text: SealedText


class CaseNote(Event, tag="case_note", frozen=True):
    """A note added to an open case, sealed by the desk before it is recorded."""

    case: Id
    by: Id
    sealed: SealedNote


class CaseClose(Event, tag="case_close", frozen=True):
    """A case closed, and why: the person is no longer of concern unless another case on them
    stays open."""

    case: Id
    by: Id
    reason: Text


class NoteRead(Event, tag="note_read", frozen=True):
    """A case's note opened and read (``note``: the ``case_note`` event), by whom: every read of a
    note is in the record."""

    case: Id
    note: Id
    by: Id


LinkNumber = Annotated[int, msgspec.Meta(ge=1, le=2**53)]
"""Head office's number for a link between two sites (a whole number, as JSON carries it exactly)."""
LinkKind = Literal["document", "phone", "vehicle"]


class SiteLink(Event, tag="site_link", frozen=True):
    """Head office found that ``person`` here presented the same document, phone or vehicle (``kind``)
    as ``other_person`` (giving the name ``other_name``) at site ``other_site``, at ``other_at``.

    The project's own event, recorded by the site's sync as head office's note arrives (never
    submitted by a client); ``link`` is head office's number for the link. The other site's person
    id is theirs: it names no one here."""

    person: Id
    kind: LinkKind
    link: LinkNumber
    other_site: Id
    other_person: Id
    other_at: Instant
    other_name: Name | None = None


AnyEvent = (
    Register
    | Identify
    | Verify
    | Vouch
    | Vet
    | Invite
    | Arrive
    | Screen
    | Request
    | Override
    | Waive
    | Open
    | Close
    | Move
    | Leave
    | PostChange
    | Checkin
    | Alarm
    | Dismiss
    | Mute
    | Observe
    | Concern
    | Weather
    | AllClear
    | WatchlistCheck
    | Credential
    | Revoke
    | Badge
    | Tick
    | Device
    | Exit
    | Unanswered
    | CaseOpen
    | CaseUpdate
    | CaseNote
    | CaseClose
    | NoteRead
    | SiteLink
)

EVENT_TYPES: dict[str, type[Event]] = {
    str(cls.__struct_config__.tag): cls
    for cls in (
        Register,
        Identify,
        Verify,
        Vouch,
        Vet,
        Invite,
        Arrive,
        Screen,
        Request,
        Override,
        Waive,
        Open,
        Close,
        Move,
        Leave,
        PostChange,
        Checkin,
        Alarm,
        Dismiss,
        Mute,
        Observe,
        Concern,
        Weather,
        AllClear,
        WatchlistCheck,
        Credential,
        Revoke,
        Badge,
        Tick,
        Device,
        Exit,
        Unanswered,
        CaseOpen,
        CaseUpdate,
        CaseNote,
        CaseClose,
        NoteRead,
        SiteLink,
    )
}


def people_named(event: Event) -> tuple[str, ...]:
    """Every person id the event names, in the order written (actors included)."""
    named: list[str] = []
    for field_name in event.__struct_fields__:
        if field_name in PERSON_FIELDS:
            value = getattr(event, field_name)
            if isinstance(value, str):
                named.append(value)
            elif isinstance(value, tuple):
                named.extend(v for v in value if isinstance(v, str))
    if isinstance(event, Register):
        named.append(event.person.id)
    return tuple(dict.fromkeys(named))


PERSON_FIELDS = frozenset({"person", "people", "by", "for_", "approved_by", "on_duty", "off_duty"})
"""Fields that name people (``person`` on ``register`` is a mapping, handled apart)."""


def to_payload(event: Event) -> dict[str, Any]:
    """The event as plain data (its ``type``, ``at`` in ISO 8601, fields as written in files)."""
    payload: dict[str, Any] = msgspec.to_builtins(event)
    return payload


def from_payload(payload: dict[str, Any]) -> Event:
    """An event back from plain data written by ``to_payload`` (already checked once)."""
    event: Event = msgspec.convert(payload, AnyEvent, strict=False)
    return event
