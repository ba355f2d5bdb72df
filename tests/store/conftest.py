"""The store's tests run on SQLite and on a real PostgreSQL server.

PostgreSQL: ``GATEWATCH_TEST_PG`` (default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``)
names a server where each test gets a database of its own, dropped afterwards. Where no server
answers, the PostgreSQL cases are skipped, except under CI, where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from gatewatch.store.log import EventLog

PG = os.environ.get("GATEWATCH_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _postgres_database() -> Iterator[str]:
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    name = f"gatewatch_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # no server here
        admin.dispose()
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no PostgreSQL server at {PG}: {error.__class__.__name__}")
    try:
        yield make_url(PG).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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
