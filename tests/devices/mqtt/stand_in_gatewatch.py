"""gatewatch's MQTT side as a process of its own, to be killed: the driver with a desk that
grants every badge for 600 s. ``python stand_in_gatewatch.py PREFIX`` prints ``started``."""

from __future__ import annotations

import sys
import threading

from gatewatch.devices.base import Answer, DeviceStatus
from gatewatch.devices.mqtt import MqttDriver, mqtt_config


class GrantingDesk:
    def badge(self, reader: str, credential: str, pin: str | None = None) -> Answer:
        return Answer(door="outer", granted=True, unlock_s=600, recorded=True)

    def contact(self, door: str, is_open: bool) -> None: ...

    def exit_pressed(self, door: str) -> None: ...

    def lock_state(self, door: str, locked: bool) -> None: ...

    def device_status(self, device: str, status: DeviceStatus, detail: str = "") -> None: ...


if __name__ == "__main__":
    gate = {"id": "gate-board", "doors": ["outer"], "readers": ["outer-out"]}
    driver = MqttDriver(mqtt_config({"broker": "127.0.0.1", "prefix": sys.argv[1], "controllers": [gate]}))
    driver.start(GrantingDesk())
    print("started", flush=True)
    threading.Event().wait()
