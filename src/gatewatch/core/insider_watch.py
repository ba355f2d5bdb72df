"""What the insider view reads and keeps while it goes through the record: the recorded entries
as the core sees them, the events behind a signal, and the working memory of one pass.

Pure: the shell hands over each entry (the typed event, its position, what the engine decided
and raised, as the record keeps it). The record keeps of each alert its code, severity and
subjects (the people it names, then the places), not whom it made of concern: ``concerned``
tells that from the alert's code and severity, as the rules set it (a test holds the two
together over the example drills).

Who holds a card is read from the credentials issued in the entries, else from the state as it
stands: a card issued to someone else after it was presented is read as the later holder's
(for staff cards, which are rarely reissued, the same).

Everything kept is bounded: the credentials issued, denied requests, alarms, people of concern
and people awaiting a concern are let go oldest first past ``MAX_TRACKED``; each person's
pending requests past ``MAX_PENDING``.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import msgspec

from gatewatch.core import events as ev
from gatewatch.core import wording
from gatewatch.core.alerts import AlertCode
from gatewatch.core.people import Person, Role
from gatewatch.core.state import State

MAX_TRACKED = 10_000
"""Denied requests, alarms and people awaiting a concern kept at once (the oldest let go first)."""
MAX_PENDING = 20
"""Requests kept per person while waiting to see whether they are found of concern."""

ALWAYS_CONCERN = frozenset(
    {
        AlertCode.DOOR_FORCED,
        AlertCode.UNAUTHORIZED_ENTRY,
        AlertCode.PROHIBITED_ITEM,
        AlertCode.WATCHLIST_MATCH,
        AlertCode.CLAIM_FAILED,
        AlertCode.APPROACH_ESCALATION,
    }
)
"""Alerts that always make the first person they name of concern."""
HIGH_CONCERN = frozenset({AlertCode.CONCERNING_BEHAVIOR, AlertCode.IDENTITY_CONFLICT})
"""Alerts that make the first person they name of concern when raised high (or above)."""
HIGH_CONCERN_CODES = frozenset(code.value for code in HIGH_CONCERN)
CONCERN_CODES = frozenset(code.value for code in ALWAYS_CONCERN | HIGH_CONCERN)
"""Every alert code that can make someone of concern, as the record writes it.

