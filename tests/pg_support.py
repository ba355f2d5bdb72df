"""A PostgreSQL database of a test's own, for every test folder that needs one.

``GATEWATCH_TEST_PG`` (default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``) names a
server where each test gets a database of its own, made empty and dropped (even while still
connected to) afterwards. Where no server answers the test is skipped, except under CI, where
it fails.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG = os.environ.get("GATEWATCH_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def postgres_database(prefix: str = "gatewatch_test") -> Iterator[str]:
    """Make a database named ``prefix`` and a random tail, yield its URL, and drop it afterwards.

    A generator to ``yield from`` in a fixture. No server: the test is skipped (failed under CI).
    """
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # no server here
        admin.dispose()
        if os.environ.get("CI"):
            pytest.fail(f"no PostgreSQL server at {PG} (CI: the service must be there): {error}")
        pytest.skip(f"no PostgreSQL server at {PG}: {error.__class__.__name__}")
    try:
        yield make_url(PG).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
