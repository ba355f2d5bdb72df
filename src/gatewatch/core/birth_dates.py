"""Dates of birth as watchlists write them, and which of them cannot be true.

A list writes a date of birth whole or in part, as ISO does: ``1913-02-07``, ``1913-02`` or
``1913``. A written date stands for a span of days: the day itself, every day of the month, or
every day of the year. It *cannot be true*:

- when it is not written that way, or names no day of the calendar (``1990-02-30``, month 13,
  year 0);
- when every day it may mean is after the reference date (a birth in the future, or after the
  list was published);
- when every day it may mean is more than ``OLDEST_AGE`` years before the reference date
  (``0193`` for ``1993``: nobody on a list that old can come to the gate).

Without a reference date, a subject's own date of birth bounds what is possible: the subject
is alive and at most ``OLDEST_AGE`` years old today, so a listed date more than ``OLDEST_AGE``
years before or after the subject's cannot be anyone's who lives today. Pure: no clock; the
reference date is always given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

OLDEST_AGE = 120
"""Nobody listed is older than this, in years."""

_WRITTEN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True, slots=True)
class BirthSpan:
    """The days a written date of birth may mean: ``first`` to ``last``, both included."""

    first: date
    last: date


def looks_like_a_date(text: str) -> bool:
    """Written as a whole or partial ISO date (``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``), true or not."""
    return _WRITTEN.fullmatch(text.strip()) is not None


def read_birth_date(text: str) -> BirthSpan | str:
    """The span of days the written date means, or why it names none (in plain words)."""
    found = _WRITTEN.fullmatch(text.strip())
    if found is None:
        return "not a date (write YYYY-MM-DD, YYYY-MM or YYYY)"
    year, month, day = (int(g) if g is not None else None for g in found.groups())
    assert year is not None  # the pattern requires it
    try:
        if month is None:
            return BirthSpan(date(year, 1, 1), date(year, 12, 31))
        if day is None:
            first = date(year, month, 1)
            return BirthSpan(first, _month_end(first))
        return BirthSpan(date(year, month, day), date(year, month, day))
    except ValueError:
        return "not a day of the calendar"


def _month_end(first: date) -> date:
    following = date(first.year + 1, 1, 1) if first.month == 12 else date(first.year, first.month + 1, 1)
    return following - timedelta(days=1)


def years_before(day: date, years: int) -> date:
    """The same day ``years`` earlier (28 February for a 29th that the earlier year lacks)."""
    return _in_year(day, max(day.year - years, 1))


def years_after(day: date, years: int) -> date:
    """The same day ``years`` later (28 February for a 29th that the later year lacks)."""
    return _in_year(day, min(day.year + years, 9999))


def _in_year(day: date, year: int) -> date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February, in a common year
        return day.replace(year=year, day=28)


def birth_date_problem(text: str, reference: date, said: str = "the reference date") -> str | None:
    """Why ``text`` cannot be the date of birth of anyone listed on ``reference``, or ``None``.

    ``said`` names the reference date in the reason (``the list's date``).
    """
    span = read_birth_date(text)
    if isinstance(span, str):
        return span
    if span.first > reference:
        return f"after {reference.isoformat()}, {said}"
    oldest = years_before(reference, OLDEST_AGE)
    if span.last < oldest:
        return f"more than {OLDEST_AGE} years before {reference.isoformat()}, {said}"
    return None


def impossible_beside(text: str, born: date) -> str | None:
    """Why a listed date cannot be true, knowing a living subject was born on ``born``, or ``None``.

    The subject lives and is at most ``OLDEST_AGE`` years old, so today lies between ``born``
    and ``OLDEST_AGE`` years after it: a listed date after that, or more than ``OLDEST_AGE``
    years before ``born``, is no living person's.
    """
    span = read_birth_date(text)
    if isinstance(span, str):
        return span
    if span.first > years_after(born, OLDEST_AGE):
        return "in the future"
    if span.last < years_before(born, OLDEST_AGE):
        return f"more than {OLDEST_AGE} years ago"
    return None
