"""What head office's console shows, read from the hq tables (SQLAlchemy Core, PostgreSQL).

Read-only, and every query bounded: a page of alerts or links is at most ``PAGE_MOST`` rows, the
sites overview at most ``SITES_MOST``, a person across sites at most ``LINKED_MOST`` people and
``TIMELINE_MOST`` rows. Each function runs blocking database work: async callers run it in a
thread (``asyncio.to_thread``).

- **Sites**: each site's name, how many entries head office holds (its chain's head), the newest
  entry's position, type and time, the lag (now − that entry's ``received``; a site JetStream
  lately counted nothing waiting for is said to be caught up and quiet, not behind), JetStream's
  count of messages not yet taken, and the chain's status: ok, or stopped at entry N with the problem.
- **Alerts** and **links**: newest first, a page at a time (``before``: the id to read the next
  page before).
- **A person across sites**: the person at their site, and everyone linked to them through
  ``hq_links`` (the same document, phone or vehicle at another site; followed link by link, at
  most ``LINKED_MOST`` people); each one's entries (those whose payload names them as ``person``,
  or in ``people`` or ``for`` among the site's newest ``NAMING_SCAN``), all in one timeline
  ordered by time, newest first. Each row says in a
  few plain words what happened; identity fields a site sent only as keyed hashes are named as
  withheld, never shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from typing import Any, Generic, TypeVar

import msgspec.inspect as mi
from sqlalchemy import Connection, Engine, and_, or_, select, tuple_

from gatewatch.core.events import EVENT_TYPES
from gatewatch.hq.schema import hq_alerts, hq_entries, hq_links, hq_sites
from gatewatch.sync.wire import SITE_ID

PAGE_SIZE = 50
PAGE_MOST = 200
"""The most alerts or links one page holds (a larger size asked for is cut to this)."""
SITES_MOST = 5_000
"""The most sites the overview lists."""
LINKED_MOST = 20
"""The most people (the one asked for included) a person's page follows through links."""
LINKS_PER_STEP = 200
"""Links read per step when following a person's links."""
TIMELINE_MOST = 300
"""The most rows of a person's timeline across sites (the newest)."""
NAMING_SCAN = 100_000
"""Entries that name a person in a list (an arrival's ``people``, a request's ``for``) are looked
for among each site's newest this many (no index holds list members); those about the person
(``person``) among all of them."""
LINKS_READ_MOST = 2_000
"""The most links read in all when following a person's links (then more may be linked than shown)."""
PERSON_CHARS = 200
LINE_CHARS = 240
PENDING_FRESH_S = 180
"""A pending count read longer ago than this says nothing about now (head office reads it every
10 s, and again every minute when it has not changed)."""
CLOCK_AHEAD_S = 60
"""A newest entry dated more than this after head office's clock says the site's clock is ahead."""
UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Control characters, and the marks that embed, override or isolate a direction of text: a site
could reorder what the console shows around its own text with them."""
KEYED = re.compile(r"^k:[0-9a-f]{64}$")
"""An identity field a private site sent only as its keyed hash (``sync/privacy.py``)."""
QUIET_FIELDS = frozenset({"id", "at", "note", "type"})
TYPE_WORDS = {
    "arrive": "arrived",
    "leave": "left",
    "move": "moved",
    "identify": "identified",
    "register": "registered",
    "request": "asked to pass",
    "screen": "screened",
    "badge": "badged",
    "invite": "invited",
    "observe": "observed",
    "verify": "checked a claim",
    "vet": "vetted",
    "vouch": "vouched for",
    "watchlist_check": "checked against the watchlists",
    "site_link": "linked by head office to another site",
}


class ViewError(ValueError):
    """A page asked for something that cannot name a row: says which part and why."""


# --- sites ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SiteView:
    """One site as the overview shows it."""

    site: str
    name: str
    entries: int
    last_type: str | None
    last_at: str | None
    last_arrived: str | None
    lag_s: float | None
    pending: int | None
    pending_checked: str | None
    stopped_seq: int | None
    stopped_problem: str | None
    stopped_at: str | None
    quiet: bool = False
    """Caught up (``caught_up``) when the overview was read: the lag is the site's silence."""

    @property
    def stopped(self) -> bool:
        return self.stopped_seq is not None

    @property
    def last_seq(self) -> int | None:
        return self.entries or None

    def caught_up(self, now: datetime) -> bool:
        """Head office holds all the site sent: JetStream counted nothing waiting, lately, and the chain runs.

        A site with nothing to say is then quiet, not behind (whether it is cut off, head office
        cannot tell apart from quiet)."""
        checked = instant(self.pending_checked)
        fresh = checked is not None and (now - checked).total_seconds() <= PENDING_FRESH_S
        return fresh and self.pending == 0 and not self.stopped

    @property
    def lag(self) -> str:
        """How old the newest entry head office holds is, said honestly: a caught-up site is quiet,
        not behind; a newest entry dated after head office's clock says the site's clock is ahead."""
        if self.lag_s is None:
            return "no entries yet"
        if self.lag_s < -CLOCK_AHEAD_S:
            return f"newest entry dated {span(-self.lag_s)} ahead of head office's clock"
        if self.quiet:
            return f"caught up; last entry {span(self.lag_s)} ago"
        return span(self.lag_s)

    @property
    def status(self) -> str:
        if self.stopped_seq is None:
            return "ok"
        return f"stopped at entry {self.stopped_seq}: {self.stopped_problem or 'no problem recorded'}"


