"""The engine's state: who is where, visits, grants, doors, posts, concerns and lockdown.

State is immutable. Every collection that can grow with the site is a persistent map
(``immutables.Map``), so ``step`` changes a few entries in O(log n) and never scans the
site: the indexes below answer every question a rule asks.
"""

from __future__ import annotations

from datetime import date, datetime

import msgspec
from immutables import Map
from msgspec.structs import replace

from gatewatch.core.events import Document
from gatewatch.core.pathway import Pathway
from gatewatch.core.people import DEFAULT_CLEARANCE, Clearance, Person, Role
from gatewatch.core.reasons import ReasonCode
from gatewatch.core.site import Level, PersonSpec, Site
from gatewatch.core.watchlist import WatchEntry


class Visit(msgspec.Struct, frozen=True, array_like=True):
    """One visit, from ``arrive`` until ``leave``: what the person claimed, wore and showed."""

    started: datetime
    deepest: Level
    authority: str | None = None
    authority_confirmed: bool = False
    screened_clear: bool = False
    refused: frozenset[str] = frozenset()
    wearing: frozenset[str] = frozenset()
    carrying: frozenset[str] = frozenset()


class PastVisit(msgspec.Struct, frozen=True, array_like=True):
    started: datetime
    deepest: Level


class Grant(msgspec.Struct, frozen=True, array_like=True):
    """Lets each of ``people`` pass ``door`` once, and the door open once, until ``expires``."""

    request: str
    door: str
    people: frozenset[str]
    door_unused: bool
    expires: datetime


class RequestRecord(msgspec.Struct, frozen=True, array_like=True):
    """A denied request, kept so that a lead can override it (granted ones need nothing more)."""

    door: str
    by: str
    people: tuple[str, ...]
    granted: bool
    at: datetime


class Invitation(msgspec.Struct, frozen=True, array_like=True):
    day: date
    by: str
    private: bool
    purpose: str | None
    event: str


class Waiver(msgspec.Struct, frozen=True, array_like=True):
    day: date
    rules: frozenset[ReasonCode]
    event: str


class Presented(msgspec.Struct, frozen=True, array_like=True):
    """One claim as it was made: when, what, where the person stood, and to whom."""

    at: datetime
    kind: str
    value: str
    where: str | None
    to: str | None


class Identity(msgspec.Struct, frozen=True, array_like=True):
    """Identity claims a person has presented; they accumulate, each with when, where and to whom."""

    names: tuple[str, ...] = ()
    documents: tuple[Document, ...] = ()
    addresses: tuple[str, ...] = ()
    employers: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    vehicles: tuple[str, ...] = ()
    presented: tuple[Presented, ...] = ()


class Verification(msgspec.Struct, frozen=True, array_like=True):
    claim: str
    result: str
    by: str
    at: datetime


class AlarmRecord(msgspec.Struct, frozen=True, array_like=True):
    source: str
    kind: str
    zone: str | None
    at: datetime


class CredentialRecord(msgspec.Struct, frozen=True, array_like=True):
    """A credential as issued: its holder, kind, PIN secrets (hashes in the record), limits,
    and what has ended it. ``day`` is the site-local day of a visitor's one-day credential."""

    holder: str
    kind: str
    issued: str
    pin: str | None = None
    duress_pin: str | None = None
    until: datetime | None = None
    zones: frozenset[str] = frozenset()
    day: date | None = None
    revoked: str | None = None
    lapsed: bool = False


class CaseRecord(msgspec.Struct, frozen=True, array_like=True):
    """A case as the engine keeps it: on whom, its state, and the events that opened and closed it.

    ``status`` is ``open``, ``investigating``, ``monitoring`` or ``closed``. What it links and
    its sealed notes stay in the record (``case_open``, ``case_update``, ``case_note``)."""

    person: str
    opened: str
    at: datetime
    by: str
    status: str = "open"
    assignee: str | None = None
    review: date | None = None
    notes: int = 0
    closed: str | None = None

    @property
    def is_open(self) -> bool:
        return self.closed is None


class FirstBadge(msgspec.Struct, frozen=True, array_like=True):
    """The first of two badges at a two-person door's reader, awaiting the second."""

    holder: str
    at: datetime
    event: str


Members = Map[str, bool]
EMPTY_MEMBERS: Members = Map()


