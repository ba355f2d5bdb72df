"""The driver's parts without a broker: topics, payloads, liveness, relays."""

from __future__ import annotations

import threading

import pytest
from mqtt_support import until

from gatewatch.devices.base import DeviceStatus
from gatewatch.devices.mqtt.liveness import Liveness
from gatewatch.devices.mqtt.relays import Relays
from gatewatch.devices.mqtt.topics import (
    DETAIL_CHARS,
    PAYLOAD_BYTES,
    DoorCommand,
    Leaf,
    PayloadError,
    Read,
    Topic,
    Topics,
    decoded,
    detail,
    word,
)

TOPICS = Topics("gatewatch/site-a")


@pytest.mark.parametrize(
    ("topic", "parsed"),
    [
        ("gatewatch/site-a/reader/outer-out/read", Topic(Leaf.READ, "outer-out")),
        ("gatewatch/site-a/door/outer/contact", Topic(Leaf.CONTACT, "outer")),
        ("gatewatch/site-a/controller/gate-board/heartbeat", Topic(Leaf.HEARTBEAT, "gate-board")),
        ("gatewatch/site-a/device/outer-out/tamper", Topic(Leaf.TAMPER, "outer-out")),
        ("gatewatch/site-a/door/outer/read", None),  # a door does not read
        ("gatewatch/site-a/reader/outer-out/read/more", None),
        ("gatewatch/site-a/reader//read", None),
        ("gatewatch/site-b/reader/outer-out/read", None),
        ("gatewatch/site-a/gatewatch/status", None),
    ],
)
def test_topics_taken_apart(topic: str, parsed: Topic | None) -> None:
    assert TOPICS.parse(topic) == parsed


def test_topics_put_together() -> None:
    assert TOPICS.of(Leaf.COMMAND, "outer") == "gatewatch/site-a/door/outer/command"
    assert TOPICS.of(Leaf.SIGNAL, "outer-out") == "gatewatch/site-a/reader/outer-out/signal"
    assert TOPICS.wildcard(Leaf.STATUS) == "gatewatch/site-a/controller/+/status"
    assert TOPICS.gatewatch_status() == "gatewatch/site-a/gatewatch/status"


def test_payloads_are_bounded() -> None:
    assert decoded(b'{"credential": "c-1", "pin": "1234", "ref": "r-1"}', Read) == Read("c-1", "1234", "r-1")
    for bad in (b'{"credential": ""}', b'{"credential": "c", "pin": "12ab"}', b"[1]", b"{", b" " * (PAYLOAD_BYTES + 1)):
        with pytest.raises(PayloadError):
            decoded(bad, Read)
    assert decoded(b'{"lock": true}', DoorCommand) == DoorCommand(lock=True)
    for bad in (b"{}", b'{"lock": true, "unlock_s": 3}', b'{"lock": false}', b'{"unlock_s": 86401}'):
        with pytest.raises(PayloadError):
            decoded(bad, DoorCommand)
    assert word(b" open\n", ("open", "closed")) == "open"
    with pytest.raises(PayloadError, match="'ajar' is not one of open, closed"):
        word(b"ajar", ("open", "closed"))
    assert detail(b"cover\x1b[31m off\xff" + b"x" * 500) == ("cover?[31m off\ufffd" + "x" * 500)[:DETAIL_CHARS]


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_liveness_reports_each_change_once() -> None:
    told: list[tuple[str, DeviceStatus, str]] = []
    clock = Clock()
    alive = Liveness(["a", "b"], 5.0, lambda *said: told.append(said), clock)

    alive.heard("a")
    alive.heard("a")
    clock.now += 4
    alive.check()
    assert told == [("a", DeviceStatus.ONLINE, "")]

    clock.now += 2  # b was never heard from; a's last heartbeat is 6 s old
    alive.check()
    alive.check()
    assert told[1:] == [
        ("a", DeviceStatus.OFFLINE, "no heartbeat for 5 s"),
        ("b", DeviceStatus.OFFLINE, "no heartbeat for 5 s"),
    ]

    alive.heard("b")
    alive.gone("b", "its last will")
    alive.gone("b", "its last will")
    clock.now += 60
    alive.check()  # gone by its will: not reported again for its silence
    assert told[3:] == [("b", DeviceStatus.ONLINE, ""), ("b", DeviceStatus.OFFLINE, "its last will")]


def test_relays_lock_again_when_the_time_is_up_and_lock_at_once_when_told() -> None:
    changes: list[tuple[str, bool]] = []
    changed = threading.Lock()

    def tell(door: str, locked: bool) -> None:
        with changed:
            changes.append((door, locked))

    relays = Relays(["outer", "inner"], tell)
    relays.start()
    relays.release("outer", 0.2)
    relays.release("inner", 600)
    relays.release("inner", 1)  # a shorter release does not shorten the time
    until(lambda: ("outer", True) in changes[2:], "outer locked again")
    assert relays.locked() == {"outer": True, "inner": False}

    relays.lock("inner")
    relays.lock("inner")
    relays.stop()
    assert changes == [
        ("outer", True),
        ("inner", True),
        ("outer", False),
        ("inner", False),
        ("outer", True),
        ("inner", True),
    ]
