"""A PIN keyed at a reader is in no log line and no program's output, whatever goes wrong.

Found by attacking the doors: the reference controller printed an input it would not take
whole, PIN and all (``ignored 'read nowhere c-1042 2580': ...``), and the OSDP driver's
logs of a failure wrote out the keys pressed (``KeysEvent(..., keys=b'2580#', ...)``).
"""

from __future__ import annotations

import io
import logging

import pytest

from gatewatch.devices.mqtt.controller import Board, board_config
from gatewatch.devices.osdp import bus as osdp_bus
from gatewatch.devices.osdp import osdp_readers
from gatewatch.devices.osdp.links import link_for

PIN = "2580"


@pytest.mark.parametrize(
    "line",
    [
        f"read nowhere c-1042 {PIN}",  # not a reader of this board
        f"read gate-out c-1042 {PIN} {PIN}",  # a second PIN
        f"read gate-out c-1042 {PIN}99999999999",  # too many digits
        f"reed gate-out c-1042 {PIN}",  # a typing error
    ],
)
def test_the_reference_controller_never_prints_a_pin_it_refuses(line: str) -> None:
    out = io.StringIO()
    board = Board(
        board_config({"id": "gate-board", "broker": "127.0.0.1", "doors": ["gate"], "readers": ["gate-out"]}), out
    )
    board.take(line)
    said = out.getvalue()
    assert said.startswith("ignored"), said
    assert PIN not in said, said


def test_the_keys_pressed_at_an_osdp_reader_are_not_in_its_events_repr() -> None:
    keys = osdp_bus.KeysEvent("gate-out", f"{PIN}#".encode(), secure=True)
    assert PIN not in repr(keys) and PIN not in str(keys)


class FailingSink:
    def event(self, event: osdp_bus.ReaderEvent) -> None:
        raise RuntimeError("the driver could not take it")

    def status(self, reader: str, status: object, detail: str) -> None:
        return None


def test_a_keypress_the_driver_fails_on_is_logged_without_its_keys(caplog: pytest.LogCaptureFixture) -> None:
    (reader,) = osdp_readers(
        [
            {
                "id": "gate-out",
                "address": 1,
                "channel": {"type": "tcp", "host": "127.0.0.1", "port": 9},
                "scbk": "4f2a9c1de07b3358a1c6e9f00d7b2e54",
            }
        ]
    )
    bus = osdp_bus.Bus([reader], link_for(reader.channel), FailingSink(), online_grace_s=1, reconnect_s=1)
    with caplog.at_level(logging.ERROR):
        bus._on_event(0, {"event": osdp_bus._KEY_PRESS, "data": f"{PIN}#".encode(), "reader_no": 0})
    assert caplog.records, "the failure is logged"
    assert all(PIN not in record.getMessage() and PIN not in (record.exc_text or "") for record in caplog.records)
