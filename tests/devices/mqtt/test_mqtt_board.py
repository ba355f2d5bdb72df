"""The reference controller fails secure on its own: gatewatch gone, commands it cannot read."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from mqtt_support import Board, Watcher

STAND_IN = Path(__file__).with_name("stand_in_gatewatch.py")

Boards = Callable[..., Board]


@pytest.fixture
def gatewatch(prefix: str) -> Iterator[subprocess.Popen[str]]:
    """The MQTT driver in a process of its own, granting every read for 600 s."""
    process = subprocess.Popen(
        [sys.executable, str(STAND_IN), prefix], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "started"
    yield process
    if process.poll() is None:
        process.kill()
        process.wait()


def test_every_lock_is_locked_at_start(boards: Boards, watcher: Watcher) -> None:
    board = boards("gate-board", ["outer", "inner"], ["outer-out"])
    assert board.said()[:2] == ["lock outer locked", "lock inner locked"]
    assert watcher.wait_on("door/inner/lock").payload == b"locked"


def test_the_exit_button_releases_the_lock_with_no_gatewatch_and_is_reported(boards: Boards, watcher: Watcher) -> None:
    board = boards("gate-board", ["outer"], ["outer-out"], exit_release_s=1)

    board.send("exit outer")

    released = board.wait_for("lock outer unlocked")
    board.wait_for("lock outer locked", after=released)
    assert watcher.wait_on("door/outer/exit").qos == 1


def test_a_gatewatch_killed_leaves_every_lock_locked_and_the_exit_button_working(
    boards: Boards, gatewatch: subprocess.Popen[str]
) -> None:
    board = boards("gate-board", ["outer"], ["outer-out"], exit_release_s=1)
    board.wait_for("gatewatch online")
    board.send("read outer-out anyone")
    unlocked = board.wait_for("lock outer unlocked")  # for 600 s

    os.kill(gatewatch.pid, signal.SIGKILL)

    board.wait_for("gatewatch offline", after=unlocked)  # its last will
    relocked = board.wait_for("lock outer locked", after=unlocked)
    board.send("exit outer")
    board.wait_for("lock outer unlocked", after=relocked)


def test_a_command_it_cannot_read_changes_nothing(boards: Boards, watcher: Watcher) -> None:
    board = boards("gate-board", ["outer"], ["outer-out"])

    watcher.publish("door/outer/command", b'{"unlock_s": 5, "lock": true}')
    watcher.publish("door/outer/command", b'{"unlock_s": -1}')
    watcher.publish("door/outer/command", b"open sesame")
    watcher.publish("gatewatch/status", b"online")

    board.wait_for("gatewatch online")  # came after the three: they have been dealt with
    ignored = [line for line in board.said() if line.startswith(f"ignored {watcher.prefix}/door/outer/command")]
    assert len(ignored) == 3
    assert "lock outer unlocked" not in board.said()


def test_inputs_it_does_not_have_are_refused(boards: Boards, watcher: Watcher) -> None:
    board = boards("gate-board", ["outer"], ["outer-out"])

    board.send("read inner-out someone")
    board.send("exit inner")
    board.send("contact outer ajar")

    board.wait_for("ignored 'contact outer ajar': not an input of this board")
    assert [line for line in board.said() if line.startswith("ignored")] == [
        "ignored 'read inner-out someone': not an input of this board",
        "ignored 'exit inner': not an input of this board",
        "ignored 'contact outer ajar': not an input of this board",
    ]
    assert watcher.on("door/inner/exit") == []