def sites(engine: Engine, now: datetime) -> list[SiteView]:
    """Every site (at most ``SITES_MOST``): stopped ones first, then by id; the newest entry joined on the head."""
    last = hq_entries.alias("last")
    query = (
        select(hq_sites, last.c.type.label("last_type"))
        .select_from(hq_sites.outerjoin(last, and_(last.c.site == hq_sites.c.site, last.c.seq == hq_sites.c.head_seq)))
        .order_by(hq_sites.c.stopped_seq.is_(None), hq_sites.c.site)
        .limit(SITES_MOST)
    )
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    found = [
        SiteView(
            site=row["site"],
            name=row["name"],
            entries=int(row["head_seq"]),
            last_type=row["last_type"],
            last_at=row["last_at"],
            last_arrived=row["last_arrived"],
            lag_s=_seconds_between(row["last_at"], now),
            pending=row["pending"],
            pending_checked=row["pending_checked"],
            stopped_seq=row["stopped_seq"],
            stopped_problem=row["stopped_problem"],
            stopped_at=row["stopped_at"],
        )
        for row in rows
    ]
    return [replace(view, quiet=view.caught_up(now)) for view in found]


def span(seconds: float) -> str:
    """A duration in the largest units that say it: ``4 s``, ``3 min 5 s``, ``2 h 10 min``, ``3 d 4 h``."""
    whole = max(0, round(seconds))
    if whole < 60:
        return f"{whole} s"
    minutes, rest = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {rest} s" if rest else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def _seconds_between(earlier: str | None, now: datetime) -> float | None:
    when = instant(earlier)
    return None if when is None else (now - when).total_seconds()


def instant(text: str | None) -> datetime | None:
    """An ISO 8601 time with its offset, or ``None`` (absent, unreadable, or without an offset)."""
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    return when if when.tzinfo is not None else None


# --- pages of alerts and links ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AlertView:
    id: int
    site: str
    at: str
    severity: str
    code: str
    message: str
    seq: int | None


@dataclass(frozen=True, slots=True)
class Party:
    """One side of a link: who, at which site, under what name, in which entry and when."""

    site: str
    person: str
    name: str | None
    seq: int
    at: str


@dataclass(frozen=True, slots=True)
class LinkView:
    id: int
    kind: str
    found: str
    a: Party
    b: Party


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """A page of rows, newest first; ``next_before``: the id to read the next page before (``None``: no more)."""

    rows: list[T]
    next_before: int | None


def page_size(size: int | None) -> int:
    """The size asked for, within 1 and ``PAGE_MOST`` (``PAGE_SIZE`` when none was asked for)."""
    return PAGE_SIZE if size is None else max(1, min(PAGE_MOST, size))


def alerts(engine: Engine, before: int | None = None, size: int | None = None) -> Page[AlertView]:
    """Head office's alerts, newest first, one page (ids below ``before`` when given)."""
    wanted = page_size(size)
    query = select(hq_alerts).order_by(hq_alerts.c.id.desc()).limit(wanted + 1)
    if before is not None:
        query = query.where(hq_alerts.c.id < before)
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    found = [
        AlertView(row["id"], row["site"], row["at"], row["severity"], row["code"], row["message"], row["seq"])
        for row in rows[:wanted]
    ]
    return Page(found, found[-1].id if len(rows) > wanted else None)


