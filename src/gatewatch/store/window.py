"""The record's entries within a span of time: of some types, or raising some alert codes.

The log is ordered by position, not time, and keeps each entry's time as the text the desk
wrote (ISO 8601 with the site's offset at that instant). Texts of one format compare as the
local dates and times they say, which differ from the instant by less than a day; so the
database is asked for the entries whose time reads within a day either side of the span, on
the log's type index and the alerts' code index, and each is then kept only if its instant
lies in the span. Read in chunks, in order; a redacted entry (no payload) is left out.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, or_, select

from gatewatch.store.chain import Entry
from gatewatch.store.log import CHUNK, EventLog, _entry
from gatewatch.store.schema import alerts, log

MARGIN = timedelta(days=1)
"""More than any site's offset from UTC (at most 14 hours)."""


def _bounds(start: datetime, end: datetime) -> tuple[str, str]:
    """Date texts that every entry in [start, end) lies between, whatever its offset."""
    return (start - MARGIN).date().isoformat(), (end + 2 * MARGIN).date().isoformat()


def entries_between(
    record: EventLog, start: datetime, end: datetime, types: Collection[str], raising: Collection[str] = ()
) -> Iterator[Entry]:
    """Entries dated from ``start`` (included) to ``end`` (excluded), of one of ``types`` or
    raising an alert of one of the codes in ``raising``, in the record's order."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("the span's ends must be instants (with their offset from UTC)")
    low, high = _bounds(start, end)
    kinds: list[ColumnElement[bool]] = [log.c.type.in_(sorted(types))]
    if raising:
        alerting = select(alerts.c.seq).where(
            alerts.c.code.in_(sorted(raising)), alerts.c.at >= low, alerts.c.at < high
        )
        kinds.append(log.c.seq.in_(alerting))
    last = 0
    while True:
        query = (
            select(log)
            .where(log.c.seq > last, log.c.at >= low, log.c.at < high, log.c.payload.is_not(None), or_(*kinds))
            .order_by(log.c.seq)
            .limit(CHUNK)
        )
        with record.engine.connect() as connection:
            rows = connection.execute(query).fetchall()
        if not rows:
            return
        for row in rows:
            if start <= datetime.fromisoformat(row.at) < end:
                yield _entry(row)
        last = rows[-1].seq
