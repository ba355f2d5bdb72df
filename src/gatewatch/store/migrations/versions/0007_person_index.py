"""The person index: which entries name each person (``gatewatch.store.person_index``), filled
from the entries already recorded, a chunk of the log at a time.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

from gatewatch.store.person_index import rows_for

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

CHUNK = 5_000
"""Log entries read, and their index rows written, at a time."""


def upgrade() -> None:
    index = op.create_table(
        "person_entries",
        sa.Column("person", sa.String(200), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sqlite_with_rowid=False,  # the key is the table (PostgreSQL ignores this)
    )
    connection = op.get_bind()
    last = 0
    while True:
        entries = connection.execute(
            sa.text("SELECT seq, payload FROM log WHERE seq > :last ORDER BY seq LIMIT :chunk"),
            {"last": last, "chunk": CHUNK},
        ).fetchall()
        if not entries:
            return
        first, last = entries[0].seq, entries[-1].seq
        raised = connection.execute(
            sa.text("SELECT seq, subjects FROM alerts WHERE seq >= :first AND seq <= :last ORDER BY seq"),
            {"first": first, "last": last},
        ).fetchall()
        rows = rows_for(
            ({"seq": row.seq, "payload": row.payload} for row in entries),
            ({"seq": row.seq, "subjects": row.subjects} for row in raised),
        )
        if rows:
            op.bulk_insert(index, rows)


def downgrade() -> None:
    op.drop_table("person_entries")
