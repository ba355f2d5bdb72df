"""What the record says of credentials: to whom each was issued, when and by whom, and the
badges presented with it.

The engine's state keeps each credential as it stands now; the record keeps how it came to be.
These read the log's ``credential`` and ``badge`` entries by the ids they name: the log's type
index, then a JSON fragment of the payload (``"credential":"c-17"``), then the decoded payload
checked again, so that no other text can pass for the id. Newest first, and bounded.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

import msgspec
from sqlalchemy import ColumnElement, and_, or_, select

from gatewatch.store.log import EventLog
from gatewatch.store.schema import log

IDS_PER_QUERY = 50
"""Credential ids (or spans) looked for in one query; more are read in turns."""
MOST_ISSUANCES = 500
"""Issuances read for one person or a set of ids: far more than any one holds."""


@dataclass(frozen=True, slots=True)
class Issuance:
    """A ``credential`` entry: the id, its holder, who issued it and when; ``refused`` when the
    engine refused it (NOT_PERMITTED: it changed nothing)."""

    seq: int
    event: str
    at: str
    credential: str
    person: str
    by: str
    kind: str
    refused: bool


@dataclass(frozen=True, slots=True)
class Span:
    """Entries ``start`` (its issuance) up to ``end`` (excluded; None: still) in which ``credential``
    was held by one person."""

    credential: str
    start: int
    end: int | None


@dataclass(frozen=True, slots=True)
class Badge:
    """A ``badge`` entry: where, with which credential, and what the engine decided."""

    seq: int
    event: str
    at: str
    reader: str
    credential: str
    decision: str | None
    reasons: tuple[str, ...]


def _fragment(field: str, value: str) -> str:
    """The payload's text for ``"field": value`` as the log writes it (compact JSON)."""
    return f'"{field}":{msgspec.json.encode(value).decode()}'


def _names(field: str, values: Iterable[str]) -> ColumnElement[bool]:
    return or_(*(log.c.payload.contains(_fragment(field, value), autoescape=True) for value in values))


def _chunks(values: Collection[str]) -> list[list[str]]:
    ordered = sorted(values)
    return [ordered[i : i + IDS_PER_QUERY] for i in range(0, len(ordered), IDS_PER_QUERY)]


def _issuance(row: Any) -> Issuance | None:
    payload = msgspec.json.decode(row.payload) if row.payload is not None else None
    if not isinstance(payload, dict):
        return None
    outcome = msgspec.json.decode(row.outcome)
    refused = any(alert.get("code") == "NOT_PERMITTED" for alert in outcome.get("alerts", ()))
    return Issuance(
        seq=int(row.seq),
        event=str(row.event_id),
        at=str(row.at),
        credential=str(payload.get("credential", "")),
        person=str(payload.get("person", "")),
        by=str(payload.get("by", "")),
        kind=str(payload.get("kind", "")),
        refused=refused,
    )


def _issuances(record: EventLog, where: ColumnElement[bool]) -> list[Issuance]:
    query = (
        select(log.c.seq, log.c.event_id, log.c.at, log.c.payload, log.c.outcome)
        .where(log.c.type == "credential", where)
        .order_by(log.c.seq.desc())
        .limit(MOST_ISSUANCES)
    )
    with record.engine.connect() as connection:
        return [found for row in connection.execute(query) if (found := _issuance(row)) is not None]


def issued_to(record: EventLog, person: str) -> list[Issuance]:
    """Every issuance naming ``person`` as the holder, newest first (refused ones included)."""
    return [i for i in _issuances(record, _names("person", [person])) if i.person == person]


def issuances_of(record: EventLog, credentials: Collection[str]) -> list[Issuance]:
    """Every issuance of these credential ids, to anyone, newest first (refused ones included)."""
    found: list[Issuance] = []
    for chunk in _chunks(credentials):
        wanted = set(chunk)
        found += [i for i in _issuances(record, _names("credential", chunk)) if i.credential in wanted]
    return sorted(found, key=lambda i: i.seq, reverse=True)


