"""The store's tests run on SQLite and on a real PostgreSQL server.

PostgreSQL: ``GATEWATCH_TEST_PG`` (default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``)
names a server where each test gets a database of its own, dropped afterwards. Where no server
answers, the PostgreSQL cases are skipped, except under CI, where they fail.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gatewatch.store.log import EventLog
from pg_support import postgres_database as _postgres_database  # the name other folders' tests import


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'gatewatch.db'}"
    else:
        yield from _postgres_database()


@pytest.fixture
def store(database_url: str) -> Iterator[EventLog]:
    opened = EventLog.open(database_url)
    yield opened
    opened.close()