def links(engine: Engine, before: int | None = None, size: int | None = None) -> Page[LinkView]:
    """The links head office found, newest first, one page (ids below ``before`` when given)."""
    wanted = page_size(size)
    query = select(hq_links).order_by(hq_links.c.id.desc()).limit(wanted + 1)
    if before is not None:
        query = query.where(hq_links.c.id < before)
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    found = [_link(row) for row in rows[:wanted]]
    return Page(found, found[-1].id if len(rows) > wanted else None)


def _link(row: Any) -> LinkView:
    return LinkView(
        id=row["id"],
        kind=row["kind"],
        found=row["found"],
        a=Party(row["a_site"], row["a_person"], row["a_name"], row["a_seq"], row["a_at"]),
        b=Party(row["b_site"], row["b_person"], row["b_name"], row["b_seq"], row["b_at"]),
    )


# --- a person across sites ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Linked:
    """A person on the page: the one asked for (``via`` None), or one reached through a link."""

    site: str
    person: str
    name: str | None
    via: LinkView | None

    @property
    def through(self) -> Party | None:
        """The other party of the link they were reached through (whom they share an identifier with)."""
        if self.via is None:
            return None
        a, b = self.via.a, self.via.b
        return a if (b.site, b.person) == (self.site, self.person) else b


@dataclass(frozen=True, slots=True)
class TimelineRow:
    at: str
    site: str
    person: str
    name: str | None
    type: str
    seq: int
    line: str
    withheld: tuple[str, ...]
    asked: bool
    """The person the page is about (else one linked to them)."""


@dataclass(frozen=True, slots=True)
class Across:
    site: str
    person: str
    name: str | None
    people: list[Linked]
    rows: list[TimelineRow]
    more_people: bool
    """More people are linked than the page follows (``LINKED_MOST``)."""
    more_rows: bool
    """Older entries exist than the timeline shows (``TIMELINE_MOST``)."""


def check_person(site: str, person: str) -> None:
    """``ViewError`` unless ``site`` and ``person`` can name a site's person."""
    if not SITE_ID.fullmatch(site):
        raise ViewError(f'site "{site[:80]}": a site id is 1–64 letters, digits, "_" or "-"')
    if not person or len(person) > PERSON_CHARS:
        raise ViewError(f"person: 1–{PERSON_CHARS} characters (got {len(person)})")
    if UNSHOWABLE.search(person):
        raise ViewError(f'person "{visible(person[:80])}": holds a control character or a direction mark')


def visible(text: str) -> str:
    """The text as the console shows it: control characters and direction marks written as escapes
    (``\\x00``, ``\\u202e``), so a site's text cannot hide or reorder what is around it."""
    return UNSHOWABLE.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), text)


def person_across(engine: Engine, site: str, person: str, limit: int = TIMELINE_MOST) -> Across:
    """The person at their site and everyone linked to them, in one timeline, newest first.

    Procedure: follow ``hq_links`` from the person, a step at a time, to each other party not yet
    met, until no new one is found, ``LINKED_MOST`` people are met or ``LINKS_READ_MOST`` links
    are read; read each person's newest ``limit`` entries at their site; order all of them by when
    they happened and keep the newest ``limit``. A name comes from the person's own entries
    (identify, register), else from a link.
    """
    check_person(site, person)
    wanted = max(1, min(TIMELINE_MOST, limit))
    with engine.connect() as connection:
        people, more_people = _linked(connection, site, person)
        rows: list[TimelineRow] = []
        more_rows = False
        for linked in people:
            found = _entries_of(connection, linked.site, linked.person, wanted)
            more_rows = more_rows or len(found) > wanted
            rows.extend(_row(entry, linked.person, asked=linked.via is None) for entry in found[:wanted])
    rows.sort(key=_when, reverse=True)
    more_rows = more_rows or len(rows) > wanted
    rows = rows[:wanted]
    names = {(p.site, p.person): p.name for p in people}
    for row in reversed(rows):  # oldest first: the newest name a person gave wins
        if row.name:
            names[(row.site, row.person)] = row.name
    people = [Linked(p.site, p.person, names[(p.site, p.person)], p.via) for p in people]
    rows = [replace(row, name=names.get((row.site, row.person))) for row in rows]
    return Across(site, person, people[0].name, people, rows, more_people, more_rows)