class State(msgspec.Struct, frozen=True):
    site: Site
    watchlist: tuple[WatchEntry, ...] = ()
    now: datetime | None = None
    night: bool | None = None
    people: Map[str, Person] = msgspec.field(default_factory=Map)
    where: Map[str, str] = msgspec.field(default_factory=Map)
    escorts_in: Map[str, Members] = msgspec.field(default_factory=Map)
    visitors_in: Map[str, Members] = msgspec.field(default_factory=Map)
    principals_in: Map[str, Members] = msgspec.field(default_factory=Map)
    visits: Map[str, Visit] = msgspec.field(default_factory=Map)
    history: Map[str, tuple[PastVisit, ...]] = msgspec.field(default_factory=Map)
    grants: Map[str, tuple[Grant, ...]] = msgspec.field(default_factory=Map)
    open_doors: Map[str, bool] = msgspec.field(default_factory=Map)
    requests: Map[str, RequestRecord] = msgspec.field(default_factory=Map)
    denials: tuple[tuple[datetime, str], ...] = ()
    """The requests in ``requests``, oldest first, so that expired ones are let go without a scan."""
    invitations: Map[str, tuple[Invitation, ...]] = msgspec.field(default_factory=Map)
    waivers: Map[str, Waiver] = msgspec.field(default_factory=Map)
    concerns: Map[str, tuple[str, ...]] = msgspec.field(default_factory=Map)
    lockdown: str | None = None
    on_post: Map[str, frozenset[str]] = msgspec.field(default_factory=Map)
    posts_of: Map[str, frozenset[str]] = msgspec.field(default_factory=Map)
    taken_posts: frozenset[str] = frozenset()
    understaffed: frozenset[str] = frozenset()
    alarms: Map[str, AlarmRecord] = msgspec.field(default_factory=Map)
    dismissals: Map[str, tuple[datetime, ...]] = msgspec.field(default_factory=Map)
    muted: Map[str, str] = msgspec.field(default_factory=Map)
    indicators: Map[str, tuple[tuple[datetime, str], ...]] = msgspec.field(default_factory=Map)
    weather: tuple[datetime, float] | None = None
    identities: Map[str, Identity] = msgspec.field(default_factory=Map)
    vouches: Map[str, tuple[str, ...]] = msgspec.field(default_factory=Map)
    verifications: Map[str, tuple[Verification, ...]] = msgspec.field(default_factory=Map)
    screened_names: Map[str, bool] = msgspec.field(default_factory=Map)
    identifiers: Map[str, tuple[str, ...]] = msgspec.field(default_factory=Map)
    """Each document number, phone, vehicle, address and employer presented (normalised), and by whom."""
    credentials: Map[str, CredentialRecord] = msgspec.field(default_factory=Map)
    credentials_of: Map[str, tuple[str, ...]] = msgspec.field(default_factory=Map)
    """Each holder's credential ids, so that a visitor's lapse at leaving needs no scan."""
    pin_misses: Map[str, tuple[datetime, ...]] = msgspec.field(default_factory=Map)
    """Wrong PINs on each credential within the guessing window."""
    first_badges: Map[str, FirstBadge] = msgspec.field(default_factory=Map)
    """At each two-person reader, the first badge awaiting a second."""
    held: Map[str, datetime] = msgspec.field(default_factory=Map)
    """Doors opened on a grant and still open: when each opened (DOOR_HELD not yet raised)."""
    devices: Map[str, str] = msgspec.field(default_factory=Map)
    """The last status each device reported."""
    pathways: Map[str, Pathway] = msgspec.field(default_factory=Map)
    """Each visitor's pathway: their visits and the marks the assessment scores (``core.pathway``)."""
    cases: Map[str, CaseRecord] = msgspec.field(default_factory=Map)
    """Every case, open or closed, by its id."""
    open_cases: Map[str, tuple[str, ...]] = msgspec.field(default_factory=Map)
    """Each person's open cases, so that closing one knows at once whether another stays open."""

    # --- questions rules ask ------------------------------------------------------------

    def person(self, person_id: str) -> Person:
        found = self.people.get(person_id)
        if found is None:
            raise KeyError(person_id)
        return found

    def zone_of(self, person_id: str) -> str | None:
        return self.where.get(person_id)

    def of_concern(self, person_id: str) -> bool:
        return person_id in self.concerns

    def escorts_there(self, zone: str, besides: str | None = None) -> int:
        members = self.escorts_in.get(zone, EMPTY_MEMBERS)
        return len(members) - (1 if besides is not None and besides in members else 0)

    def principal_there(self, zone: str) -> bool:
        return len(self.principals_in.get(zone, EMPTY_MEMBERS)) > 0

    def visitors_there(self, zone: str) -> tuple[str, ...]:
        return tuple(self.visitors_in.get(zone, EMPTY_MEMBERS).keys())

    def waived(self, person_id: str, rule: ReasonCode, day: date) -> bool:
        """A waiver counts on its day, and never for a person of concern."""
        waiver = self.waivers.get(person_id)
        return waiver is not None and waiver.day == day and rule in waiver.rules and not self.of_concern(person_id)

    def guards_on_post_in_zone(self, post_id: str) -> int:
        zone = self.site.posts[post_id].zone
        return sum(
            1
            for guard in self.on_post.get(post_id, frozenset())
            if self.where.get(guard) == zone and self.person(guard).is_guard
        )


