"""The MQTT configuration: what it takes, and errors that name the device and the field."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from gatewatch.devices.mqtt import MqttConfigError, mqtt_config
from gatewatch.devices.mqtt.config import Tls
from gatewatch.devices.mqtt.controller import board_config

GATE = {"id": "gate-board", "doors": ["outer", "inner"], "readers": ["outer-out", "inner-out"]}


def config(**changes: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {"broker": "mqtt.example.org", "controllers": [GATE]}
    raw.update(changes)
    return {key: value for key, value in raw.items() if value is not None}


def test_the_smallest_configuration_takes_the_defaults() -> None:
    built = mqtt_config(config())

    assert (built.broker.host, built.broker.port, built.broker.tls) == ("mqtt.example.org", 1883, None)
    assert (built.prefix, built.client_id, built.heartbeat_s, built.command_expiry_s) == ("gatewatch", None, 5.0, 3)
    assert built.doors() == {"outer", "inner"}
    assert built.readers() == {"outer-out", "inner-out"}


def test_every_key(tmp_path: Path) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("-")
    built = mqtt_config(
        config(
            port=8884,
            prefix="gatewatch/coyoacan",
            client_id="gatewatch-coyoacan",
            username="gatewatch",
            password="s3cret",
            tls={"ca_file": str(ca)},
            keepalive_s=20,
            heartbeat_s=2.5,
            command_expiry_s=5,
        )
    )

    assert built.broker.port == 8884 and built.broker.tls == Tls(ca_file=ca)
    assert (built.broker.username, built.broker.password, built.broker.keepalive_s) == ("gatewatch", "s3cret", 20)
    assert "s3cret" not in repr(built)
    assert (built.prefix, built.client_id, built.heartbeat_s, built.command_expiry_s) == (
        "gatewatch/coyoacan",
        "gatewatch-coyoacan",
        2.5,
        5,
    )


def test_tls_true_uses_the_system_cas_and_port_8883() -> None:
    built = mqtt_config(config(tls=True))
    assert (built.broker.tls, built.broker.port) == (Tls(), 8883)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"broker": None}, 'device "mqtt": field "broker": is required'),
        ({"broker": " host"}, 'device "mqtt": field "broker": must not be blank nor begin or end with spaces'),
        ({"port": 0}, 'device "mqtt": field "port": must be 1..65535'),
        ({"port": True}, 'device "mqtt": field "port": must be a whole number, not bool'),
        ({"port": "1883"}, 'device "mqtt": field "port": must be a whole number, not str'),
        ({"heartbeat_s": float("nan")}, 'device "mqtt": field "heartbeat_s": must be a number of seconds'),
        ({"heartbeat_s": 0}, 'device "mqtt": field "heartbeat_s": must be 0.2..3600 seconds'),
        ({"prefix": "gatewatch/+/x"}, 'device "mqtt": field "prefix": \'gatewatch/+/x\' must be topic levels'),
        ({"prefix": "gatewatch/"}, 'device "mqtt": field "prefix"'),
        ({"prefix": "$SYS"}, 'device "mqtt": field "prefix"'),
        ({"client_id": "gate watch"}, 'device "mqtt": field "client_id": must not hold spaces'),
        ({"password": "x"}, 'device "mqtt": field "password": is given without a username'),
        ({"tls": {"ca_file": "/no/such/ca.pem"}}, 'device "mqtt": field "tls.ca_file": no such file: /no/such/ca.pem'),
        ({"tls": {"ca": "x"}}, 'device "mqtt": field "tls.ca": is not a known field'),
        ({"tls": "yes"}, 'device "mqtt": field "tls": must be a mapping, not str'),
        ({"brokre": "x"}, 'device "mqtt": field "brokre": is not a known field'),
        ({"controllers": []}, 'device "mqtt": field "controllers": must list at least one controller'),
        ({"controllers": ["gate-board"]}, 'device "controllers[0]": field "configuration": must be a mapping'),
        ({"controllers": [{"doors": ["outer"]}]}, 'device "controllers[0]": field "id": an id must be text'),
        ({"controllers": [{"id": "a/b", "doors": ["x"]}]}, 'device "controllers[0]": field "id": \'a/b\' cannot'),
        ({"controllers": [{"id": "b", "doors": ["x", "x"]}]}, 'device "b": field "doors": lists x more than once'),
        ({"controllers": [{"id": "b", "doors": "outer"}]}, 'device "b": field "doors": must be a list of ids, not str'),
        ({"controllers": [{"id": "b", "doors": ["o#"]}]}, 'device "b": field "doors": \'o#\' cannot be a topic'),
        ({"controllers": [{"id": "b"}]}, 'device "b": field "doors": a controller works at least one door or reader'),
        ({"controllers": [{"id": "b", "doors": ["x"], "locks": []}]}, 'device "b": field "locks": is not a known'),
        (
            {"controllers": [GATE, {"id": "side-board", "doors": ["outer"]}]},
            'device "side-board": field "doors": outer is already named by gate-board',
        ),
        (
            {"controllers": [GATE, {"id": "gate-board", "readers": ["side"]}]},
            'device "gate-board": field "id": gate-board is already named by gate-board',
        ),
    ],
)
def test_errors_name_the_device_and_the_field(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(MqttConfigError) as raised:
        mqtt_config(config(**changes))
    assert str(raised.value).startswith(message)
    assert isinstance(raised.value, ValueError)


def test_a_configuration_that_is_not_a_mapping() -> None:
    with pytest.raises(MqttConfigError, match='device "mqtt": field "configuration": must be a mapping, not list'):
        mqtt_config([])  # type: ignore[arg-type]


def test_the_reference_controllers_file() -> None:
    board = board_config({"id": "gate-board", "broker": "127.0.0.1", "doors": ["outer"], "exit_release_s": 3})
    assert (board.id, board.doors, board.readers, board.exit_release_s) == ("gate-board", ("outer",), (), 3.0)
    with pytest.raises(
        MqttConfigError, match=re.escape('device "gate-board": field "answer_within_s": must be 0.1..60')
    ):
        board_config({"id": "gate-board", "broker": "127.0.0.1", "answer_within_s": 0})
    with pytest.raises(MqttConfigError, match='device "controller": field "id": an id must be text, not nothing'):
        board_config({"broker": "127.0.0.1"})
