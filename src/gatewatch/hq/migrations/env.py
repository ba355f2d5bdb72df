"""Alembic's environment for head office: migrations run on the connection the store hands over.

Head office keeps its own version table (``hq_alembic_version``), so that its schema and a
site's record could share a PostgreSQL database without their revisions mixing.
"""

from alembic import context

from gatewatch.hq.schema import VERSION_TABLE, metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, version_table=VERSION_TABLE)
with context.begin_transaction():
    context.run_migrations()