def _linked(connection: Connection, site: str, person: str) -> tuple[list[Linked], bool]:
    """The person and everyone reached from them through links (at most ``LINKED_MOST``), in the order met.

    Each step reads all the links of the people it starts from, ``LINKS_PER_STEP`` at a time (many
    links between the same two people cannot hide a third one behind them).
    ``more``: someone else may be linked whom the page does not follow (a bound was reached).
    """
    met: dict[tuple[str, str], Linked] = {(site, person): Linked(site, person, None, None)}
    frontier = [(site, person)]
    read = 0
    while frontier:
        step, frontier, after = set(frontier), [], 0
        while True:
            found = _links_of(connection, step, after)
            read += len(found)
            for link in found:
                for here, there in ((link.a, link.b), (link.b, link.a)):
                    key = (there.site, there.person)
                    if (here.site, here.person) not in step or key in met:
                        continue
                    if len(met) >= LINKED_MOST:
                        return list(met.values()), True
                    met[key] = Linked(there.site, there.person, there.name, link)
                    frontier.append(key)
                    _name_from(met, here)
            if len(found) < LINKS_PER_STEP:
                break
            if read >= LINKS_READ_MOST:
                return list(met.values()), True
            after = found[-1].id
    return list(met.values()), False


def _links_of(connection: Connection, people: set[tuple[str, str]], after: int = 0) -> list[LinkView]:
    """The first ``LINKS_PER_STEP`` links after id ``after`` with one of ``people`` as a party."""
    chosen = list(people)
    query = (
        select(hq_links)
        .where(
            hq_links.c.id > after,
            or_(
                tuple_(hq_links.c.a_site, hq_links.c.a_person).in_(chosen),
                tuple_(hq_links.c.b_site, hq_links.c.b_person).in_(chosen),
            ),
        )
        .order_by(hq_links.c.id)
        .limit(LINKS_PER_STEP)
    )
    return [_link(row) for row in connection.execute(query).mappings()]


def _name_from(met: dict[tuple[str, str], Linked], party: Party) -> None:
    """Give a person met without a name the name a link knows them by."""
    known = met.get((party.site, party.person))
    if known is not None and known.name is None and party.name:
        met[(party.site, party.person)] = Linked(known.site, known.person, party.name, known.via)


def _entries_of(connection: Connection, site: str, person: str, limit: int) -> list[Any]:
    """The person's newest ``limit`` + 1 entries at the site: about them (``person``, indexed), or
    naming them in ``people`` or ``for`` among the site's newest ``NAMING_SCAN`` entries."""
    payload = hq_entries.c.payload
    head = select(hq_sites.c.head_seq).where(hq_sites.c.site == site).scalar_subquery()
    naming = or_(
        hq_entries.c.person == person,
        and_(
            hq_entries.c.seq > head - NAMING_SCAN,
            or_(payload["people"].contains([person]), payload["for"].contains([person])),
        ),
    )
    query = (
        select(
            hq_entries.c.site,
            hq_entries.c.seq,
            hq_entries.c.type,
            hq_entries.c.at,
            hq_entries.c.payload,
            hq_entries.c.redacted,
            hq_entries.c.withheld,
        )
        .where(hq_entries.c.site == site, naming)
        .order_by(hq_entries.c.seq.desc())
        .limit(limit + 1)
    )
    return list(connection.execute(query).mappings())


def _row(entry: Any, person: str, asked: bool) -> TimelineRow:
    payload = entry["payload"]
    line, withheld = describe(entry["type"], payload, bool(entry["redacted"]))
    return TimelineRow(
        at=entry["at"],
        site=entry["site"],
        person=person,
        name=name_in(entry["type"], payload),
        type=entry["type"],
        seq=entry["seq"],
        line=line,
        withheld=withheld,
        asked=asked,
    )


def _when(row: TimelineRow) -> tuple[float, str, int]:
    when = instant(row.at)
    return (when.timestamp() if when is not None else float("-inf"), row.site, row.seq)


