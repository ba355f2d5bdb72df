"""An index on the log's event type: retention finds the few identity events without a full scan.

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_log_type", "log", ["type"])


def downgrade() -> None:
    op.drop_index("ix_log_type", "log")
