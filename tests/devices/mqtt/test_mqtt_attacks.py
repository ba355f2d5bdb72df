"""What the MQTT driver does with messages an attacker on the broker (or a slow desk) makes.

Found by attacking the doors with access to the site's broker:

- a read on a door's or a controller's topic reached the desk as a badge at a "reader" of that
  name, and an exit on a reader's topic as an exit at a "door": each was refused and recorded a
  fault alert for the door or controller ("work its door by hand and call for repair");
- a read that waited on its controller's lane behind slow ones was still decided: granted and
  recorded, its unlock came after the controller had stopped waiting for it, so the controller
  kept the door shut while the record held a live grant (an opening after it is not "forced");
- a payload of hundreds of megabytes was taken whole by gatewatch before it was refused.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

from mqtt_support import RecordingDesk, Watcher, granting, until

from gatewatch.devices.base import Answer
from gatewatch.devices.mqtt import MqttDriver

GATE = {"id": "gate-board", "doors": ["outer"], "readers": ["outer-out"]}

Drivers = Callable[..., MqttDriver]


def test_messages_on_topics_of_the_wrong_kind_never_reach_the_desk(drivers: Drivers, watcher: Watcher) -> None:
    desk = RecordingDesk(granting("outer"))
    drivers(desk, [GATE])
    watcher.wait_on("gatewatch/status", b"online")

    watcher.publish("reader/outer/read", b'{"credential": "good"}')  # a door's id as a reader
    watcher.publish("reader/gate-board/read", b'{"credential": "good"}')  # a controller's id
    watcher.publish("door/outer-out/exit", b"pressed")  # a reader's id as a door
    watcher.publish("door/gate-board/contact", b"open")
    watcher.publish("device/outer/tamper", b"cover off")  # a door is no device
    watcher.publish("reader/outer-out/read", b'{"credential": "nobody", "ref": "last"}')

    watcher.wait_on("reader/outer-out/signal")
    assert [call[:2] for call in desk.seen("badge")] == [("outer-out", "nobody")]
    assert desk.seen("exit") == [] and desk.seen("contact") == []
    assert [call for call in desk.seen("device") if call[0] == "outer"] == []
    assert watcher.on("reader/outer/signal") == [] and watcher.on("reader/gate-board/signal") == []


def test_a_read_that_waited_past_its_time_is_refused_without_asking_the_desk(
    drivers: Drivers, watcher: Watcher
) -> None:
    """The controller stops waiting for an answer after a few seconds and ignores a later unlock:
    the desk must not grant (and record) what the door will not do."""
    first_asked, let_go = threading.Event(), threading.Event()

    def slow_then_granting(reader: str, credential: str, pin: str | None) -> Answer:
        if credential == "first":
            first_asked.set()
            let_go.wait(30)
        return Answer(door="outer", granted=True, unlock_s=1.0, recorded=True)

    desk = RecordingDesk(slow_then_granting)
    drivers(desk, [GATE], read_wait_s=0.2)
    watcher.wait_on("gatewatch/status", b"online")

    watcher.publish("reader/outer-out/read", b'{"credential": "first", "ref": "r1"}')
    until(first_asked.is_set, "the first read is being decided")
    watcher.publish("reader/outer-out/read", b'{"credential": "second", "ref": "r2"}')
    threading.Event().wait(1.0)  # the second read waits on the lane, well past read_wait_s
    let_go.set()

    until(lambda: len(watcher.on("reader/outer-out/signal")) == 2, "both reads answered")
    shown = {json.loads(s.payload)["ref"]: json.loads(s.payload)["led"] for s in watcher.on("reader/outer-out/signal")}
    assert shown == {"r1": "green", "r2": "red"}
    assert [call[1] for call in desk.seen("badge")] == ["first"], "the late read was never decided"
    commands = [json.loads(c.payload) for c in watcher.on("door/outer/command")]
    assert [c.get("ref") for c in commands] == ["r1"]


def test_a_payload_far_over_the_bound_is_never_delivered_to_gatewatch(drivers: Drivers, watcher: Watcher) -> None:
    """The broker is told the largest packet gatewatch takes (MQTT 5): it drops a larger one
    instead of handing gatewatch megabytes to hold and refuse."""
    desk = RecordingDesk(granting("outer"))
    drivers(desk, [GATE])
    watcher.wait_on("gatewatch/status", b"online")

    huge = b'{"credential": "' + b"A" * (256 * 1024) + b'"}'
    watcher.publish("reader/outer-out/read", huge)
    watcher.publish("reader/outer-out/read", b'{"credential": "nobody", "ref": "after"}')

    until(lambda: any(b'"after"' in s.payload for s in watcher.on("reader/outer-out/signal")), "the later answer")
    answers = [json.loads(s.payload) for s in watcher.on("reader/outer-out/signal")]
    assert answers == [{"led": "red", "beep": "long", "ref": "after"}], "the huge read reached gatewatch"
