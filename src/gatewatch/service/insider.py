"""The insider view over a span of days: the record's entries that tell of the site's own people,
read for that span alone and folded by the core (``gatewatch.core.insider``).

The span is whole site days, ``since`` to ``until`` included: by default the last
``DEFAULT_DAYS`` days to today, never more than ``MOST_DAYS``, and within the years the record
accepts. The entries read are of the types the signals look at, and any entry that raised an
alert they look at (a person entering without a grant, someone found of concern), from
``LEAD_IN`` before the span: who went on post then, and which cards were issued, tell of the
first days of the span. Reading the record is slow work: callers run it off the event loop.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from gatewatch.core import events as ev
from gatewatch.core import limits
from gatewatch.core.alerts import AlertCode
from gatewatch.core.errors import InvalidInput
from gatewatch.core.insider import Insider, fold
from gatewatch.core.insider_watch import CONCERN_CODES, Recorded, recorded
from gatewatch.core.people import Role
from gatewatch.core.state import State
from gatewatch.store.chain import Entry
from gatewatch.store.log import EventLog
from gatewatch.store.window import entries_between

DEFAULT_DAYS = 90
MOST_DAYS = 366
LEAD_IN = timedelta(days=7)
"""Read before the span for who was on post and who holds each card (a shift is far shorter)."""

TYPES = frozenset(
    [
        "open",
        "request",
        "override",
        "dismiss",
        "mute",
        "alarm",
        "checkin",
        "post",
        "badge",
        "credential",
        "concern",
        "case_open",
        "case_close",
    ]
)
"""The events the signals read."""
RAISING = frozenset({AlertCode.UNAUTHORIZED_ENTRY.value, *CONCERN_CODES})
"""Alerts the signals read, whatever the event that raised them."""


@dataclass(frozen=True, slots=True)
class Span:
    """Whole site days, ``since`` to ``until`` included, and the instants they run between."""

    since: date
    until: date
    start: datetime
    end: datetime

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1


@dataclass(frozen=True, slots=True)
class InsiderReport:
    span: Span
    people: tuple[Insider, ...]
    read: int
    """Entries read from the record."""
    unreadable: int
    """Entries that no longer read as events (left out)."""


def span_of(since: date | None, until: date | None, today: date, zone: ZoneInfo) -> Span:
    """The span asked for: ``until`` today and ``since`` ``DEFAULT_DAYS`` days before it unless
    given; ``InvalidInput`` naming the field for a span that is backwards, too long, or out of
    the record's years."""
    for field, day in (("since", since), ("until", until)):
        if day is not None and not limits.EARLIEST_YEAR <= day.year <= limits.LATEST_YEAR:
            raise InvalidInput(
                f"{day.isoformat()} is outside the years {limits.EARLIEST_YEAR} to {limits.LATEST_YEAR}", field=field
            )
    last = until or today
    first = since or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise InvalidInput(f"{first.isoformat()} is after until ({last.isoformat()})", field="since")
    if (last - first).days + 1 > MOST_DAYS:
        raise InvalidInput(
            f"{first.isoformat()} to {last.isoformat()} is {(last - first).days + 1} days: at most {MOST_DAYS}",
            field="since",
        )
    start = datetime.combine(first, time(), tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time(), tzinfo=zone)
    return Span(first, last, start, end)


def insider_view(log: EventLog, state: State, span: Span, person: str | None = None) -> InsiderReport:
    """Each staff member's signals over the span (one person's, with ``person``)."""
    if person is not None:
        known = state.people.get(person)
        if known is None:
            raise LookupError(f'no person "{person}" is known on this site')
        if known.role is Role.VISITOR:
            raise InvalidInput(
                f'"{person}" is a visitor: the insider view is of the site\'s own people', field="person"
            )
    counted = _Counted()
    entries = counted.read(entries_between(log, span.start - LEAD_IN, span.end, TYPES, RAISING))
    people = fold(entries, state, span.start)
    if person is not None:
        people = tuple(p for p in people if p.person == person)
    return InsiderReport(span, people, counted.read_count, counted.unreadable)


class _Counted:
    """The record's entries as the core reads them, counting those read and those left out."""

    def __init__(self) -> None:
        self.read_count = 0
        self.unreadable = 0

    def read(self, entries: Iterable[Entry]) -> Iterator[Recorded]:
        for entry in entries:
            self.read_count += 1
            try:
                event = ev.from_payload(entry.payload or {})
            except Exception:  # an entry that no longer reads as an event is left out, as at replay
                self.unreadable += 1
                continue
            yield recorded(entry.seq, event, entry.outcome)
