"""The side tables chained: acknowledgements (in the order made), reads and sign-ins (in id order)
keep the previous row's hash and their own; the redactions table records every redacted entry.

Existing rows are chained here, and entries already redacted are recorded as redactions.

Revision ID: 0006
Revises: 0005
"""

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from gatewatch.store.chain import GENESIS, link_hash

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

CHAINED = {
    "acknowledgements": ("position", ("alert_id", "by", "at", "comment")),
    "reads": ("id", ("at", "user", "person")),
    "logins": ("id", ("at", "name", "client", "ok")),
}


def upgrade() -> None:
    op.add_column("acknowledgements", sa.Column("position", sa.Integer, nullable=True))
    for name in CHAINED:
        op.add_column(name, sa.Column("prev_hash", sa.String(64), nullable=True))
        op.add_column(name, sa.Column("hash", sa.String(64), nullable=True))
    op.create_table(
        "redactions",
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("seq", sa.Integer, nullable=False, unique=True),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("hash", sa.String(64), nullable=False, unique=True),
    )
    connection = op.get_bind()
    _number_acknowledgements(connection)
    for name, (order, covered) in CHAINED.items():
        _chain(connection, name, order, covered)
        op.create_index(f"ix_{name}_prev_hash", name, ["prev_hash"], unique=True)
        op.create_index(f"ix_{name}_hash", name, ["hash"], unique=True)
    op.create_index("ix_acknowledgements_position", "acknowledgements", ["position"], unique=True)
    _record_past_redactions(connection)


def _number_acknowledgements(connection: sa.Connection) -> None:
    """Acknowledgements had no order of their own: number them by time, then alert id."""
    table = sa.table("acknowledgements", sa.column("alert_id"), sa.column("position"))
    ids = connection.execute(sa.text('SELECT alert_id FROM acknowledgements ORDER BY "at", alert_id')).scalars()
    numbered = [{"key": alert_id, "number": n} for n, alert_id in enumerate(ids, start=1)]
    if numbered:
        statement = (
            table.update().where(table.c.alert_id == sa.bindparam("key")).values(position=sa.bindparam("number"))
        )
        connection.execute(statement, numbered)


def _chain(connection: sa.Connection, name: str, order: str, covered: tuple[str, ...]) -> None:
    quoted = ", ".join(f'"{column}"' for column in covered)
    rows = connection.execute(sa.text(f'SELECT "{order}", {quoted} FROM {name} ORDER BY "{order}"')).fetchall()
    previous, hashed = GENESIS, []
    for row in rows:
        fields: dict[str, Any] = dict(zip(covered, row[1:], strict=True))
        if "ok" in fields:
            fields["ok"] = bool(fields["ok"])  # SQLite hands booleans back as 0 and 1
        current = link_hash(name, fields, previous)
        hashed.append({"key": row[0], "prev": previous, "current": current})
        previous = current
    if hashed:
        table = sa.table(name, sa.column(order), sa.column("prev_hash"), sa.column("hash"))
        statement = (
            table.update()
            .where(table.c[order] == sa.bindparam("key"))
            .values(prev_hash=sa.bindparam("prev"), hash=sa.bindparam("current"))
        )
        connection.execute(statement, hashed)


def _record_past_redactions(connection: sa.Connection) -> None:
    """Entries redacted before redactions were recorded are recorded now, as of this upgrade."""
    seqs = connection.execute(sa.text("SELECT seq FROM log WHERE redacted ORDER BY seq")).scalars()
    at = datetime.now(UTC).isoformat(timespec="seconds")
    previous, rows = GENESIS, []
    for position, seq in enumerate(seqs, start=1):
        current = link_hash("redactions", {"seq": seq, "at": at}, previous)
        rows.append({"position": position, "seq": seq, "at": at, "prev_hash": previous, "hash": current})
        previous = current
    if rows:
        table = sa.table("redactions", *(sa.column(c) for c in ("position", "seq", "at", "prev_hash", "hash")))
        op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_table("redactions")
    op.drop_index("ix_acknowledgements_position", "acknowledgements")
    for name in CHAINED:
        op.drop_index(f"ix_{name}_hash", name)
        op.drop_index(f"ix_{name}_prev_hash", name)
        with op.batch_alter_table(name) as batch:
            batch.drop_column("hash")
            batch.drop_column("prev_hash")
    with op.batch_alter_table("acknowledgements") as batch:
        batch.drop_column("position")