IDENTITY_LINK is left out: it makes people of concern only when they share papers, which its
recorded code and severity do not tell apart (its people are named by the other alerts a
lead's follow-up raises, or by a ``concern`` event)."""
GRAVE = frozenset({"high", "critical"})

K = TypeVar("K")
V = TypeVar("V")


class Raised(msgspec.Struct, frozen=True):
    """An alert as the record keeps it: code, severity label, and subjects (people, then places)."""

    code: str
    severity: str
    subjects: tuple[str, ...] = ()


class Recorded(msgspec.Struct, frozen=True):
    """One entry of the record: its position, the typed event, and the engine's outcome."""

    seq: int
    event: ev.Event
    decision: str | None = None
    reasons: tuple[str, ...] = ()
    alerts: tuple[Raised, ...] = ()

    def raised(self, code: AlertCode) -> tuple[Raised, ...]:
        return tuple(a for a in self.alerts if a.code == code.value)


class Seen(msgspec.Struct, frozen=True):
    """One event behind a signal: where in the record, when, where on the site, who else, and
    what happened in plain words. ``linked``: a later event it is tied to (the concern found)."""

    event: str
    seq: int
    at: datetime
    type: str
    where: str | None
    said: str
    others: tuple[str, ...] = ()
    linked: str | None = None


def recorded(seq: int, event: ev.Event, outcome: Mapping[str, Any]) -> Recorded:
    """An entry as the core reads it, from the outcome the record keeps (``Outcome.to_dict``'s shape)."""
    alerts = tuple(
        Raised(str(a.get("code", "")), str(a.get("severity", "")), tuple(str(s) for s in a.get("subjects", ())))
        for a in outcome.get("alerts", ())
        if isinstance(a, Mapping)
    )
    decision = outcome.get("decision")
    reasons = tuple(str(code) for code in outcome.get("reasons", ()))
    return Recorded(seq, event, decision if isinstance(decision, str) else None, reasons, alerts)


def concerned(entry: Recorded, alert: Raised) -> str | None:
    """The person this recorded alert made of concern, if any (see ``CONCERN_CODES``)."""
    if alert.code not in CONCERN_CODES or (alert.code in HIGH_CONCERN_CODES and alert.severity not in GRAVE):
        return None
    if alert.code == AlertCode.DOOR_FORCED.value:  # its subjects are the door alone when nobody is named
        event = entry.event
        return event.by if isinstance(event, ev.Open) else None
    return alert.subjects[0] if alert.subjects else None


@dataclass(frozen=True, slots=True)
class Asked:
    """A denied request or badge, kept so that an override of it can be read: where, by whom,
    for whom, and why it was denied."""

    door: str
    by: str | None
    people: tuple[str, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FirstBadge:
    """The first of two badges at a two-person reader (denied for TWO_PERSON alone)."""

    holder: str | None
    at: datetime
    event: str


@dataclass(slots=True)
class Watch:
    """The working memory of one pass over the record (local to that pass): the site and its
    people as they stand, and what the entries so far tell of who was on post, who holds each
    credential, which requests were denied, and who asked for whom."""

    state: State
    issued: OrderedDict[str, str] = field(default_factory=OrderedDict)
    """Credentials issued in the entries read so far, and to whom (the state's holder otherwise)."""
    on_post: dict[str, set[str]] = field(default_factory=dict)
    posts_of: dict[str, set[str]] = field(default_factory=dict)
    denied: OrderedDict[str, Asked] = field(default_factory=OrderedDict)
    sources: OrderedDict[str, str] = field(default_factory=OrderedDict)
    first_badges: dict[str, FirstBadge] = field(default_factory=dict)
    pending: OrderedDict[str, deque[tuple[str, Seen]]] = field(default_factory=OrderedDict)
    of_concern: OrderedDict[str, bool] = field(default_factory=OrderedDict)
    cases: OrderedDict[str, str] = field(default_factory=OrderedDict)
    """Cases opened in the entries read and not yet closed, and on whom."""
    names: dict[tuple[str, str], str] = field(default_factory=dict)
    """Names already worded in this pass (the site's names do not change during it)."""

    # --- who and where ------------------------------------------------------------------

    @property
    def people(self) -> Mapping[str, Person]:
        return self.state.people

    def staff(self, person_id: str | None) -> bool:
        """Anyone known to the site who is not a visitor: guards, staff, residents, principals."""
        person = self.people.get(person_id) if person_id is not None else None
        return person is not None and person.role is not Role.VISITOR

    def guard(self, person_id: str) -> bool:
        person = self.people.get(person_id)
        return person is not None and person.is_guard

    def night(self, at: datetime) -> bool:
        return self.state.site.is_night(at.time())

    def holder(self, credential: str) -> str | None:
        """Whom the credential was last issued to in the entries read, else whom it is issued to now."""
        if credential in self.issued:
            return self.issued[credential]
        record = self.state.credentials.get(credential)
        return record.holder if record is not None else None

    def guards_on(self, post: str) -> int:
        return sum(1 for person in self.on_post.get(post, ()) if self.guard(person))

    def door_of_reader(self, reader: str) -> str | None:
        found = self.state.site.readers.get(reader)
        return found.door if found is not None else None

    # --- names, as a lead reads them ------------------------------------------------------

    def person(self, person_id: str) -> str:
        return self._named("person", person_id)

    def door(self, door_id: str) -> str:
        return self._named("door", door_id)

    def zone(self, zone_id: str) -> str:
        return self._named("zone", zone_id)

    def post(self, post_id: str) -> str:
        return self._named("post", post_id)

    def _named(self, kind: str, ident: str) -> str:
        key = (kind, ident)
        name = self.names.get(key)
        if name is None:
            name = self.names[key] = _word(self.state, kind, ident)
            if len(self.names) > MAX_TRACKED:
                self.names.clear()
        return name

    def mark(
        self,
        entry: Recorded,
        where: str | None,
        said: str,
        others: tuple[str, ...] = (),
        linked: str | None = None,
    ) -> Seen:
        event = entry.event
        return Seen(event.id, entry.seq, event.at, event.type, where, said, others, linked)

    # --- keeping up with the record -------------------------------------------------------

    def track(self, entry: Recorded, counting: bool) -> None:
        """Take in what this entry changes (after the signals have read the entry);
        ``counting``: the entry lies in the window, so its requests may count later."""
        event = entry.event
        if isinstance(event, ev.PostChange):
            self._duty(event)
        elif isinstance(event, ev.Credential) and not entry.raised(AlertCode.NOT_PERMITTED):
            _keep(self.issued, event.credential, event.person)
        elif isinstance(event, ev.Alarm):
            _keep(self.sources, event.alarm, event.source)
        elif isinstance(event, ev.Request) and entry.decision == "deny":
            _keep(self.denied, event.id, Asked(event.door, event.by, event.for_, entry.reasons))
        elif isinstance(event, ev.Badge):
            self._badge(entry, event)
        if counting:
            self._asked_for(entry)
        self._found(entry)

    def _duty(self, event: ev.PostChange) -> None:
        guards = self.on_post.setdefault(event.post, set())
        for person in event.off_duty:
            guards.discard(person)
            self.posts_of.get(person, set()).discard(event.post)
        for person in event.on_duty:
            guards.add(person)
            self.posts_of.setdefault(person, set()).add(event.post)

    def _badge(self, entry: Recorded, event: ev.Badge) -> None:
        holder = self.holder(event.credential)
        reader = event.reader
        if entry.decision == "deny":
            door = self.door_of_reader(reader)
            if door is not None:
                _keep(self.denied, event.id, Asked(door, holder, (holder,) if holder else (), entry.reasons))
            if entry.reasons == ("TWO_PERSON",):
                self.first_badges[reader] = FirstBadge(holder, event.at, event.id)
        elif entry.decision == "grant":
            self.first_badges.pop(reader, None)

    def _asked_for(self, entry: Recorded) -> None:
        """Keep each request made by staff for someone else, to be counted if they are found of concern."""
        event = entry.event
        if isinstance(event, ev.Request):
            by, door, people = event.by, event.door, event.for_
        elif isinstance(event, ev.Override) and (asked := self.denied.get(event.request)) is not None:
            by, door, people = event.by, asked.door, asked.people
        else:
            return
        if not self.staff(by):
            return
        for person in people:
            if person == by or person in self.of_concern:  # already of concern: not found later
                continue
            said = f"asked for {self.person(person)} at {self.door(door)}"
            waiting = self.pending.pop(person, None) or deque(maxlen=MAX_PENDING)
            waiting.append((by, self.mark(entry, door, said, (person,))))
            _keep(self.pending, person, waiting)

    def _found(self, entry: Recorded) -> None:
        """Whoever this entry found of concern has been counted against the requests made for them
        (a request that itself found them so is not one made before they were found)."""
        event = entry.event
        if isinstance(event, ev.Concern) and not event.open:
            self.of_concern.pop(event.person, None)
        elif isinstance(event, ev.CaseOpen) and not entry.raised(AlertCode.NOT_PERMITTED):
            _keep(self.cases, event.case, event.person)
        elif isinstance(event, ev.CaseClose) and entry.raised(AlertCode.CASE_CLOSED):
            person = self.cases.pop(event.case, None)
            if person is not None and person not in self.cases.values():  # no other case keeps them of concern
                self.of_concern.pop(person, None)
        for person in found_of_concern(entry):
            self.pending.pop(person, None)
            _keep(self.of_concern, person, True)


def _word(state: State, kind: str, ident: str) -> str:
    """A person, door, zone or post as a lead reads it (its id, for a place the site no longer has)."""
    site = state.site
    if kind == "person":
        return wording.person(state, ident)
    if kind == "door":
        return wording.door(state, ident) if ident in site.doors else ident
    if kind == "zone":
        return wording.zone(state, ident) if ident in site.zones else ident
    return wording.post(state, ident) if ident in site.posts else ident


def found_of_concern(entry: Recorded) -> dict[str, str]:
    """The people this entry made of concern, each with why (an alert code, or a lead's ``concern``)."""
    found: dict[str, str] = {}
    event = entry.event
    if isinstance(event, ev.Concern) and event.open:
        found[event.person] = "concern raised"
    elif isinstance(event, ev.CaseOpen) and not entry.raised(AlertCode.NOT_PERMITTED):
        found[event.person] = f"case {event.case} opened"
    for alert in entry.alerts:
        person = concerned(entry, alert)
        if person is not None:
            found.setdefault(person, alert.code)
    return found


def _keep(kept: OrderedDict[K, V], key: K, value: V) -> None:
    """Keep ``value`` under ``key`` as the newest, letting the oldest go past ``MAX_TRACKED``."""
    kept.pop(key, None)
    kept[key] = value
    while len(kept) > MAX_TRACKED:
        kept.popitem(last=False)
