"""A window report: the alerts and decisions recorded between two times, grouped by site day.

The window is read as the site's clock: a date alone is a whole day (``FROM`` from its first
minute, ``TO`` to its last), a date and time is that minute (``TO`` excluded); a time with an
offset is taken as written. Bounded before the record is read: a window longer than
``MAX_WINDOW_DAYS`` is refused, and so is one holding more than ``MAX_WINDOW_EVENTS`` events;
and before it is laid out, one whose report would print more than ``MAX_WINDOW_LINES`` lines.
Each error names the limit.

The record only moves forward in time (the desk refuses an event dated before the last one), so
the window's entries are one run of positions: its first and last are found by bisection on the
log's positions (a few reads, whatever the record's size), then the run is read in batches. An
entry of the run dated outside the window (one imported out of order) is left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from gatewatch.reports.content import Citations, Day, Line, Report, Section
from gatewatch.service.permissions import Actor
from gatewatch.store.chain import Entry
from gatewatch.store.log import EventLog

MAX_WINDOW_DAYS = 92
"""A quarter: longer windows are split into several reports."""
MAX_WINDOW_EVENTS = 20_000
"""Events recorded in one window (every one is read; those with a decision or an alert are printed)."""
MAX_WINDOW_LINES = 3_000
"""Lines one window report prints (a decision or an alert each): some 250 pages, laid out as PDF in about a
minute; a window with more is refused before it is laid out."""


class WindowRefused(ValueError):
    """A window that cannot be reported: unreadable bounds, the wrong way round, too long, too full."""


def window_bounds(start: str, end: str, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """``FROM`` and ``TO`` as instants (``TO`` excluded), checked against ``MAX_WINDOW_DAYS``."""
    begins = _instant(start, zone, "FROM", whole_day_end=False)
    ends = _instant(end, zone, "TO", whole_day_end=True)
    if ends <= begins:
        raise WindowRefused(f"the window ends ({end}) before it begins ({start})")
    if ends - begins > timedelta(days=MAX_WINDOW_DAYS):
        days = (ends - begins) / timedelta(days=1)
        raise WindowRefused(
            f"the window {start} – {end} is {days:.1f} days long; a report covers at most {MAX_WINDOW_DAYS} days"
        )
    return begins, ends


def _instant(text: str, zone: ZoneInfo, name: str, whole_day_end: bool) -> datetime:
    """One bound as an instant; it must be on the calendar both as UTC and on the site's clock."""
    written = text.strip()
    try:
        if len(written) == 10:
            day = date.fromisoformat(written)
            found = datetime.combine(day + timedelta(days=1) if whole_day_end else day, time(), zone)
        else:
            found = datetime.fromisoformat(written)
            found = found if found.tzinfo is not None else found.replace(tzinfo=zone)
        found.astimezone(UTC).astimezone(zone)  # an instant the report can say (a year 1 to 9999 either way)
    except ValueError:
        raise WindowRefused(
            f"{name}: {text!r} is not a date (1940-08-20) or a date and time (1940-08-20T17:00)"
        ) from None
    except OverflowError:
        raise WindowRefused(f"{name}: {text!r} is beyond the calendar's years 1 to 9999 (UTC and site time)") from None
    return found


def window_run(log: EventLog, begins: datetime, ends: datetime) -> tuple[int, int]:
    """The positions of the first entry at or after ``begins`` and of the first at or after ``ends``."""
    last = log.head()[0]
    return _first_at(log, begins, last), _first_at(log, ends, last)


def _first_at(log: EventLog, when: datetime, last: int) -> int:
    low, high = 1, last + 1  # the answer is in [low, high]; high: past the end
    while low < high:
        middle = (low + high) // 2
        entry = log.entries_at([middle]).get(middle)
        if entry is None or datetime.fromisoformat(entry.at) >= when:
            high = middle
        else:
            low = middle + 1
    return low


def window_report(
    log: EventLog,
    site: tuple[str, str],
    zone: ZoneInfo,
    start: str,
    end: str,
    viewer: Actor,
    made_at: datetime,
    progress: Callable[[int, int], None] | None = None,
    most_events: int = MAX_WINDOW_EVENTS,
    most_lines: int = MAX_WINDOW_LINES,
) -> Report:
    """The window's alerts and decisions, a line each, grouped by site day; ``site``: its id and name.

    ``progress`` is told how many of the window's entries are read, and of how many; ``most_events`` and
    ``most_lines``: the window's bounds (``MAX_WINDOW_EVENTS``, ``MAX_WINDOW_LINES``).
    """
    begins, ends = window_bounds(start, end, zone)
    first, past = window_run(log, begins, ends)
    count = past - first
    if count > most_events:
        raise WindowRefused(
            f"the window {start} – {end} holds {count:,} events; a report reads at most {most_events:,}: "
            "choose a shorter window"
        )
    citations = Citations(log, zone, viewer)
    days: dict[str, list[Line]] = {}
    decisions = alerts = 0
    for done, entry in enumerate(_run(log, first, past), start=1):
        if progress is not None and done % 1_000 == 0:
            progress(done, count)
        if not begins <= datetime.fromisoformat(entry.at) < ends or not citations.shown(entry):
            continue
        lines = citations.outcome_lines(entry)
        decisions += bool(entry.outcome.get("decision"))
        alerts += sum(1 for line in lines if line.severity)
        if lines:
            days.setdefault(lines[0].at[:10], []).extend(lines)
    printed = sum(len(lines) for lines in days.values())
    if printed > most_lines:
        raise WindowRefused(
            f"the window {start} – {end} has {printed:,} alerts and decisions; a report prints at most "
            f"{most_lines:,}: choose a shorter window"
        )
    subject = f"window {begins.astimezone(zone).isoformat()} – {ends.astimezone(zone).isoformat()}"
    facts = (
        ("from", f"{begins.astimezone(zone):%Y-%m-%d %H:%M} (site time)"),
        ("to", f"{ends.astimezone(zone):%Y-%m-%d %H:%M} (site time, not included)"),
        ("events recorded", f"{count:,}"),
        ("decisions", f"{decisions:,}"),
        ("alerts", f"{alerts:,}"),
    )
    made = made_at.astimezone(zone)
    return Report(
        kind="window",
        title=f"Alerts and decisions, {_span(begins, ends, zone)}",
        site_name=site[1],
        made_at=f"{made:%Y-%m-%d %H:%M} (site time)",
        made_by=viewer.name,
        proof=citations.proof(site[0], subject, made_at),
        facts=facts,
        sections=() if days else (Section("Alerts and decisions", (), "none in this window"),),
        days=tuple(Day(day, tuple(lines)) for day, lines in sorted(days.items())),
    )


def _span(begins: datetime, ends: datetime, zone: ZoneInfo) -> str:
    """The window's days as a reader says them: its first day to its last (``TO`` excluded)."""
    first, last = begins.astimezone(zone).date(), (ends.astimezone(zone) - timedelta(microseconds=1)).date()
    return f"{first}" if first == last else f"{first} – {last}"


def _run(log: EventLog, first: int, past: int, batch: int = 2_000) -> Iterator[Entry]:
    """The entries at positions ``first`` … ``past - 1``, read ``batch`` at a time."""
    for start in range(first, past, batch):
        found = log.entries_at(range(start, min(start + batch, past)))
        yield from (found[seq] for seq in sorted(found))
