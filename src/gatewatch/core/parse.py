"""From plain mappings (as read from YAML or JSON) to a checked site and typed events.

Pure: the shell reads files and resolves the site's time zone; this module checks shapes,
references and times, and raises ``InvalidInput`` naming where, which field and what is
wrong, with the nearest valid name where one is close.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Annotated, Any, Literal, TypeVar, get_args, get_origin

import msgspec

from gatewatch.core import events as ev
from gatewatch.core import limits, phones
from gatewatch.core.bounded import printable_id, refuse_unreadable
from gatewatch.core.errors import InvalidInput, did_you_mean, unknown
from gatewatch.core.reasons import WAIVABLE, ReasonCode
from gatewatch.core.site import Door, Post, Reader, Site, SiteSpec, Zone

T = TypeVar("T")

PIN_FIELDS = frozenset({"pin", "duress_pin"})
PIN_WORDS = f"a PIN is {limits.PIN_DIGITS_FEWEST} to {limits.PIN_DIGITS_MOST} digits (0-9)"
"""What a PIN that is not one is told (rather than the pattern it did not match)."""

_MSGSPEC_PATH = re.compile(r"^(?P<problem>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)
_FIELD_IN_MESSAGE = re.compile(r"field `([^`]+)`")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def convert(raw: object, into: type[T], *, where: str) -> T:
    """``msgspec.convert`` with errors that say where, which field and what is wrong."""
    try:
        return msgspec.convert(raw, into, strict=False)
    except msgspec.ValidationError as error:
        raise _explain(error, into, where) from None


def _explain(error: msgspec.ValidationError, into: type[Any], where: str) -> InvalidInput:
    match = _MSGSPEC_PATH.match(str(error))
    problem = match.group("problem") if match else str(error)
    path = (match.group("path") or "") if match else ""
    field = path.rsplit(".", 1)[-1] if "." in path else ""
    place = f"{where}{path.rsplit('.', 1)[0] if '.' in path else path}"
    named = _FIELD_IN_MESSAGE.search(problem)
    if named and problem.startswith("Object contains unknown field"):
        target = _struct_at(into, path)
        fields = _field_names(target) if target else []
        return InvalidInput(
            f'unknown field "{named.group(1)}"{did_you_mean(named.group(1), fields)}',
            where=place,
            field=named.group(1),
        )
    if named and problem.startswith("Object missing required field"):
        choices = _choices(_struct_at(into, path), named.group(1))
        listed = f": one of {', '.join(choices)}" if choices else ""
        return InvalidInput(f"missing{listed}", where=place, field=_public(named.group(1)))
    if problem.startswith("Expected `str` matching regex") and field in PIN_FIELDS:
        return InvalidInput(PIN_WORDS, where=place, field=field)
    if problem.startswith("Invalid enum value"):
        choices = _choices(_struct_at(into, path.rsplit(".", 1)[0]), field)
        value = problem.removeprefix("Invalid enum value").strip()
        listed = f"; one of: {', '.join(choices)}" if choices else ""
        return InvalidInput(f"{value} is not allowed here{listed}", where=place, field=_public(field))
    bound = _out_of_bounds(problem, into, path)
    return InvalidInput(bound or _plain(problem), where=place, field=_public(field))


_LENGTH = re.compile(r"^Expected `(?P<kind>str|array|object)` of length (?P<op>[<>]=) (?P<n>\d+)$")
_NUMBER = re.compile(r"^(?:Expected `(?P<kind>int|float)` [<>]=? \S+|Number out of range|Integer value out of range)$")
_COUNTED = {
    "people": "people",
    "for": "people",
    "on_duty": "people",
    "off_duty": "people",
    "mrz": "lines",
    "rules": "rules",
    "indicators": "indicators",
    "zones": "zones",
    "doors": "doors",
    "posts": "posts",
}
_ONE = {
    "arrive": "arrival",
    "request": "request",
    "move": "move",
    "leave": "departure",
    "post": "change of post",
    "screen": "screening",
    "observe": "observation",
    "waive": "waiver",
    "identify": "document",
}


def _out_of_bounds(problem: str, into: type[Any], path: str) -> str | None:
    """A bound from ``limits`` broken, said in plain words (``at most 50 people in one arrival``)."""
    field = re.sub(r"\[\d+\]$", "", path.rsplit(".", 1)[-1])
    length = _LENGTH.match(problem)
    if length:
        size = int(length.group("n"))
        if length.group("op") == ">=":
            return None
        if length.group("kind") == "str":
            return f"at most {size} characters"
        tag = getattr(getattr(into, "__struct_config__", None), "tag", None)
        within = f" in one {_ONE.get(str(tag), f'{tag} event')}" if isinstance(tag, str) else " in a site"
        return f"at most {size} {_COUNTED.get(_public(field), 'items')}{within}"
    if _NUMBER.match(problem):
        meta = _meta_of(_struct_at(into, path.rsplit(".", 1)[0]), field)
        if meta is None or meta.ge is None or meta.le is None:
            return "the number is out of range"
        whole = isinstance(meta.ge, int) and isinstance(meta.le, int)
        kind = "a whole number" if whole else "a finite number"
        return f"must be {kind} from {_number(meta.ge)} to {_number(meta.le)}"
    return None


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else f"{value:,}"


def _meta_of(struct: type[Any] | None, field: str) -> msgspec.Meta | None:
    """The constraints a Struct's field carries (its ``Annotated`` ``Meta``), if any."""
    if struct is None:
        return None
    for f in msgspec.structs.fields(struct):
        if f.encode_name == field:
            return next((m for m in _metas(f.type) if m.ge is not None or m.le is not None), None)
    return None


