"""An MQTT controller's reader stands at one of the MQTT controllers' doors.

Found trying the devices as a new user: a controller that read a reader at a door whose lock
it does not work was taken; the driver shows red for every grant at such a reader (it opens
only doors it works), while the desk opened the door through the driver that works its lock
(or no driver did): the person walks away from a door that was let go for them, with a grant
on the record.
"""

from __future__ import annotations

import pytest
import yaml

from doors_support import HARBOUR_YAML
from gatewatch.core.parse import build_site
from gatewatch.devices.config import DevicesError, devices_config


def test_a_controller_reading_a_reader_at_a_door_it_does_not_work_is_refused_naming_both() -> None:
    site = build_site(yaml.safe_load(HARBOUR_YAML))
    raw = {
        "simulated": True,
        "mqtt": {
            "broker": "127.0.0.1",
            "controllers": [{"id": "quay-board", "doors": ["quay-door"], "readers": ["chart-out"]}],
        },
    }
    with pytest.raises(DevicesError) as refused:
        devices_config(raw, site)
    assert (refused.value.device, refused.value.field) == ("quay-board", "readers")
    assert "chart-out" in str(refused.value) and "chart-door" in str(refused.value)


def test_a_controller_reading_the_readers_of_its_own_doors_is_taken() -> None:
    site = build_site(yaml.safe_load(HARBOUR_YAML))
    raw = {
        "mqtt": {
            "broker": "127.0.0.1",
            "controllers": [
                {"id": "quay-board", "doors": ["quay-door"], "readers": ["quay-out"]},
                {"id": "chart-board", "doors": ["chart-door"], "readers": ["quay-in", "chart-out"]},
            ],
        }
    }
    config = devices_config(raw, site)
    assert config.mqtt is not None and config.mqtt.readers() == {"quay-out", "quay-in", "chart-out"}
