"""The durable record: an append-only, hash-chained event log on SQLite or PostgreSQL."""