def _metas(annotation: Any) -> list[msgspec.Meta]:
    if get_origin(annotation) is Annotated:
        base, *extra = get_args(annotation)
        return [m for m in extra if isinstance(m, msgspec.Meta)] + _metas(base)
    return [m for arg in get_args(annotation) for m in _metas(arg)]


def _choices(struct: type[Any] | None, field: str) -> list[str]:
    """The values a Literal field allows, as written in the file."""
    if struct is None:
        return []
    for f in msgspec.structs.fields(struct):
        if f.encode_name == field:
            return [str(a) for arg in _literal_args(f.type) for a in (arg if isinstance(arg, tuple) else (arg,))]
    return []


def _literal_args(annotation: Any) -> list[Any]:
    if getattr(annotation, "__origin__", None) is Literal:
        return list(annotation.__args__)
    return [a for arg in getattr(annotation, "__args__", ()) for a in _literal_args(arg)]


def _plain(problem: str) -> str:
    return problem.replace("`", "").replace("Expected", "expected").replace("got", "got")


def _public(field: str) -> str:
    return {"for_": "for", "in_": "in", "from_": "from"}.get(field, field)


def _struct_at(into: type[Any], path: str) -> type[Any] | None:
    """The Struct class that the msgspec path points into, as far as it can be followed."""
    current: Any = into
    for step in re.findall(r"\.([A-Za-z_]+)", path):
        hints = msgspec.structs.fields(current) if _is_struct(current) else ()
        found = next((f for f in hints if f.encode_name == step), None)
        if found is None:
            return current if _is_struct(current) else None
        current = _inner_struct(found.type)
    return current if _is_struct(current) else None


def _is_struct(obj: object) -> bool:
    return isinstance(obj, type) and issubclass(obj, msgspec.Struct)


def _inner_struct(annotation: Any) -> Any:
    if _is_struct(annotation):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        inner = _inner_struct(arg)
        if inner is not None:
            return inner
    return None


def _field_names(struct: type[Any]) -> list[str]:
    return [f.encode_name for f in msgspec.structs.fields(struct)]


# --- the site ---------------------------------------------------------------------------