def name_in(type_: str, payload: dict[str, Any] | None) -> str | None:
    """The name an identify or register entry gives its person (``None`` for other entries)."""
    if payload is None:
        return None
    if type_ == "identify":
        name = payload.get("name")
    elif type_ == "register" and isinstance(payload.get("person"), dict):
        name = payload["person"].get("name")
    else:
        return None
    return name if isinstance(name, str) and name and not KEYED.fullmatch(name) else None


# --- a payload in plain words -------------------------------------------------------------------


def describe(type_: str, payload: dict[str, Any] | None, redacted: bool = False) -> tuple[str, tuple[str, ...]]:
    """One short line for an entry, and the identity fields its site withheld (sent as keyed hashes).

    The line says what happened (``arrived``, ``identified`` …) and the payload's own fields,
    ``field value``, in the order the event declares them (the database keeps its own order);
    the person it is about has a column of their own. A withheld field is left out of the line
    and named in the second part. A redacted entry says so. The line is cut at ``LINE_CHARS``.
    """
    verb = TYPE_WORDS.get(type_, type_.replace("_", " "))
    if payload is None:
        said = "redacted at the site (the chain still proves what it held)" if redacted else "no payload"
        return f"{verb}: {said}", ()
    withheld: list[str] = []
    shape = _shape_of(type_)
    fields = [
        said
        for key, value in _in_order(payload, shape)
        if _said_of_top(key, value) and (said := _field(key, value, key, withheld, _inner(shape, key)))
    ]
    line = f"{verb}: {' · '.join(fields)}" if fields else verb
    if withheld:
        line += f" · withheld: {', '.join(dict.fromkeys(withheld))}"
    return _cut(line), tuple(dict.fromkeys(withheld))


@cache
def _shape_of(type_: str) -> mi.StructType | None:
    """The event's declared fields (``None`` for a type this version does not know)."""
    found = EVENT_TYPES.get(type_)
    return _struct(mi.type_info(found)) if found is not None else None


def _struct(info: mi.Type) -> mi.StructType | None:
    """The struct a field holds: itself, the one in an optional, or a tuple's items."""
    if isinstance(info, mi.StructType):
        return info
    if isinstance(info, mi.Metadata):
        return _struct(info.type)
    if isinstance(info, mi.UnionType):
        return next((found for option in info.types if (found := _struct(option)) is not None), None)
    if isinstance(info, mi.VarTupleType | mi.ListType):
        return _struct(info.item_type)
    return None


def _in_order(value: dict[str, Any], shape: mi.StructType | None) -> list[tuple[str, Any]]:
    if shape is None:
        return list(value.items())
    place = {field.encode_name: n for n, field in enumerate(shape.fields)}
    return sorted(value.items(), key=lambda item: place.get(item[0], len(place)))


def _inner(shape: mi.StructType | None, key: str) -> mi.StructType | None:
    if shape is None:
        return None
    return next((_struct(field.type) for field in shape.fields if field.encode_name == key), None)


def _said_of_top(key: str, value: Any) -> bool:
    """Whether a payload's own field is said (its id, time and note are not; nor the person, who has a column)."""
    return key not in QUIET_FIELDS and not (key == "person" and isinstance(value, str))


def _field(key: str, value: Any, path: str, withheld: list[str], shape: mi.StructType | None) -> str:
    words = _value(value, path, withheld, shape)
    return f"{key.replace('_', ' ')} {words}" if words else ""


def _value(value: Any, path: str, withheld: list[str], shape: mi.StructType | None) -> str:
    """A value in words ("" when there is nothing to say or it was withheld)."""
    if isinstance(value, str):
        if KEYED.fullmatch(value):
            withheld.append(path.replace("_", " ").replace(".", " "))
            return ""
        return value
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict):
        parts = [
            said
            for key, inner in _in_order(value, shape)
            if key not in QUIET_FIELDS and (said := _field(key, inner, f"{path}.{key}", withheld, _inner(shape, key)))
        ]
        return ", ".join(parts)
    if isinstance(value, list | tuple):
        parts = [said for inner in value if (said := _value(inner, path, withheld, shape))]
        return ", ".join(parts)
    return ""


def _cut(line: str) -> str:
    return line if len(line) <= LINE_CHARS else line[: LINE_CHARS - 1].rstrip() + "…"
