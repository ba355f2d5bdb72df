"""The OSDP tests run real libosdp readers (PDs) against the driver over TCP on loopback."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from osdp_support import Reader, RecordingDesk, TcpLine

from gatewatch.devices.osdp import OsdpDriver, osdp_readers


@pytest.fixture
def line() -> Iterator[TcpLine]:
    made = TcpLine()
    yield made
    made.close()


@pytest.fixture
def readers() -> Iterator[Callable[..., Reader]]:
    """Starts real readers; stops them after the test."""
    started: list[Reader] = []

    def start(channel: Any, address: int, key: bytes | None, **more: Any) -> Reader:
        reader = Reader(channel, address, key, **more).start()
        started.append(reader)
        return reader

    yield start
    for reader in started:
        reader.stop()


@pytest.fixture
def drivers() -> Iterator[Callable[..., OsdpDriver]]:
    """Starts OSDP drivers with a desk, with short waits; stops them after the test."""
    started: list[OsdpDriver] = []

    def start(desk: RecordingDesk, entries: list[dict[str, Any]], doors: dict[str, str], **more: Any) -> OsdpDriver:
        timing: dict[str, Any] = {"deadline_s": 1.0, "online_grace_s": 2.0, "reconnect_s": 1.0, **more}
        driver = OsdpDriver(osdp_readers(entries), doors, **timing)
        driver.start(desk)
        started.append(driver)
        return driver

    yield start
    for driver in started:
        driver.stop()
