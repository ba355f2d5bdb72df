"""The OSDP readers' configuration: checked, bounded, and every error names device and field."""

from __future__ import annotations

from typing import Any

import pytest

from gatewatch.devices.osdp import OsdpConfigError, OsdpReaderConfig, osdp_readers
from gatewatch.devices.osdp.config import SerialLine, TcpLine

KEY_HEX = "4f2a9c1de07b3358a1c6e9f00d7b2e54"


def entry(**more: Any) -> dict[str, Any]:
    return {
        "id": "inner-out",
        "address": 3,
        "channel": {"type": "serial", "path": "/dev/ttyUSB0", "baud": 9600},
        "scbk": KEY_HEX,
        **more,
    }


def refusal(raw: list[Any]) -> str:
    with pytest.raises(OsdpConfigError) as refused:
        osdp_readers(raw)
    assert isinstance(refused.value, ValueError)
    return str(refused.value)


def test_a_reader_with_every_field() -> None:
    raw = entry(
        install_mode=True,
        lock_output=1,
        card_number="h10301",
        card_prefix="hid-",
        pin_wait_s=5,
        keypad_prefix="",
    )

    assert osdp_readers([raw]) == (
        OsdpReaderConfig(
            id="inner-out",
            address=3,
            channel=SerialLine(path="/dev/ttyUSB0", baud=9600),
            scbk=bytes.fromhex(KEY_HEX),
            install_mode=True,
            lock_output=1,
            card_number="h10301",
            card_prefix="hid-",
            pin_wait_s=5.0,
            keypad_prefix="",
        ),
    )


def test_defaults() -> None:
    (reader,) = osdp_readers([entry(channel={"type": "tcp", "host": "10.0.0.7", "port": 4001})])

    assert reader.channel == TcpLine(host="10.0.0.7", port=4001)
    assert (reader.install_mode, reader.lock_output, reader.card_number) == (False, None, "hex")
    assert (reader.card_prefix, reader.pin_wait_s, reader.keypad_prefix) == ("", 0.0, "pin-")


def test_the_key_is_never_shown() -> None:
    (reader,) = osdp_readers([entry()])

    assert KEY_HEX not in repr(reader) and "scbk" not in repr(reader)


@pytest.mark.parametrize(
    ("changed", "message"),
    [
        ({"address": 127}, 'device "inner-out": field "address": must be 0..126'),
        ({"address": "3"}, 'device "inner-out": field "address": must be a whole number, not str'),
        ({"address": None}, 'device "inner-out": field "address": is required (0..126)'),
        ({"scbk": "00112233"}, 'device "inner-out": field "scbk": must be 32 hex digits (a 128-bit key)'),
        (
            {"scbk": "303132333435363738393a3b3c3d3e3f"},
            'device "inner-out": field "scbk": is the default install key (SCBK-D): give the reader a key of its own',
        ),
        ({"scbk": "00" * 16}, 'device "inner-out": field "scbk": is one byte repeated: make a random key'),
        ({"lock_output": -1}, 'device "inner-out": field "lock_output": must be 0..255'),
        ({"install_mode": "yes"}, 'device "inner-out": field "install_mode": must be true or false, not str'),
        (
            {"card_number": "hexa"},
            'device "inner-out": field "card_number": must be one of decimal, h10301, hex, did you mean "hex"?',
        ),
        ({"pin_wait_s": 31}, 'device "inner-out": field "pin_wait_s": must be 0..30 seconds'),
        (
            {"pin_wait_s": float("nan")},
            'device "inner-out": field "pin_wait_s": must be a number of seconds, not float',
        ),
        ({"card_prefix": "x" * 51}, 'device "inner-out": field "card_prefix": must be at most 50 characters'),
        ({"adress": 3}, 'device "inner-out": field "adress": is not a known field, did you mean "address"?'),
        ({"channel": None}, 'device "inner-out": field "channel": is required'),
        ({"channel": "/dev/ttyUSB0"}, 'device "inner-out": field "channel": must be a mapping, not str'),
        (
            {"channel": {"type": "serial", "path": "/dev/ttyUSB0", "baud": 9601}},
            'device "inner-out": field "channel.baud": must be one of 9600, 19200, 38400, 57600, 115200, 230400',
        ),
        (
            {"channel": {"type": "serial", "path": "ttyUSB0"}},
            'device "inner-out": field "channel.path": must be a device\'s absolute path (/dev/ttyUSB0)',
        ),
        (
            {"channel": {"type": "rs485", "path": "/dev/ttyUSB0"}},
            'device "inner-out": field "channel.type": must be one of serial, tcp',
        ),
        (
            {"channel": {"type": "tcp", "host": "10.0.0.7", "port": 0}},
            'device "inner-out": field "channel.port": must be 1..65535',
        ),
        (
            {"channel": {"type": "tcp", "host": "10.0.0.7", "port": 4001, "baud": 9600}},
            'device "inner-out": field "channel.baud": is not a known field',
        ),
    ],
)
def test_an_error_names_the_device_and_the_field(changed: dict[str, Any], message: str) -> None:
    assert refusal([entry(**changed)]).startswith(message)


def test_a_reader_without_an_id_is_named_by_its_place() -> None:
    raw = entry()
    del raw["id"]

    assert refusal([entry(id="outer-out"), raw]) == 'device "osdp reader #2": field "id": is required'


def test_two_readers_may_not_share_an_address_on_one_line() -> None:
    message = refusal([entry(id="inner-out"), entry(id="inner-in")])

    assert message == 'device "inner-in": field "address": 3 is inner-out\'s on /dev/ttyUSB0 at 9600 baud'


def test_readers_on_one_line_share_its_speed() -> None:
    other = entry(id="inner-in", address=4, channel={"type": "serial", "path": "/dev/ttyUSB0", "baud": 115200})

    assert (
        refusal([entry(), other])
        == 'device "inner-in": field "channel.baud": differs from inner-out\'s on the same line (9600)'
    )


def test_readers_on_other_lines_may_share_an_address() -> None:
    other = entry(id="inner-in", channel={"type": "serial", "path": "/dev/ttyUSB1", "baud": 115200})

    assert [reader.id for reader in osdp_readers([entry(), other])] == ["inner-out", "inner-in"]


def test_a_reader_is_configured_once() -> None:
    assert refusal([entry(), entry(address=4)]) == 'device "inner-out": field "id": is configured twice'


def test_the_readers_are_a_list_of_mappings() -> None:
    assert refusal({"id": "x"}) == 'device "osdp": field "readers": must be a list of readers, not dict'  # type: ignore[arg-type]
    assert refusal(["inner-out"]) == 'device "osdp reader #1": field "configuration": must be a mapping, not str'
    assert refusal([entry()] * 1001) == 'device "osdp": field "readers": must list at most 1000'