def held_spans(issuances: Iterable[Issuance], person: str) -> list[Span]:
    """The spans of entries in which ``person`` held each credential: from an issuance to them
    until the next issuance of the same id to someone else (refused issuances changed nothing)."""
    by_credential: dict[str, list[Issuance]] = {}
    for issued in sorted((i for i in issuances if not i.refused), key=lambda i: i.seq):
        by_credential.setdefault(issued.credential, []).append(issued)
    spans: list[Span] = []
    for credential, in_turn in by_credential.items():
        start: int | None = None
        for one in in_turn:
            if one.person == person and start is None:
                start = one.seq
            elif one.person != person and start is not None:
                spans.append(Span(credential, start, one.seq))
                start = None
        if start is not None:
            spans.append(Span(credential, start, None))
    return spans


def _within(span: Span) -> ColumnElement[bool]:
    inside = log.c.seq > span.start if span.end is None else and_(log.c.seq > span.start, log.c.seq < span.end)
    return and_(inside, log.c.payload.contains(_fragment("credential", span.credential), autoescape=True))


def _badge(row: Any) -> Badge | None:
    payload = msgspec.json.decode(row.payload) if row.payload is not None else None
    if not isinstance(payload, dict):
        return None
    outcome = msgspec.json.decode(row.outcome)
    return Badge(
        seq=int(row.seq),
        event=str(row.event_id),
        at=str(row.at),
        reader=str(payload.get("reader", "")),
        credential=str(payload.get("credential", "")),
        decision=outcome.get("decision"),
        reasons=tuple(str(code) for code in outcome.get("reasons", ())),
    )


def badges_within(record: EventLog, spans: Collection[Span], limit: int) -> list[Badge]:
    """The badges presented with each credential within its span, newest first, at most ``limit``."""
    found: list[Badge] = []
    ordered = sorted(spans, key=lambda s: (s.credential, s.start))
    for start in range(0, len(ordered), IDS_PER_QUERY):
        part = ordered[start : start + IDS_PER_QUERY]
        query = (
            select(log.c.seq, log.c.event_id, log.c.at, log.c.payload, log.c.outcome)
            .where(log.c.type == "badge", or_(*(_within(span) for span in part)))
            .order_by(log.c.seq.desc())
            .limit(limit)
        )
        with record.engine.connect() as connection:
            rows = [badge for row in connection.execute(query) if (badge := _badge(row)) is not None]
        found += [badge for badge in rows if any(_holds(span, badge) for span in part)]
    return sorted(found, key=lambda b: b.seq, reverse=True)[:limit]


def _holds(span: Span, badge: Badge) -> bool:
    return badge.credential == span.credential and span.start < badge.seq and (span.end is None or badge.seq < span.end)


def credentials_presented(record: EventLog, events: Collection[str]) -> dict[str, str]:
    """For these event ids, the credential each badge among them was presented with."""
    found: dict[str, str] = {}
    for chunk in _chunks(events):
        query = select(log.c.event_id, log.c.payload).where(log.c.type == "badge", log.c.event_id.in_(chunk))
        with record.engine.connect() as connection:
            for row in connection.execute(query):
                payload = msgspec.json.decode(row.payload) if row.payload is not None else None
                if isinstance(payload, dict) and isinstance(payload.get("credential"), str):
                    found[str(row.event_id)] = payload["credential"]
    return found


@dataclass(frozen=True, slots=True)
class Revocation:
    """A ``revoke`` entry: which credential, by whom, when and why."""

    event: str
    at: str
    credential: str
    by: str
    reason: str | None


def revocations(record: EventLog, events: Collection[str]) -> dict[str, Revocation]:
    """These ``revoke`` entries by their event ids (the ids a credential's state keeps)."""
    found: dict[str, Revocation] = {}
    for chunk in _chunks(events):
        query = select(log.c.event_id, log.c.at, log.c.payload).where(log.c.type == "revoke", log.c.event_id.in_(chunk))
        with record.engine.connect() as connection:
            for row in connection.execute(query):
                payload = msgspec.json.decode(row.payload) if row.payload is not None else None
                if isinstance(payload, dict):
                    reason = payload.get("reason")
                    found[str(row.event_id)] = Revocation(
                        event=str(row.event_id),
                        at=str(row.at),
                        credential=str(payload.get("credential", "")),
                        by=str(payload.get("by", "")),
                        reason=str(reason) if reason is not None else None,
                    )
    return found