# --- changes shared by several steps -------------------------------------------------


def _index_sets(person: Person) -> tuple[bool, bool, bool]:
    return person.is_escort, person.is_visitor, person.is_principal


def _with_member(index: Map[str, Members], zone: str, person_id: str, present: bool) -> Map[str, Members]:
    members = index.get(zone, EMPTY_MEMBERS)
    if present:
        members = members.set(person_id, True)
    elif person_id in members:
        members = members.delete(person_id)
    else:
        return index
    return index.set(zone, members) if len(members) else index.delete(zone)


def _reindex(state: State, person_id: str, zone: str, person: Person, present: bool) -> State:
    escort, visitor, principal = _index_sets(person)
    return replace(
        state,
        escorts_in=_with_member(state.escorts_in, zone, person_id, present and escort),
        visitors_in=_with_member(state.visitors_in, zone, person_id, present and visitor),
        principals_in=_with_member(state.principals_in, zone, person_id, present and principal),
    )


def place(state: State, person_id: str, zone: str | None) -> State:
    """Put a person in a zone (``None``: off site), keeping every index in step."""
    person = state.person(person_id)
    before = state.where.get(person_id)
    if before == zone:
        return state
    if before is not None:
        state = _reindex(state, person_id, before, person, present=False)
    if zone is None:
        return replace(state, where=state.where.delete(person_id))
    state = _reindex(state, person_id, zone, person, present=True)
    return replace(state, where=state.where.set(person_id, zone))


def set_person(state: State, person: Person) -> State:
    """Add or change a person, keeping the presence indexes true to their new role."""
    zone = state.where.get(person.id)
    old = state.people.get(person.id)
    if zone is not None and old is not None:
        state = _reindex(state, person.id, zone, old, present=False)
    state = replace(state, people=state.people.set(person.id, person))
    if zone is not None:
        state = _reindex(state, person.id, zone, person, present=True)
    return state


def person_from_spec(spec: PersonSpec) -> Person:
    role = Role(spec.role)
    clearance = Clearance.named(spec.clearance) if spec.clearance else DEFAULT_CLEARANCE[role]
    return Person(
        id=spec.id,
        name=spec.name or spec.id,
        role=role,
        clearance=clearance,
        lead=spec.lead,
        escort_capable=spec.escort,
    )


def initial_state(
    site: Site, extra_people: tuple[PersonSpec, ...] = (), watchlist: tuple[WatchEntry, ...] = ()
) -> State:
    """The state before the first event: the site's and the drill's people, where they are."""
    state = State(site=site, watchlist=watchlist)
    for spec in (*site.people, *extra_people):
        state = add_person(state, spec)
    return state


def add_person(state: State, spec: PersonSpec) -> State:
    """Register a person (replacing what an earlier event assumed of an unregistered id)."""
    person = person_from_spec(spec)
    state = set_person(state, person)
    if spec.name:
        identity = state.identities.get(spec.id, Identity())
        if spec.name not in identity.names:
            identity = replace(identity, names=(*identity.names, spec.name))
        state = replace(state, identities=state.identities.set(spec.id, identity))
    if spec.in_ is not None:
        state = place(state, spec.id, spec.in_)
    return state
