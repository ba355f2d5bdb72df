"""The MQTT tests run against the real Mosquitto on 127.0.0.1:1883, each under its own prefix."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from mqtt_support import Board, RecordingDesk, Watcher, board_settings, broker_answers, new_prefix

from gatewatch.devices.mqtt import MqttDriver, mqtt_config


@pytest.fixture(scope="session")
def broker() -> None:
    if not broker_answers():
        pytest.skip("no MQTT broker answers on 127.0.0.1:1883 (start Mosquitto to run the MQTT tests)")


@pytest.fixture
def prefix(broker: None) -> str:
    return new_prefix()


@pytest.fixture
def watcher(prefix: str) -> Iterator[Watcher]:
    watching = Watcher(prefix)
    yield watching
    watching.close()


@pytest.fixture
def boards(prefix: str, tmp_path: Path) -> Iterator[Callable[..., Board]]:
    """Starts reference controllers under the test's prefix; quits them after."""
    started: list[Board] = []

    def start(ident: str, doors: list[str], readers: list[str], **more: Any) -> Board:
        board = Board(tmp_path, board_settings(prefix, ident, doors, readers, **more)).start()
        started.append(board)
        return board

    yield start
    for board in started:
        board.quit()


@pytest.fixture
def drivers(prefix: str) -> Iterator[Callable[..., MqttDriver]]:
    """Starts MQTT drivers under the test's prefix with a desk; stops them after."""
    started: list[MqttDriver] = []

    def start(desk: RecordingDesk, controllers: list[dict[str, Any]], **more: Any) -> MqttDriver:
        raw = {"broker": "127.0.0.1", "prefix": prefix, "heartbeat_s": 1, "controllers": controllers, **more}
        driver = MqttDriver(mqtt_config(raw))
        driver.start(desk)
        started.append(driver)
        return driver

    yield start
    for driver in started:
        driver.stop()
