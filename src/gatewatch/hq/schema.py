"""Head office's tables (SQLAlchemy Core, PostgreSQL only). Changes go through ``hq/migrations``.

Every table holds the site id: one schema for all sites. ``hq_entries`` keeps each site's record
as shipped (its chain checkable end to end), ``hq_marks`` the identifiers each entry presents,
``hq_links`` the same identifier seen at two sites, ``hq_outbox`` what head office still has to
send a site, ``hq_alerts`` head office's own alerts, ``hq_lists`` the watchlist versions it
published.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB

from gatewatch.store.chain import GENESIS

metadata = MetaData()

VERSION_TABLE = "hq_alembic_version"
"""Head office's own Alembic version table: its revisions never mix with a site record's."""

hq_sites = Table(
    "hq_sites",
    metadata,
    Column("site", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("public_key", Text, nullable=True),
    Column("added", Text, nullable=False),
    Column("head_seq", BigInteger, nullable=False, server_default="0"),
    Column("head_hash", Text, nullable=False, server_default=GENESIS),
    Column("last_at", Text, nullable=True),
    Column("last_arrived", Text, nullable=True),
    Column("pending", BigInteger, nullable=True),
    Column("pending_checked", Text, nullable=True),
    Column("stopped_seq", BigInteger, nullable=True),
    Column("stopped_problem", Text, nullable=True),
    Column("stopped_at", Text, nullable=True),
    Column("stopped_stream_seq", BigInteger, nullable=True),
)
"""Each site head office knows: its NKEY user key, how far its chain has come, and whether it is stopped.

``last_at``: the newest entry's ``received``; ``pending``: JetStream's count of the site's
messages not yet taken, as of ``pending_checked``; ``stopped_*``: where the chain broke (the
entry's position, the problem, when, and the offending message's stream sequence).
"""

hq_entries = Table(
    "hq_entries",
    metadata,
    Column("site", Text, primary_key=True),
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("event_id", Text, nullable=False),
    Column("type", Text, nullable=False),
    Column("at", Text, nullable=False),
    Column("received", Text, nullable=False),
    Column("submitted_by", Text, nullable=False),
    Column("person", Text, nullable=True),
    Column("payload", JSONB(none_as_null=True), nullable=True),
    Column("payload_digest", Text, nullable=False),
    Column("outcome", JSONB, nullable=False),
    Column("outcome_digest", Text, nullable=True),
    Column("prev_hash", Text, nullable=False),
    Column("hash", Text, nullable=False),
    Column("redacted", Boolean, nullable=False),
    Column("withheld", Boolean, nullable=False),
    Column("sent", Text, nullable=False),
    Column("arrived", Text, nullable=False),
    Index("hq_entries_site_person", "site", "person"),
    Index("hq_entries_site_event_id", "site", "event_id"),
)
"""Every site's entries as shipped (``payload``: the withheld view where ``withheld``)."""

hq_marks = Table(
    "hq_marks",
    metadata,
    Column("site", Text, primary_key=True),
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("kind", Text, primary_key=True),
    Column("mark", Text, primary_key=True),
    Column("person", Text, nullable=False),
    Index("hq_marks_mark", "mark"),
)
"""The documents, phones and vehicles each entry presents (or their keyed hashes), and who presented them."""

hq_links = Table(
    "hq_links",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("kind", Text, nullable=False),
    Column("mark", Text, nullable=False),
    Column("a_site", Text, nullable=False),
    Column("a_person", Text, nullable=False),
    Column("a_seq", BigInteger, nullable=False),
    Column("a_at", Text, nullable=False),
    Column("a_name", Text, nullable=True),
    Column("b_site", Text, nullable=False),
    Column("b_person", Text, nullable=False),
    Column("b_seq", BigInteger, nullable=False),
    Column("b_at", Text, nullable=False),
    Column("b_name", Text, nullable=True),
    Column("found", Text, nullable=False),
    UniqueConstraint("mark", "a_site", "a_person", "b_site", "b_person", name="hq_links_parties"),
    Index("hq_links_a", "a_site", "a_person"),
    Index("hq_links_b", "b_site", "b_person"),
)
"""The same identifier presented by a person at one site (a, the earlier known) and one at another (b)."""

hq_outbox = Table(
    "hq_outbox",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("site", Text, nullable=False),
    Column("msg_id", Text, nullable=False, unique=True),
    Column("subject", Text, nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("made", Text, nullable=False),
    Column("sent", Text, nullable=True),
)
"""Messages to sites, made in the same transaction as what they tell; ``sent`` once JetStream took them."""

hq_alerts = Table(
    "hq_alerts",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("site", Text, nullable=False),
    Column("at", Text, nullable=False),
    Column("severity", Text, nullable=False),
    Column("code", Text, nullable=False),
    Column("message", Text, nullable=False),
    Column("seq", BigInteger, nullable=True),
)
"""Head office's own alerts about a site (a stopped chain names the entry's position in ``seq``)."""

hq_lists = Table(
    "hq_lists",
    metadata,
    Column("list", Text, primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("format", Text, nullable=False),
    Column("digest", Text, nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("published", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("parts", Integer, nullable=False),
)
"""Every watchlist version head office published to the sites."""
