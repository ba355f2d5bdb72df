"""The append-only event log.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "log",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("event_id", sa.String(200), nullable=False, unique=True),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("received", sa.String(40), nullable=False),
        sa.Column("submitted_by", sa.String(200), nullable=False),
        sa.Column("payload", sa.Text, nullable=True),
        sa.Column("payload_digest", sa.String(64), nullable=False),
        sa.Column("outcome", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("redacted", sa.Boolean, nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.drop_table("log")