def build_site(raw: object) -> Site:
    """Check a site mapping and build the ``Site`` with its indexes."""
    if not isinstance(raw, Mapping):
        raise InvalidInput("a site must be a mapping of keys (site, zones, doors, ...)")
    refuse_unreadable(raw, where="")
    spec = convert(raw, SiteSpec, where="")
    zones = _zones(spec)
    posts = _posts(spec, zones)
    doors = _doors(spec, zones, posts)
    readers = _readers(spec, doors)
    between: dict[frozenset[str], tuple[Door, ...]] = {}
    for door in doors.values():
        key = frozenset((door.outward, door.inward))
        between[key] = (*between.get(key, ()), door)
    check_people(spec.people, zones, where="people")
    night_from, night_to = _night(spec)
    return Site(
        id=spec.site,
        name=spec.name or spec.site,
        timezone=spec.timezone,
        night_from=night_from,
        night_to=night_to,
        zones=zones,
        doors=doors,
        posts=posts,
        people=spec.people,
        policy=spec.policy,
        doors_between=between,
        readers=readers,
        country=_country(spec),
    )


def _country(spec: SiteSpec) -> str | None:
    """The site's country as an ISO 3166-1 alpha-2 code, upper case (``mx`` is ``MX``), or None."""
    if spec.country is None:
        return None
    code = phones.country_code(spec.country)
    if code is None:
        raise InvalidInput(
            f'"{printable_id(spec.country)}" is not a country code: two letters, ISO 3166-1 alpha-2, such as MX or GB',
            field="country",
        )
    return code


def _readers(spec: SiteSpec, doors: Mapping[str, Door]) -> dict[str, Reader]:
    _unique((r.id for r in spec.readers), "readers")
    readers: dict[str, Reader] = {}
    for i, r in enumerate(spec.readers):
        if r.door not in doors:
            raise InvalidInput(unknown("door", r.door, doors), where=f"readers[{i}] ({r.id})", field="door")
        readers[r.id] = Reader(r.id, r.door, r.side == "outside", r.name or r.id)
    return readers


def _unique(ids: Iterable[str], where: str) -> None:
    seen: set[str] = set()
    for i, ident in enumerate(ids):
        if ident in seen:
            raise InvalidInput(f'"{ident}" is used twice', where=f"{where}[{i}]", field="id")
        seen.add(ident)


def _zones(spec: SiteSpec) -> dict[str, Zone]:
    _unique((z.id for z in spec.zones), "zones")  # levels are bounded by their type (``bounded.Level``)
    return {z.id: Zone(z.id, z.level, z.name or z.id, z.private, z.two_person) for z in spec.zones}


def _posts(spec: SiteSpec, zones: Mapping[str, Zone]) -> dict[str, Post]:
    _unique((p.id for p in spec.posts), "posts")
    posts: dict[str, Post] = {}
    for i, p in enumerate(spec.posts):
        if p.zone not in zones:
            raise InvalidInput(unknown("zone", p.zone, zones), where=f"posts[{i}]", field="zone")
        night = p.staff if p.staff_at_night is None else p.staff_at_night  # bounded by ``bounded.Staff``
        posts[p.id] = Post(p.id, p.zone, p.staff, night, p.name or p.id)
    return posts


def _doors(spec: SiteSpec, zones: Mapping[str, Zone], posts: Mapping[str, Post]) -> dict[str, Door]:
    _unique((d.id for d in spec.doors), "doors")
    ids = {d.id for d in spec.doors}
    read_doors = {r.door for r in spec.readers}
    doors: dict[str, Door] = {}
    for i, d in enumerate(spec.doors):
        where = f"doors[{i}] ({d.id})"
        for zone in d.between:
            if zone not in zones:
                raise InvalidInput(unknown("zone", zone, zones), where=where, field="between")
        if d.between[0] == d.between[1]:
            raise InvalidInput("a door joins two different zones", where=where, field="between")
        if d.controlled_by is not None and d.controlled_by not in posts:
            raise InvalidInput(unknown("post", d.controlled_by, posts), where=where, field="controlled_by")
        if d.interlock is not None and (d.interlock not in ids or d.interlock == d.id):
            raise InvalidInput(unknown("door", d.interlock, ids - {d.id}), where=where, field="interlock")
        a, b = d.between
        outward, inward = (b, a) if zones[b].level < zones[a].level else (a, b)
        perimeter = zones[outward].level == 0
        read = d.id in read_doors
        doors[d.id] = Door(d.id, outward, inward, d.controlled_by, d.interlock, perimeter, d.name or d.id, read)
    return doors


