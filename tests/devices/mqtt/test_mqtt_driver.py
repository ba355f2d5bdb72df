"""The MQTT driver against the real broker and the reference controller as a real process."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable

import pytest
from mqtt_support import Board, RecordingDesk, Watcher, granting, until

from gatewatch.devices.base import Answer, DeviceStatus, LockAll, Unlock
from gatewatch.devices.mqtt import MqttDriver

GATE = {"id": "gate-board", "doors": ["outer"], "readers": ["outer-out"]}

Boards = Callable[..., Board]
Drivers = Callable[..., MqttDriver]


def gate_board(boards: Boards, **more: object) -> Board:
    return boards("gate-board", ["outer"], ["outer-out"], **more)


def test_a_granted_read_reaches_the_desk_unlocks_the_door_and_shows_green(
    boards: Boards, drivers: Drivers, watcher: Watcher
) -> None:
    desk = RecordingDesk(granting("outer", 1.0))
    drivers(desk, [GATE])
    board = gate_board(boards)
    board.wait_for("gatewatch online")

    board.send("read outer-out good 1234")
    unlocked = board.wait_for("lock outer unlocked")
    board.wait_for("signal outer-out green short")
    board.wait_for("lock outer locked", after=unlocked)  # locked again when the time is up

    [(reader, credential, pin, thread)] = desk.seen("badge")
    assert (reader, credential, pin) == ("outer-out", "good", "1234")
    assert thread.startswith("mqtt-lane-"), "the desk is asked off paho's network thread"
    [command] = watcher.on("door/outer/command")
    assert command.qos == 1
    sent = json.loads(command.payload)
    assert sent["unlock_s"] == 1.0
    [read] = watcher.on("reader/outer-out/read")
    assert sent["ref"] == json.loads(read.payload)["ref"], "the unlock answers the read it names"
    [shown] = watcher.on("reader/outer-out/signal")
    assert shown.qos == 1
    assert json.loads(shown.payload) == {"led": "green", "beep": "short", "ref": sent["ref"]}


@pytest.mark.parametrize(
    "decide",
    [
        pytest.param(granting("outer", good="someone-else"), id="denied"),
        pytest.param(lambda *_: Answer(door="elsewhere", granted=True, unlock_s=5, recorded=True), id="another-door"),
        pytest.param(lambda *_: Answer(door="outer", granted=True, unlock_s=5, recorded=False), id="not-recorded"),
        pytest.param(lambda *_: 1 / 0, id="desk-raises"),
    ],
)
def test_anything_but_a_recorded_grant_for_the_door_shows_red_and_leaves_it_locked(
    boards: Boards, drivers: Drivers, watcher: Watcher, decide: Callable[..., Answer]
) -> None:
    desk = RecordingDesk(decide)
    drivers(desk, [GATE])
    board = gate_board(boards)
    board.wait_for("gatewatch online")

    board.send("read outer-out good")
    board.wait_for("signal outer-out red long")
    signal = watcher.wait_on("reader/outer-out/signal")

    assert json.loads(signal.payload)["led"] == "red"
    assert watcher.on("door/outer/command") == [], "a command would have come before the signal"
    assert "lock outer unlocked" not in board.said()


def test_a_read_that_is_not_a_read_is_denied_without_asking_the_desk(drivers: Drivers, watcher: Watcher) -> None:
    desk = RecordingDesk(granting("outer"))
    drivers(desk, [GATE])
    watcher.wait_on("gatewatch/status", b"online")

    watcher.publish("reader/outer-out/read", b'{"credential": "good", "pin": "12"}')  # a PIN is 4 to 12 digits
    watcher.publish("reader/outer-out/read", b'{"card": "good"}')

    until(lambda: len(watcher.on("reader/outer-out/signal")) == 2, "two signals")
    assert {json.loads(s.payload)["led"] for s in watcher.on("reader/outer-out/signal")} == {"red"}
    assert desk.seen("badge") == []
    assert watcher.on("door/outer/command") == []


def test_reads_of_readers_it_does_not_work_are_ignored(drivers: Drivers, watcher: Watcher) -> None:
    desk = RecordingDesk(granting("outer"))
    drivers(desk, [GATE])
    watcher.wait_on("gatewatch/status", b"online")

    watcher.publish("reader/inner-out/read", b'{"credential": "good"}')
    watcher.publish("reader/outer-out/read", b'{"credential": "nobody"}')

    watcher.wait_on("reader/outer-out/signal")
    assert [call[:2] for call in desk.seen("badge")] == [("outer-out", "nobody")]
    assert watcher.on("reader/inner-out/signal") == []


def test_contact_exit_tamper_and_fault_reach_the_desk(boards: Boards, drivers: Drivers) -> None:
    desk = RecordingDesk(granting("outer"))
    drivers(desk, [GATE])
    board = gate_board(boards, exit_release_s=1)
    board.wait_for("gatewatch online")

    board.send("contact outer open")
    board.send("contact outer closed")
    board.send("exit outer")
    board.send("tamper outer-out cover\topened")
    board.send("fault gate-board relay 2 stuck")

    until(lambda: len(desk.seen("device")) >= 3, "the tamper and the fault")
    assert desk.seen("contact") == [("outer", True), ("outer", False)]
    assert desk.seen("exit") == [("outer",)]
    assert ("outer-out", DeviceStatus.TAMPER, "cover opened") in desk.seen("device")
    assert ("gate-board", DeviceStatus.FAULT, "relay 2 stuck") in desk.seen("device")


def test_the_lock_state_is_retained_and_told_to_the_desk(boards: Boards, drivers: Drivers, prefix: str) -> None:
    board = gate_board(boards)
    board.wait_for("lock outer locked")

    late = Watcher(prefix)  # subscribes after the board said it: the broker kept it
    try:
        retained = late.wait_on("door/outer/lock")
        assert (retained.payload, retained.retain) == (b"locked", True)
    finally:
        late.close(clear=False)

    desk = RecordingDesk(granting("outer"))
    drivers(desk, [GATE])
    until(lambda: ("outer", True) in desk.seen("lock"), "the driver tells the desk the lock is locked")
    board.send("exit outer")
    until(lambda: ("outer", False) in desk.seen("lock"), "the driver tells the desk the lock is released")


def test_a_board_killed_is_reported_offline_by_its_last_will_and_online_when_back(
    boards: Boards, drivers: Drivers
) -> None:
    desk = RecordingDesk(granting("outer"))
    drivers(desk, [GATE], heartbeat_s=30)  # only the last will can tell it
    board = gate_board(boards)
    until(lambda: desk.statuses("gate-board") == [DeviceStatus.ONLINE], "the board is online")

    board.kill()
    until(lambda: desk.statuses("gate-board")[-1:] == [DeviceStatus.OFFLINE], "the board's last will")
    assert "last will" in desk.seen("device")[-1][2]

    board.start()
    until(lambda: desk.statuses("gate-board")[-1:] == [DeviceStatus.ONLINE], "the board is back")
    assert desk.statuses("gate-board") == [DeviceStatus.ONLINE, DeviceStatus.OFFLINE, DeviceStatus.ONLINE]


def test_heartbeats_that_stop_are_reported_offline_once_and_online_when_they_resume(
    boards: Boards, drivers: Drivers
) -> None:
    board = gate_board(boards)  # first: the driver, started after, hears it at once
    desk = RecordingDesk(granting("outer"))
    drivers(desk, [GATE], heartbeat_s=0.6)
    until(lambda: desk.statuses("gate-board") == [DeviceStatus.ONLINE], "the board is online")

    board.send("heartbeat off")
    until(lambda: desk.statuses("gate-board")[-1:] == [DeviceStatus.OFFLINE], "no heartbeat: offline")
    assert "no heartbeat for 0.6 s" in desk.seen("device")[-1][2]
    board.send("heartbeat on")
    until(lambda: desk.statuses("gate-board")[-1:] == [DeviceStatus.ONLINE], "heartbeats again: online")

    assert desk.statuses("gate-board") == [DeviceStatus.ONLINE, DeviceStatus.OFFLINE, DeviceStatus.ONLINE]


def test_a_controller_never_heard_from_is_reported_offline(drivers: Drivers) -> None:
    desk = RecordingDesk(granting("outer"))
    drivers(desk, [GATE], heartbeat_s=0.3)
    until(lambda: desk.statuses("gate-board") == [DeviceStatus.OFFLINE], "the silent board is offline")


def test_unlock_and_lock_all_commands_reach_the_board_with_qos_1(
    boards: Boards, drivers: Drivers, watcher: Watcher
) -> None:
    desk = RecordingDesk(granting("outer"))
    driver = drivers(desk, [GATE])
    board = gate_board(boards)
    board.wait_for("gatewatch online")

    driver.command(Unlock(door="outer", seconds=600))
    unlocked = board.wait_for("lock outer unlocked")
    driver.command(LockAll())
    board.wait_for("lock outer locked", after=unlocked)  # long before its 600 s are up

    commands = [json.loads(seen.payload) for seen in watcher.on("door/outer/command")]
    assert commands[0]["unlock_s"] == 600 and commands[1:] == [{"lock": True}]
    assert {seen.qos for seen in watcher.on("door/outer/command")} == {1}
    driver.command(Unlock(door="elsewhere", seconds=5))  # not its door: nothing sent, nothing raised
    assert len(watcher.on("door/outer/command")) == 2


def test_stop_locks_every_door_and_says_gatewatch_is_offline(
    boards: Boards, drivers: Drivers, watcher: Watcher
) -> None:
    desk = RecordingDesk(granting("outer"))
    driver = drivers(desk, [GATE])
    board = gate_board(boards)
    board.wait_for("gatewatch online")
    driver.command(Unlock(door="outer", seconds=600))
    unlocked = board.wait_for("lock outer unlocked")

    driver.stop()

    board.wait_for("lock outer locked", after=unlocked)
    board.wait_for("gatewatch offline", after=unlocked)
    status = watcher.wait_on("gatewatch/status", b"offline")
    assert status.qos == 1
    assert json.loads(watcher.on("door/outer/command")[-1].payload) == {"lock": True}


def test_an_unlock_that_comes_after_the_board_stopped_waiting_is_ignored(boards: Boards, drivers: Drivers) -> None:
    go_on = threading.Event()

    def slow(reader: str, credential: str, pin: str | None) -> Answer:
        go_on.wait(30)
        return Answer(door="outer", granted=True, unlock_s=5, recorded=True)

    desk = RecordingDesk(slow)
    drivers(desk, [GATE])
    board = gate_board(boards, answer_within_s=0.2)
    board.wait_for("gatewatch online")
    board.send("read outer-out good")
    until(lambda: desk.seen("badge"), "the desk is asked")
    time.sleep(0.6)  # the board waits 0.2 s for an answer: this one comes after

    go_on.set()

    board.wait_for("signal outer-out red long")  # the green of a grant the door did not follow
    assert any(line.startswith("ignored unlock") for line in board.said())
    assert "lock outer unlocked" not in board.said()
