"""The multi-site acceptance tests: guarded sites and a head office on a real NATS and PostgreSQL.

NATS with JetStream: ``GATEWATCH_TEST_NATS`` (default ``nats://127.0.0.1:4222``); each test has a
prefix of its own, and its streams are deleted afterwards. PostgreSQL: ``GATEWATCH_TEST_PG``
(default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``); head office gets a database of
its own per test, dropped afterwards. Where a service does not answer the tests are skipped,
except under CI, where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from gatewatch.sync.wire import Topology
from multisite import jetstream
from multisite.office import HeadOffice
from multisite.sites import Site
from pg_support import postgres_database

NATS = os.environ.get("GATEWATCH_TEST_NATS", "nats://127.0.0.1:4222")


def _missing(service: str, problem: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{service}: {problem}")
    pytest.skip(f"{service}: {problem}")


@pytest.fixture
def nats_url() -> str:
    problem = jetstream.answers(NATS)
    if problem is not None:
        _missing(f"no NATS with JetStream at {NATS}", problem)
    return NATS


@pytest.fixture
def topology(nats_url: str) -> Iterator[Topology]:
    """A prefix of the test's own; its streams (and their consumers) deleted afterwards."""
    made = Topology(prefix=f"t{uuid.uuid4().hex[:12]}")
    yield made
    jetstream.delete_streams(nats_url, made)


@pytest.fixture
def office_db() -> Iterator[str]:
    """A PostgreSQL database for head office, dropped after the test."""
    yield from postgres_database("gatewatch_hq_test")


@pytest.fixture
def office(tmp_path: Path, office_db: str, nats_url: str, topology: Topology) -> Iterator[HeadOffice]:
    """Head office, initialised (``gatewatch hq init``), not yet serving; stopped after the test."""
    made = HeadOffice(tmp_path, office_db, nats_url, topology)
    made.init()
    yield made
    made.stop()


@pytest.fixture
def make_site(tmp_path: Path) -> Iterator[Callable[[str], Site]]:
    """Sites made on demand (``make_site("north")``); each one's desk closed after the test."""
    made: list[Site] = []

    def make(site: str) -> Site:
        one = Site.make(tmp_path / "sites", site)
        made.append(one)
        return one

    yield make
    for one in made:
        one.close()