def _night(spec: SiteSpec) -> tuple[time | None, time | None]:
    if spec.night is None:
        return None, None
    return _clock(spec.night.from_, "night", "from"), _clock(spec.night.to, "night", "to")


def _clock(text: object, where: str, field: str) -> time:
    if isinstance(text, int):
        raise InvalidInput(_bare_time(text), where=where, field=field)
    found = _CLOCK.match(str(text).strip())
    if not found:
        raise InvalidInput(f'"{text}" is not a time of day (HH:MM)', where=where, field=field)
    hour, minute, second = (int(g) if g else 0 for g in found.groups())
    if hour > 23 or minute > 59 or second > 59:
        raise InvalidInput(f'"{text}" is not a time of day (HH:MM)', where=where, field=field)
    return time(hour, minute, second)


def _bare_time(number: int) -> str:
    hours, minutes = divmod(number, 60)
    return (
        f"{number} is a number, not a time: YAML read an unquoted time as minutes; "
        f'write it quoted, at: "{hours:02d}:{minutes:02d}"'
    )


def check_people(people: Sequence[Any], zones: Mapping[str, Zone], where: str) -> None:
    _unique((p.id for p in people), where)
    for i, person in enumerate(people):
        if person.in_ is not None and person.in_ not in zones:
            raise InvalidInput(unknown("zone", person.in_, zones), where=f"{where}[{i}] ({person.id})", field="in")


# --- times ------------------------------------------------------------------------------


def resolve_time(raw: object, previous: datetime, zone: tzinfo, *, where: str, field: str = "at") -> datetime:
    """An event's time, as an instant given in the site's zone (``zone``).

    ISO 8601 with an offset is that instant, whatever the offset (``10:00+02:00`` is ``08:00``
    UTC); without one it is site time (the drills contract); a bare ``HH:MM`` is site time on
    the previous event's date at the site. The time comes back carrying the site's offset at
    that instant (``at_site``)."""
    if isinstance(raw, bool) or raw is None:
        raise InvalidInput("a time is required (ISO 8601, or HH:MM)", where=where, field=field)
    if isinstance(raw, int):
        raise InvalidInput(_bare_time(raw), where=where, field=field)
    if isinstance(raw, datetime):
        moment = raw
    elif isinstance(raw, date):
        moment = datetime.combine(raw, time())
    else:
        text = str(raw).strip()
        if _CLOCK.match(text):
            clock = _clock(text, where, field)
            return at_site(datetime.combine(previous.astimezone(zone).date(), clock), zone, where=where, field=field)
        try:
            moment = datetime.fromisoformat(text)
        except ValueError as error:
            shown = text if len(text) <= 40 else f"{text[:40]}…"
            why = "" if str(error).startswith("Invalid isoformat") else f": {error}"
            raise InvalidInput(f'"{shown}" is not a time (ISO 8601, or HH:MM){why}', where=where, field=field) from None
    check_year(moment, where=where, field=field)
    return at_site(moment, zone, where=where, field=field)


