"""The background workers on their own: retention redacts on its schedule; a failed run is logged."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from api.conftest import write_site
from gatewatch.bootstrap import Services, build
from gatewatch.workers import retention
from support import events

RECEIVED = datetime(2024, 6, 3, 12, 0, tzinfo=UTC)
HISTORY = """
- {id: i1, at: "2024-01-02T09:00", type: identify, person: vic, name: Victor Visitor, phone: "+1 555 0100"}
- {id: i2, at: "2024-07-21T09:00", type: identify, person: new, name: Nina New}
"""
NOW = datetime(2024, 8, 1, tzinfo=UTC)  # past the site's retention for i1, not for i2


def services_with_history(directory: Path) -> Services:
    """The server's services over a record whose first identity has expired by ``NOW``."""
    services = build(write_site(directory), f"sqlite:///{directory / 'gatewatch.db'}")
    for event in events(HISTORY, on=services.site, start=datetime(2024, 1, 1, tzinfo=UTC)):
        services.desk.submit(event, "lead", RECEIVED)
    services.clock = lambda: NOW
    return services


def test_a_retention_run_redacts_what_has_expired_and_says_how_much(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    services = services_with_history(tmp_path)
    with caplog.at_level(logging.WARNING, "gatewatch.workers"):
        assert asyncio.run(retention.redact_once(services)) == 1
    assert "retention: redacted the identity data of 1 entries" in caplog.text
    assert asyncio.run(retention.redact_once(services)) == 0
    services.close()


async def redacted_while_kept(services: Services) -> int:
    """Keep retention (first run at once) until the record shows a redaction, then stop it."""
    async with retention.keeping(services, first_after_s=0.0, every_s=3600.0):
        for _ in range(1000):  # a bound, not a timing: each turn yields to the worker
            if (await asyncio.to_thread(services.log.verify)).redacted:
                break
            await asyncio.sleep(0.01)
    return services.log.verify().redacted


def test_kept_retention_runs_on_its_schedule_and_stops(tmp_path: Path) -> None:
    services = services_with_history(tmp_path)
    assert asyncio.run(redacted_while_kept(services)) == 1
    services.close()


def test_a_failed_run_is_logged_and_redacts_nothing(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    services = services_with_history(tmp_path)
    services.clock = lambda: "not a time"  # type: ignore[assignment,return-value]
    with caplog.at_level(logging.ERROR, "gatewatch.workers"):
        assert asyncio.run(retention.redact_once(services)) == 0
    assert "retention: redaction failed" in caplog.text
    assert services.log.verify().redacted == 0
    services.close()
