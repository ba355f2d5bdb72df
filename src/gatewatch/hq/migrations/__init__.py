"""Head office's Alembic migrations (its own environment and version table, ``hq_alembic_version``)."""