def at_site(moment: datetime, zone: tzinfo, *, where: str, field: str = "at") -> datetime:
    """The instant in the site's zone, carrying the zone's offset at that instant as a fixed offset.

    Procedure: a time with an offset is moved to the site's zone; a time without one is read as
    site time, and refused if the site's clocks skipped it (the hour lost when they go forward);
    of a time the clocks show twice (the hour when they go back), the first is meant. The result
    carries a fixed offset, not the zone: Python compares and subtracts two times of one zone by
    their clocks, not their instants, so that across a change of the clocks an hour would be lost
    or found; with fixed offsets every comparison and span is between instants, and a time read
    back from the record (which keeps offsets) is the same as the time first parsed."""
    if moment.tzinfo is None:
        local = moment.replace(tzinfo=zone)
        if local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != moment:
            raise InvalidInput(
                f"{moment:%Y-%m-%d %H:%M} does not exist at the site ({zone}): the clocks skip it; "
                "write the time with its offset from UTC",
                where=where,
                field=field,
            )
    else:
        local = moment.astimezone(zone)
    offset = local.utcoffset()
    assert offset is not None  # an aware time has an offset
    return local.replace(tzinfo=timezone(offset))


def check_year(moment: date, *, where: str, field: str) -> None:
    """A time or date within the years a site records (``limits.EARLIEST_YEAR`` to ``LATEST_YEAR``)."""
    if not limits.EARLIEST_YEAR <= moment.year <= limits.LATEST_YEAR:
        kind = "time" if isinstance(moment, datetime) else "date"
        raise InvalidInput(
            f"{moment.isoformat()} is out of range: a {kind} from the year "
            f"{limits.EARLIEST_YEAR} to {limits.LATEST_YEAR}",
            where=where,
            field=field,
        )


def resolve_start(raw: object, zone: tzinfo, *, where: str) -> datetime:
    """The drill's start, a full date and time in site time."""
    if isinstance(raw, str) and _CLOCK.match(raw.strip()):
        raise InvalidInput("the start needs a date as well as a time", where=where, field="start")
    return resolve_time(raw, datetime(1, 1, 1, tzinfo=zone), zone, where=where, field="start")


# --- events -----------------------------------------------------------------------------


def _list_fields(cls: type[ev.Event]) -> frozenset[str]:
    """Fields written as lists; a single name given alone is read as a list of one."""
    return frozenset(f.encode_name for f in msgspec.structs.fields(cls) if _is_tuple(f.type))


def _is_tuple(annotation: Any) -> bool:
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return get_origin(annotation) is tuple


_LIST_FIELDS = {kind: _list_fields(cls) for kind, cls in ev.EVENT_TYPES.items()}


