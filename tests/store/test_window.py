"""Entries within a span of time: by instant whatever the offset they were written with, of some
types or raising some alerts, in order, redacted ones left out (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from gatewatch.store.log import EventLog, Submission
from gatewatch.store.window import entries_between

START = datetime(2024, 6, 3, tzinfo=UTC)
END = datetime(2024, 6, 4, tzinfo=UTC)


def submission(ident: str, at: datetime, type_: str = "open", alert: str | None = None) -> Submission:
    alerts = [{"code": alert, "severity": "high", "subjects": ["g1"], "message": "m"}] if alert else []
    return Submission(
        event_id=ident,
        type=type_,
        at=at.isoformat(),
        payload={"type": type_, "id": ident},
        outcome={"at": at.isoformat(), "decision": None, "reasons": [], "alerts": alerts},
        submitted_by="g1",
        received=at.isoformat(),
    )


def ids(store: EventLog, types: tuple[str, ...] = ("open",), raising: tuple[str, ...] = ()) -> list[str]:
    return [entry.event_id for entry in entries_between(store, START, END, types, raising)]


def test_the_span_is_by_instant_whatever_the_offset(store: EventLog) -> None:
    tokyo, mexico = timezone(timedelta(hours=9)), timezone(timedelta(hours=-6))
    store.append_many(
        [
            submission("before", datetime(2024, 6, 2, 23, 59, tzinfo=UTC)),
            submission("first", START),
            submission("tokyo-in", datetime(2024, 6, 3, 8, 30, tzinfo=tokyo)),  # 23:30 UTC on the 2nd
            submission("mexico-in", datetime(2024, 6, 3, 17, 0, tzinfo=mexico)),  # 23:00 UTC on the 3rd
            submission("mexico-out", datetime(2024, 6, 3, 18, 0, tzinfo=mexico)),  # 00:00 UTC on the 4th
            submission("tokyo-late", datetime(2024, 6, 4, 8, 59, tzinfo=tokyo)),  # 23:59 UTC on the 3rd
        ]
    )
    assert ids(store) == ["first", "mexico-in", "tokyo-late"]


def test_of_the_types_asked_or_raising_the_alerts_asked(store: EventLog) -> None:
    at = START + timedelta(hours=9)
    store.append_many(
        [
            submission("o1", at),
            submission("m1", at, "move"),
            submission("m2", at, "move", alert="UNAUTHORIZED_ENTRY"),
            submission("m3", at, "move", alert="UNESCORTED_VISITOR"),
            submission("late", END, "move", alert="UNAUTHORIZED_ENTRY"),
        ]
    )
    assert ids(store) == ["o1"]
    assert ids(store, raising=("UNAUTHORIZED_ENTRY",)) == ["o1", "m2"]
    assert ids(store, types=("move",)) == ["m1", "m2", "m3"]


def test_redacted_entries_are_left_out(store: EventLog) -> None:
    at = START + timedelta(hours=9)
    kept = store.append_many([submission("o1", at), submission("o2", at)])
    store.redact([kept[0].entry.seq])
    assert ids(store) == ["o2"]


def test_a_span_without_offsets_is_refused(store: EventLog) -> None:
    with pytest.raises(ValueError, match="instants"):
        list(entries_between(store, START.replace(tzinfo=None), END, ("open",)))
