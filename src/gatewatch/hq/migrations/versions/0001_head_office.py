"""Head office's tables: sites, their entries and marks, links, outbox, alerts, watchlist versions.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def upgrade() -> None:
    op.create_table(
        "hq_sites",
        sa.Column("site", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("public_key", sa.Text, nullable=True),
        sa.Column("added", sa.Text, nullable=False),
        sa.Column("head_seq", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("head_hash", sa.Text, nullable=False, server_default=GENESIS),
        sa.Column("last_at", sa.Text, nullable=True),
        sa.Column("last_arrived", sa.Text, nullable=True),
        sa.Column("pending", sa.BigInteger, nullable=True),
        sa.Column("pending_checked", sa.Text, nullable=True),
        sa.Column("stopped_seq", sa.BigInteger, nullable=True),
        sa.Column("stopped_problem", sa.Text, nullable=True),
        sa.Column("stopped_at", sa.Text, nullable=True),
        sa.Column("stopped_stream_seq", sa.BigInteger, nullable=True),
    )
    op.create_table(
        "hq_entries",
        sa.Column("site", sa.Text, primary_key=True),
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("event_id", sa.Text, nullable=False),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("at", sa.Text, nullable=False),
        sa.Column("received", sa.Text, nullable=False),
        sa.Column("submitted_by", sa.Text, nullable=False),
        sa.Column("person", sa.Text, nullable=True),
        sa.Column("payload", JSONB, nullable=True),
        sa.Column("payload_digest", sa.Text, nullable=False),
        sa.Column("outcome", JSONB, nullable=False),
        sa.Column("outcome_digest", sa.Text, nullable=True),
        sa.Column("prev_hash", sa.Text, nullable=False),
        sa.Column("hash", sa.Text, nullable=False),
        sa.Column("redacted", sa.Boolean, nullable=False),
        sa.Column("withheld", sa.Boolean, nullable=False),
        sa.Column("sent", sa.Text, nullable=False),
        sa.Column("arrived", sa.Text, nullable=False),
    )
    op.create_index("hq_entries_site_person", "hq_entries", ["site", "person"])
    op.create_index("hq_entries_site_event_id", "hq_entries", ["site", "event_id"])
    op.create_table(
        "hq_marks",
        sa.Column("site", sa.Text, primary_key=True),
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.Text, primary_key=True),
        sa.Column("mark", sa.Text, primary_key=True),
        sa.Column("person", sa.Text, nullable=False),
    )
    op.create_index("hq_marks_mark", "hq_marks", ["mark"])
    op.create_table(
        "hq_links",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("mark", sa.Text, nullable=False),
        sa.Column("a_site", sa.Text, nullable=False),
        sa.Column("a_person", sa.Text, nullable=False),
        sa.Column("a_seq", sa.BigInteger, nullable=False),
        sa.Column("a_at", sa.Text, nullable=False),
        sa.Column("a_name", sa.Text, nullable=True),
        sa.Column("b_site", sa.Text, nullable=False),
        sa.Column("b_person", sa.Text, nullable=False),
        sa.Column("b_seq", sa.BigInteger, nullable=False),
        sa.Column("b_at", sa.Text, nullable=False),
        sa.Column("b_name", sa.Text, nullable=True),
        sa.Column("found", sa.Text, nullable=False),
        sa.UniqueConstraint("mark", "a_site", "a_person", "b_site", "b_person", name="hq_links_parties"),
    )
    op.create_index("hq_links_a", "hq_links", ["a_site", "a_person"])
    op.create_index("hq_links_b", "hq_links", ["b_site", "b_person"])
    op.create_table(
        "hq_outbox",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("site", sa.Text, nullable=False),
        sa.Column("msg_id", sa.Text, nullable=False, unique=True),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("body", sa.LargeBinary, nullable=False),
        sa.Column("made", sa.Text, nullable=False),
        sa.Column("sent", sa.Text, nullable=True),
    )
    op.create_table(
        "hq_alerts",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("site", sa.Text, nullable=False),
        sa.Column("at", sa.Text, nullable=False),
        sa.Column("severity", sa.Text, nullable=False),
        sa.Column("code", sa.Text, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=True),
    )
    op.create_table(
        "hq_lists",
        sa.Column("list", sa.Text, primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("format", sa.Text, nullable=False),
        sa.Column("digest", sa.Text, nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("published", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("parts", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    for table in ("hq_lists", "hq_alerts", "hq_outbox", "hq_links", "hq_marks", "hq_entries", "hq_sites"):
        op.drop_table(table)