def parse_events(
    raw: object, site: Site, zone: tzinfo, start: datetime, *, first_number: int = 1
) -> tuple[ev.Event, ...]:
    """Typed, time-resolved and reference-checked events, in order."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise InvalidInput("events must be a list", field="events")
    parsed: list[ev.Event] = []
    previous = start
    ids: dict[str, ev.Event] = {}
    for position, item in enumerate(raw, start=first_number):
        event = parse_event(item, site, zone, previous, default_id=f"e{position}")
        if event.id in ids:
            raise InvalidInput(f'the id "{event.id}" is used twice', where=f"event {event.id}", field="id")
        if event.at < previous:  # aware times: compared as instants, whatever their offsets
            raise InvalidInput(
                f"time goes backwards: {event.at:%Y-%m-%d %H:%M} is before {previous:%Y-%m-%d %H:%M}",
                where=f"event {event.id}",
                field="at",
            )
        check_links(event, ids)
        ids[event.id] = event
        parsed.append(event)
        previous = event.at
    return tuple(parsed)


def parse_event(raw: object, site: Site, zone: tzinfo, previous: datetime, *, default_id: str) -> ev.Event:
    """One event from a mapping: its type, fields, time and the site names it uses."""
    if not isinstance(raw, Mapping):
        raise InvalidInput("an event must be a mapping with a type and a time", where=f"event {default_id}")
    ident = str(raw.get("id", default_id))
    where = f"event {printable_id(ident)}"
    refuse_unreadable(raw, where=where, longest=limits.LIST_LOOKED_INTO)
    kind = raw.get("type")
    if kind is None:
        raise InvalidInput("missing", where=where, field="type")
    if not isinstance(kind, str):
        raise InvalidInput(f"must be the name of an event type, not {_kind_of(kind)}", where=where, field="type")
    if kind not in ev.EVENT_TYPES:
        raise InvalidInput(unknown("event type", str(kind), ev.EVENT_TYPES), where=where, field="type")
    fields = dict(raw)
    fields["id"] = ident
    fields["at"] = resolve_time(raw.get("at"), previous, zone, where=where)
    if kind == "credential" and raw.get("until") is not None:
        fields["until"] = resolve_time(raw.get("until"), fields["at"], zone, where=where, field="until")
    for name in _LIST_FIELDS[str(kind)] & fields.keys():
        if isinstance(fields[name], str):
            fields[name] = [fields[name]]
    event = convert(fields, ev.EVENT_TYPES[str(kind)], where=where)
    check_dates(event, where=where)
    check_site_names(event, site)
    return event


def check_dates(event: ev.Event, *, where: str) -> None:
    """Every date an event gives (a birth, an expiry, an invitation's day) in the years a site records."""
    for name, value in _dates_in(event, ""):
        check_year(value, where=where, field=name)


def _dates_in(value: object, path: str) -> Iterable[tuple[str, date]]:
    if isinstance(value, date) and path != "at":
        yield path, value
    elif isinstance(value, msgspec.Struct):
        for f in msgspec.structs.fields(value):
            yield from _dates_in(getattr(value, f.name), f"{path}.{f.encode_name}" if path else f.encode_name)


def _kind_of(value: object) -> str:
    return {dict: "a mapping", list: "a list", bool: "true or false"}.get(type(value), type(value).__name__)


def check_site_names(event: ev.Event, site: Site) -> None:
    """Every door, zone and post an event names exists on the site."""
    where = f"event {event.id}"
    for field, kind, names in (
        ("door", "door", site.doors),
        ("to", "zone", site.zones),
        ("zone", "zone", site.zones),
        ("post", "post", site.posts),
        ("reader", "reader", site.readers),
    ):
        value = getattr(event, field, None)
        if isinstance(value, str) and value not in names:
            raise InvalidInput(unknown(kind, value, names), where=where, field=field)
    if isinstance(event, ev.Register) and event.person.in_ is not None and event.person.in_ not in site.zones:
        raise InvalidInput(unknown("zone", event.person.in_, site.zones), where=where, field="person.in")
    if isinstance(event, ev.Credential):
        for zone in event.zones:
            if zone not in site.zones:
                raise InvalidInput(unknown("zone", zone, site.zones), where=where, field="zones")
    if isinstance(event, ev.Waive):
        for rule in event.rules:
            if rule not in ReasonCode.__members__:
                raise InvalidInput(
                    f"{unknown('rule', rule, ReasonCode.__members__)} "
                    f"(a principal may waive {', '.join(sorted(WAIVABLE))})",
                    where=where,
                    field="rules",
                )


def check_links(event: ev.Event, earlier: Mapping[str, ev.Event]) -> None:
    """An override names an earlier request; a dismissal names an earlier alarm."""
    where = f"event {event.id}"
    if isinstance(event, ev.Override):
        target = earlier.get(event.request)
        requests = [k for k, v in earlier.items() if isinstance(v, ev.Request | ev.Badge)]
        if not isinstance(target, ev.Request | ev.Badge):
            raise InvalidInput(
                f'no earlier request "{event.request}"{did_you_mean(event.request, requests)}',
                where=where,
                field="request",
            )
    if isinstance(event, ev.Dismiss):
        alarms = [v.alarm for v in earlier.values() if isinstance(v, ev.Alarm)]
        if event.alarm not in alarms:
            raise InvalidInput(unknown("alarm", event.alarm, alarms), where=where, field="alarm")


def grant_window(site: Site) -> timedelta:
    return timedelta(minutes=site.policy.grant_minutes)
