"""Alerts as rows (filled from the outcomes already recorded), acknowledgements, users,
tokens, login attempts and reads of person files.

Revision ID: 0003
Revises: 0002
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    alerts = op.create_table(
        "alerts",
        sa.Column("id", sa.String(220), primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False, index=True),
        sa.Column("event_id", sa.String(200), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("code", sa.String(40), nullable=False, index=True),
        sa.Column("severity", sa.String(10), nullable=False),
        sa.Column("subjects", sa.Text, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
    )
    op.create_table(
        "acknowledgements",
        sa.Column("alert_id", sa.String(220), primary_key=True),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
    )
    op.create_table(
        "users",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("person", sa.String(200), nullable=True),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("created", sa.String(40), nullable=False),
    )
    op.create_table(
        "tokens",
        sa.Column("digest", sa.String(64), primary_key=True),
        sa.Column("user", sa.String(100), nullable=False, index=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("created", sa.String(40), nullable=False),
        sa.Column("expires", sa.String(40), nullable=True),
    )
    op.create_table(
        "logins",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("name", sa.String(100), nullable=False, index=True),
        sa.Column("client", sa.String(100), nullable=False),
        sa.Column("ok", sa.Boolean, nullable=False),
    )
    op.create_table(
        "reads",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("user", sa.String(100), nullable=False),
        sa.Column("person", sa.String(200), nullable=False, index=True),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT seq, event_id, outcome FROM log ORDER BY seq"))
    batch = []
    for seq, event_id, outcome in rows:
        decoded = json.loads(outcome)
        for number, alert in enumerate(decoded.get("alerts", []), start=1):
            batch.append(
                {
                    "id": f"{seq}-{number}",
                    "seq": seq,
                    "event_id": event_id,
                    "at": decoded["at"],
                    "code": alert["code"],
                    "severity": alert["severity"],
                    "subjects": json.dumps(alert["subjects"]),
                    "message": alert["message"],
                }
            )
    if batch:
        op.bulk_insert(alerts, batch)


def downgrade() -> None:
    for table in ("reads", "logins", "tokens", "users", "acknowledgements", "alerts"):
        op.drop_table(table)
