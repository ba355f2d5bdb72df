"""The site side of many sites, on a real NATS server with JetStream.

NATS: ``GATEWATCH_TEST_NATS`` (default ``nats://127.0.0.1:4222``, no auth). Each test gets a
prefix of its own (``Topology(prefix="t…")``), the two streams and the site's consumers made by
``office`` as head office would make them, and deleted afterwards. Where no NATS answers, the
tests that need it are skipped, except under CI, where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from nats.js import JetStreamContext
from sync_support import SyncSite, delete_streams, make_streams, with_jetstream

from gatewatch.sync.wire import Topology

NATS = os.environ.get("GATEWATCH_TEST_NATS", "nats://127.0.0.1:4222")
SITE = "north"


def _answers(url: str) -> str | None:
    """None if a NATS server with JetStream answers at ``url``, else what went wrong."""

    async def ask(js: JetStreamContext) -> None:
        await js.account_info()

    try:
        with_jetstream(url, ask)
    except Exception as error:
        return f"{error.__class__.__name__}: {error}"
    return None


@pytest.fixture
def nats_url() -> str:
    problem = _answers(NATS)
    if problem is not None:
        message = f"no NATS with JetStream at {NATS}: {problem}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return NATS


@pytest.fixture
def topology(nats_url: str) -> Iterator[Topology]:
    """A prefix of the test's own; its streams (and so their consumers) deleted afterwards."""
    made = Topology(prefix=f"t{uuid.uuid4().hex[:12]}")
    yield made

    async def clean(js: JetStreamContext) -> None:
        await delete_streams(js, made)

    with_jetstream(nats_url, clean)


@pytest.fixture
def office(nats_url: str, topology: Topology) -> Topology:
    """Head office's streams and the site's three consumers, made (the topology that names them)."""

    async def make(js: JetStreamContext) -> None:
        await make_streams(js, topology, [SITE])

    with_jetstream(nats_url, make)
    return topology


@pytest.fixture
def site(tmp_path: Path) -> Iterator[SyncSite]:
    """The test house as site ``north``, its record in a data directory; closed after the test."""
    made = SyncSite(tmp_path, SITE, country="GB")
    yield made
    made.close()
