"""A card at an OSDP reader opens the lock an MQTT controller works, through the real desk.

The harbour office's quay door: its outside reader is a real OSDP reader (a libosdp PD on a line
reached over TCP on loopback, secure channel on, no lock output of its own); its lock is wired
to a relay board that speaks MQTT (the reference controller, a real process, on the real
Mosquitto under the test's own prefix). The drivers are built from the site's devices file by
the real ``drivers_for`` and started with the real ``Doors`` over a real SQLite record.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import pytest
import yaml

from devices.mqtt.mqtt_support import Board, Watcher, board_settings, broker_answers, new_prefix, until
from devices.osdp.osdp_support import GREEN, KEY, RED, Reader, TcpLine, is_led
from doors_support import WREN, Clock, write_site
from gatewatch.bootstrap import Services, build
from gatewatch.devices.base import Driver
from gatewatch.devices.config import drivers_for
from gatewatch.devices.mqtt.topics import DoorCommand
from gatewatch.service.doors import Doors
from gatewatch.service.intake import submit
from gatewatch.store.chain import Entry

INES_CARD = bytes([0x12, 0x34, 0x56, 0xC0])
"""A 26-bit read: 0x48D15B, the credential ``048d15b`` by the default (hex) convention."""
INES_CREDENTIAL = "048d15b"
STRANGER_CARD = bytes([0xAB, 0xCD, 0xEF, 0x40])
"""A 26-bit read: 0x2AF37BD, the credential ``2af37bd``, issued to nobody."""
STRANGER_CREDENTIAL = "2af37bd"
DOOR_COMMAND = "door/quay-door/command"
UNLOCK_S = 30.0
"""The harbour's ``policy.unlock_s``."""


@dataclass
class Quay:
    services: Services
    clock: Clock
    reader: Reader
    board: Board
    watcher: Watcher
    drivers: tuple[Driver, ...]

    def recorded_badges(self) -> dict[str, Entry]:
        """The badges on the record, by credential."""
        assert self.services.desk.flush(timeout=10)
        return {
            str(entry.payload["credential"]): entry
            for entry in self.services.log.entries()
            if entry.type == "badge" and entry.payload is not None
        }

    def unlocks_sent(self) -> list[DoorCommand]:
        """The door's unlock commands that went over the broker."""
        commands = [msgspec.json.decode(seen.payload, type=DoorCommand) for seen in self.watcher.on(DOOR_COMMAND)]
        return [command for command in commands if command.unlock_s is not None]


def devices_file(prefix: str, port: int) -> dict[str, Any]:
    """The quay door's reader on OSDP (no ``lock_output``), its lock on the board over MQTT."""
    board = {"id": "quay-board", "doors": ["quay-door"]}
    reader = {
        "id": "quay-out",
        "address": 1,
        "channel": {"type": "tcp", "host": "127.0.0.1", "port": port},
        "scbk": KEY.hex(),
    }
    mqtt = {"broker": "127.0.0.1", "prefix": prefix, "heartbeat_s": 2, "controllers": [board]}
    return {"devices": {"mqtt": mqtt, "osdp": [reader]}}


@pytest.fixture
def quay(tmp_path: Path) -> Iterator[Quay]:
    if not broker_answers():
        pytest.skip("no MQTT broker answers on 127.0.0.1:1883 (start Mosquitto to run the MQTT tests)")
    prefix = new_prefix()
    line = TcpLine()
    reader = Reader(line.pd_channel(), 1, KEY).start()  # enforces the secure channel
    watcher = Watcher(prefix)
    board = Board(tmp_path, board_settings(prefix, "quay-board", ["quay-door"], [])).start()
    site_path = write_site(tmp_path)
    (tmp_path / "harbour.devices.yaml").write_text(yaml.safe_dump(devices_file(prefix, line.port)))
    clock = Clock()
    services = build(site_path, f"sqlite:///{tmp_path / 'harbour.db'}")
    services.clock = clock
    drivers = drivers_for(site_path, services.site)
    doors = Doors(services.desk, services.zone, drivers, clock=clock)
    for driver in drivers:
        driver.start(doors)
    try:
        yield Quay(services, clock, reader, board, watcher, drivers)
    finally:
        for driver in drivers:
            driver.stop()
        doors.close()
        services.close()
        board.quit()
        watcher.close()
        reader.stop()
        line.close()


@pytest.mark.slow
def test_a_card_at_the_osdp_reader_unlocks_the_door_on_the_mqtt_board_and_a_stranger_gets_red(quay: Quay) -> None:
    assert sorted(driver.name for driver in quay.drivers) == ["mqtt", "osdp"]
    issued = {"id": "card-ines", "type": "credential", "person": "ines", "credential": INES_CREDENTIAL, "kind": "card"}
    assert submit(quay.services.desk, quay.services.zone, WREN, {**issued, "by": "wren"}, quay.clock()).recorded
    quay.board.wait_for("gatewatch online")
    until(lambda: quay.services.desk.state.devices.get("quay-out") == "online", "the OSDP reader is online")

    quay.reader.present_card(STRANGER_CARD, 26)
    red = quay.reader.wait_command(is_led(RED), "a red LED for a card issued to nobody")

    quay.reader.present_card(INES_CARD, 26)
    quay.board.wait_for("lock quay-door unlocked")
    quay.reader.wait_command(is_led(GREEN), "a green LED for Ines's card", after=red)
    quay.watcher.wait_on(DOOR_COMMAND)  # the watcher hears the board's command in its own time

    # The stranger's card came first: had it sent an unlock, it would have reached the board before Ines's.
    assert [command.unlock_s for command in quay.unlocks_sent()] == [UNLOCK_S]
    assert quay.board.said().count("lock quay-door unlocked") == 1
    assert not any(is_led(GREEN)(command) for command in quay.reader.commands()[:red])
    badges = quay.recorded_badges()
    assert set(badges) == {STRANGER_CREDENTIAL, INES_CREDENTIAL}
    stranger, ines = badges[STRANGER_CREDENTIAL], badges[INES_CREDENTIAL]
    assert stranger.outcome["decision"] == "deny" and stranger.outcome["reasons"] == ["CREDENTIAL_UNKNOWN"]
    assert ines.outcome["decision"] == "grant"
    assert {entry.payload["reader"] for entry in (stranger, ines) if entry.payload is not None} == {"quay-out"}
    assert {stranger.submitted_by, ines.submitted_by} == {"device:osdp"}
    assert quay.services.log.verify().ok
