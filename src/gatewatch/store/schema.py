"""The tables of the record (SQLAlchemy Core). Changes go through Alembic migrations."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Integer, LargeBinary, MetaData, String, Table, Text

metadata = MetaData()

MAX_SEQ = 2**31 - 1
"""The largest position the log's integer column holds (on PostgreSQL too)."""

log = Table(
    "log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("event_id", String(200), nullable=False, unique=True),
    Column("type", String(40), nullable=False, index=True),
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

alerts = Table(
    "alerts",
    metadata,
    Column("id", String(220), primary_key=True),
    Column("seq", Integer, nullable=False, index=True),
    Column("event_id", String(200), nullable=False),
    Column("at", String(40), nullable=False),
    Column("code", String(40), nullable=False, index=True),
    Column("severity", String(10), nullable=False),
    Column("subjects", Text, nullable=False),
    Column("message", Text, nullable=False),
)
"""Every alert the engine raised, one row each, derived from the log in the same transaction."""

acknowledgements = Table(
    "acknowledgements",
    metadata,
    Column("alert_id", String(220), primary_key=True),
    Column("by", String(200), nullable=False),
    Column("at", String(40), nullable=False),
    Column("comment", Text, nullable=False),
    Column("position", Integer, nullable=True, unique=True),
    Column("prev_hash", String(64), nullable=True, unique=True),
    Column("hash", String(64), nullable=True, unique=True),
)
"""Each acknowledgement once, chained in the order they were made (``position``, ``prev_hash``, ``hash``)."""

users = Table(
    "users",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("role", String(20), nullable=False),
    Column("person", String(200), nullable=True),
    Column("password_hash", String(200), nullable=False),
    Column("created", String(40), nullable=False),
)

tokens = Table(
    "tokens",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("user", String(100), nullable=False, index=True),
    Column("kind", String(10), nullable=False),
    Column("created", String(40), nullable=False),
    Column("expires", String(40), nullable=True),
)
"""Sessions and API tokens, kept as the SHA-256 of the token (the token itself is never stored)."""

logins = Table(
    "logins",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(40), nullable=False),
    Column("name", String(100), nullable=False, index=True),
    Column("client", String(100), nullable=False),
    Column("ok", Boolean, nullable=False),
    Column("prev_hash", String(64), nullable=True, unique=True),
    Column("hash", String(64), nullable=True, unique=True),
)
"""Every login attempt, failed or not: the rate limit counts the failures here (chained in ``id`` order)."""

reads = Table(
    "reads",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(40), nullable=False),
    Column("user", String(100), nullable=False),
    Column("person", String(200), nullable=False, index=True),
    Column("prev_hash", String(64), nullable=True, unique=True),
    Column("hash", String(64), nullable=True, unique=True),
)
"""Every read of a person's file: who read whose, and when (chained in ``id`` order)."""

redactions = Table(
    "redactions",
    metadata,
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False, unique=True),
    Column("at", String(40), nullable=False),
    Column("prev_hash", String(64), nullable=False, unique=True),
    Column("hash", String(64), nullable=False, unique=True),
)
"""Every log entry whose payload was redacted, when, chained: what makes a payload set to null legitimate."""

watchlist_versions = Table(
    "watchlist_versions",
    metadata,
    Column("list", String(100), primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("imported", String(40), nullable=False),
    Column("imported_by", String(100), nullable=False),
    Column("source", Text, nullable=False),
    Column("digest", String(64), nullable=False),
    Column("entries", Integer, nullable=False),
    Column("current", Boolean, nullable=False),
)
"""Every version of every watchlist ever imported; one per list is current."""

watchlist_entries = Table(
    "watchlist_entries",
    metadata,
    Column("list", String(100), primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("entry", LargeBinary, nullable=False),
)
"""The entries of each list's current version (msgpack), in the order imported."""

person_entries = Table(
    "person_entries",
    metadata,
    Column("person", String(200), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    sqlite_with_rowid=False,
)
"""Which entries name each id: the people an event names, and every subject of the alerts it raised.

Derived from the log in the same transaction as each append (``gatewatch.store.person_index``),
never chained: it only finds a person's entries without reading the whole log. The primary key
(person, seq) is the index a person's timeline is read from, newest first.
"""

sync_cursor = Table(
    "sync_cursor",
    metadata,
    Column("target", String(200), primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("updated", String(40), nullable=False),
)
"""How far the record has been shipped to each target (head office): the last entry it acknowledged,
its position and hash (``gatewatch.store.sync_cursor``). Never chained: the entries it names are."""
