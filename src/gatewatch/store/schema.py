"""The tables of the record (SQLAlchemy Core). Changes go through Alembic migrations."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Integer, LargeBinary, MetaData, String, Table, Text

metadata = MetaData()

log = Table(
    "log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("event_id", String(200), nullable=False, unique=True),
    Column("type", String(40), nullable=False),
    Column("at", String(40), nullable=False),
    Column("received", String(40), nullable=False),
    Column("submitted_by", String(200), nullable=False),
    Column("payload", Text, nullable=True),
    Column("payload_digest", String(64), nullable=False),
    Column("outcome", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("redacted", Boolean, nullable=False, default=False),
)

snapshots = Table(
    "snapshots",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("head_hash", String(64), nullable=False),
    Column("site_digest", String(64), nullable=False),
    Column("state", LargeBinary, nullable=False),
    Column("state_digest", String(64), nullable=False),
)
