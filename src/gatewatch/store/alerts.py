"""The alerts the engine raised, as the record keeps them: filter, read one, acknowledge.

Rows are written with their log entry, in the same transaction (``EventLog.append``), so the
table never holds an alert whose event is not recorded. An acknowledgement is kept once: the
first one stands. Acknowledgements are chained in the order made (``links``).
"""

from __future__ import annotations

from dataclasses import dataclass

import msgspec
from sqlalchemy import Engine, Select, select
from sqlalchemy.engine import Connection, Row

from gatewatch.store import links
from gatewatch.store.schema import acknowledgements, alerts


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    by: str
    at: str
    comment: str


@dataclass(frozen=True, slots=True)
class StoredAlert:
    id: str
    seq: int
    event: str
    at: str
    code: str
    severity: str
    subjects: tuple[str, ...]
    message: str
    acknowledged: Acknowledgement | None


@dataclass(frozen=True, slots=True)
class AlertFilter:
    code: str | None = None
    person: str | None = None
    severity: str | None = None
    acknowledged: bool | None = None
    limit: int = 100
    before: int | None = None
    hidden: frozenset[str] = frozenset()
    """Codes left out (the discreet ones, for a viewer not shown them)."""


class AlreadyAcknowledged(ValueError):
    pass


class AlertBook:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def find(self, wanted: AlertFilter) -> list[StoredAlert]:
        """Newest first, filtered by code, person named, severity and acknowledgement."""
        query = _joined().order_by(alerts.c.seq.desc(), alerts.c.id.desc()).limit(wanted.limit)
        if wanted.code:
            query = query.where(alerts.c.code == wanted.code)
        if wanted.severity:
            query = query.where(alerts.c.severity == wanted.severity)
        if wanted.person:
            quoted = msgspec.json.encode(wanted.person).decode()
            query = query.where(alerts.c.subjects.contains(quoted, autoescape=True))
        if wanted.acknowledged is not None:
            present = acknowledgements.c.alert_id.is_not(None)
            query = query.where(present if wanted.acknowledged else ~present)
        if wanted.before is not None:
            query = query.where(alerts.c.seq < wanted.before)
        if wanted.hidden:
            query = query.where(alerts.c.code.not_in(sorted(wanted.hidden)))
        with self.engine.connect() as connection:
            return [_alert(row) for row in connection.execute(query)]

    def get(self, alert_id: str) -> StoredAlert | None:
        with self.engine.connect() as connection:
            row = connection.execute(_joined().where(alerts.c.id == alert_id)).first()
        return _alert(row) if row else None

    def acknowledge(self, alert_id: str, by: str, at: str, comment: str) -> StoredAlert:
        """Keep who acknowledged it, when and why, chained to the one before; a second one is refused."""

        def not_yet(connection: Connection) -> None:
            done = select(acknowledgements.c.alert_id).where(acknowledgements.c.alert_id == alert_id)
            if connection.execute(done).first() is not None:
                raise AlreadyAcknowledged(alert_id)

        values = {"alert_id": alert_id, "by": by, "at": at, "comment": comment}
        links.insert_linked(self.engine, links.ACKNOWLEDGEMENTS, values, before=not_yet)
        found = self.get(alert_id)
        assert found is not None
        return found


def _joined() -> Select[tuple[object, ...]]:
    return select(
        alerts,
        acknowledgements.c.by.label("ack_by"),
        acknowledgements.c.at.label("ack_at"),
        acknowledgements.c.comment.label("ack_comment"),
    ).select_from(alerts.outerjoin(acknowledgements, acknowledgements.c.alert_id == alerts.c.id))


def _alert(row: Row[tuple[object, ...]]) -> StoredAlert:
    data = row._mapping
    ack = (
        Acknowledgement(str(data["ack_by"]), str(data["ack_at"]), str(data["ack_comment"]))
        if data["ack_by"] is not None
        else None
    )
    return StoredAlert(
        id=str(data["id"]),
        seq=int(str(data["seq"])),
        event=str(data["event_id"]),
        at=str(data["at"]),
        code=str(data["code"]),
        severity=str(data["severity"]),
        subjects=tuple(msgspec.json.decode(str(data["subjects"]))),
        message=str(data["message"]),
        acknowledged=ack,
    )
