"""A reference door controller: what a relay board's firmware does, in a small program.

Run it as ``python -m gatewatch.devices.mqtt.controller --config board.yaml``. The file names
the board and its doors and readers, and the broker (the driver's keys, ``docs/devices-mqtt.md``):

    id: gate-board
    broker: 127.0.0.1
    prefix: gatewatch/coyoacan
    doors: [outer, inner]
    readers: [outer-out, outer-in, inner-out, inner-in]
    heartbeat_every_s: 1      # a heartbeat this often (gatewatch's heartbeat_s must be longer)
    exit_release_s: 5         # the exit button releases the lock this long
    answer_within_s: 3        # an unlock answering a read later than this is ignored
    unlock_longest_s: 60      # no command unlocks for longer

It fails secure: every lock is locked at start, when gatewatch's status turns ``offline``,
when the broker is lost, and when an unlock's time ends. The exit button is handled here: the
lock is released at once, whether gatewatch answers or not, and the press is reported after.

The relays are simulated: each change is published (retained) on the door's ``lock`` topic
and printed on stdout. Inputs come as lines on stdin:

    read <reader> <credential> [pin]     contact <door> open|closed     exit <door>
    tamper <device> [detail]             fault <device> [detail]        heartbeat on|off
    quit

and it prints, one line each: ``ready`` (connected and subscribed), ``lock <door> locked``
or ``unlocked``, ``signal <reader> <led> <beep>``, ``gatewatch online|offline``,
``ignored <why>``.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
import uuid
from collections import deque
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import paho.mqtt.client as mqtt
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode
from paho.mqtt.subscribeoptions import SubscribeOptions

from gatewatch.devices.mqtt import client as clients
from gatewatch.devices.mqtt.config import Broker, broker_of
from gatewatch.devices.mqtt.fields import Fields, topic_id, topic_ids, topic_prefix
from gatewatch.devices.mqtt.relays import Relays
from gatewatch.devices.mqtt.topics import (
    LOCKED,
    OFFLINE,
    ONLINE,
    UNLOCKED,
    DoorCommand,
    Leaf,
    PayloadError,
    Read,
    Signal,
    Topics,
    decoded,
    encoded,
    word,
)


@dataclass(frozen=True, slots=True)
class BoardConfig:
    id: str
    broker: Broker
    prefix: str
    doors: tuple[str, ...]
    readers: tuple[str, ...]
    heartbeat_every_s: float = 1.0
    exit_release_s: float = 5.0
    answer_within_s: float = 3.0
    unlock_longest_s: float = 60.0


def board_config(raw: object) -> BoardConfig:
    """The board's file, checked: errors name the board and the field."""
    fields = Fields(raw, "controller")
    ident = topic_id(fields, "id", fields.get("id"))
    fields.device = ident
    config = BoardConfig(
        id=ident,
        broker=broker_of(fields),
        prefix=topic_prefix(fields, "prefix", "gatewatch"),
        doors=topic_ids(fields, "doors"),
        readers=topic_ids(fields, "readers"),
        heartbeat_every_s=fields.seconds("heartbeat_every_s", 1.0, 0.05, 600),
        exit_release_s=fields.seconds("exit_release_s", 5.0, 1, 600),
        answer_within_s=fields.seconds("answer_within_s", 3.0, 0.1, 60),
        unlock_longest_s=fields.seconds("unlock_longest_s", 60.0, 1, 3600),
    )
    fields.done()
    return config


class Board:
    """The controller: its relays, its link to the broker, and its inputs."""

    def __init__(self, config: BoardConfig, out: TextIO) -> None:
        self.config = config
        self.topics = Topics(config.prefix)
        self._out = out
        self._printing = threading.Lock()
        self._beating = threading.Event()
        self._beating.set()
        self._stopped = threading.Event()
        self._reads: dict[str, float] = {}
        """Refs of reads sent and not yet answered, with when they were sent."""
        self._answering = threading.Lock()
        self._late: deque[str] = deque(maxlen=64)
        """Refs of reads whose unlock came too late: their green is shown red."""
        self._read_stem = f"r{uuid.uuid4().hex[:8]}-"
        self._count = 0
        self._client = clients.new_client(config.broker, clients.random_client_id(config.id), self._status_topic)
        self._client.on_connect = self._connected
        self._client.on_disconnect = self._disconnected
        self._client.on_message = self._message
        self._client.on_subscribe = lambda *_: self.say("ready")
        self.relays = Relays(config.doors, self._relay_changed)

    @property
    def _status_topic(self) -> str:
        return self.topics.of(Leaf.STATUS, self.config.id)

    def start(self) -> None:
        self.relays.start()
        clients.connect(self._client, self.config.broker)
        threading.Thread(target=self._heartbeats, name="heartbeats", daemon=True).start()

    def stop(self) -> None:
        """Lock every door, say ``offline``, and disconnect."""
        self._stopped.set()
        self.relays.stop()
        with suppress(RuntimeError, ValueError):  # no broker: its last will says offline for it
            self._client.publish(self._status_topic, OFFLINE, qos=1, retain=True).wait_for_publish(3)
        self._client.disconnect()
        self._client.loop_stop()

    def say(self, line: str) -> None:
        with self._printing:
            print(line, file=self._out, flush=True)

    # --- inputs --------------------------------------------------------------------------------

    def take(self, line: str) -> bool:
        """One input line; False for ``quit``."""
        words = line.split()
        if not words:
            return True
        match words:
            case ["read", reader, credential, *pin] if reader in self.config.readers and len(pin) <= 1:
                self._read(reader, credential, pin[0] if pin else None)
            case ["contact", door, ("open" | "closed") as state] if door in self.config.doors:
                self._publish(self.topics.of(Leaf.CONTACT, door), state)
            case ["exit", door] if door in self.config.doors:
                self.relays.release(door, self.config.exit_release_s)
                self._publish(self.topics.of(Leaf.EXIT, door), "pressed")
            case [("tamper" | "fault") as what, device, *said] if device in self._devices():
                self._publish(self.topics.of(Leaf(what), device), " ".join(said))
            case ["heartbeat", "on" | "off" as state]:
                (self._beating.set if state == "on" else self._beating.clear)()
            case ["quit"]:
                return False
            case _:
                self.say(f"ignored {_shown(words)!r}: not an input of this board")
        return True

    def _read(self, reader: str, credential: str, pin: str | None) -> None:
        self._count += 1
        ref = f"{self._read_stem}{self._count}"
        try:
            payload = encoded(decoded(encoded(Read(credential=credential, pin=pin, ref=ref)), Read))
        except PayloadError as error:
            self.say(f"ignored read: {error}")
            return
        now = time.monotonic()
        with self._answering:
            self._reads = {r: at for r, at in self._reads.items() if now - at <= self.config.answer_within_s}
            self._reads[ref] = now
        self._publish(self.topics.of(Leaf.READ, reader), payload)

    def _devices(self) -> set[str]:
        return {self.config.id, *self.config.readers}

    # --- from the broker -----------------------------------------------------------------------

    def _connected(
        self, client: mqtt.Client, _: Any, __: mqtt.ConnectFlags, reason: ReasonCode, ___: Properties | None
    ) -> None:
        if reason.is_failure:
            self.say(f"ignored connection: the broker refused it ({reason})")
            return
        clients.announce(client, self._status_topic)
        for door, locked in self.relays.locked().items():
            self._show_lock(door, locked)
        wanted = [self.topics.of(Leaf.COMMAND, door) for door in self.config.doors]
        wanted += [self.topics.of(Leaf.SIGNAL, reader) for reader in self.config.readers]
        wanted.append(self.topics.gatewatch_status())
        client.subscribe([(topic, SubscribeOptions(qos=1)) for topic in wanted])

    def _disconnected(self, *_: Any) -> None:
        if not self._stopped.is_set():
            self.relays.lock_all()  # no word from gatewatch can come: fail secure

    def _message(self, _: mqtt.Client, __: Any, message: mqtt.MQTTMessage) -> None:
        try:
            if message.topic == self.topics.gatewatch_status():
                self._gatewatch(word(bytes(message.payload), (ONLINE, OFFLINE)))
                return
            topic = self.topics.parse(message.topic)
            if topic is not None and topic.leaf is Leaf.COMMAND:
                self._command(topic.ident, decoded(bytes(message.payload), DoorCommand))
            elif topic is not None and topic.leaf is Leaf.SIGNAL:
                self._signal(topic.ident, decoded(bytes(message.payload), Signal))
        except PayloadError as error:
            self.say(f"ignored {message.topic}: {error}")

    def _signal(self, reader: str, signal: Signal) -> None:
        """Show it; but red for a grant whose unlock came too late (the door did not open)."""
        with self._answering:
            late = signal.ref is not None and signal.ref in self._late
        led, beep = ("red", "long") if late else (signal.led, signal.beep)
        self.say(f"signal {reader} {led} {beep}")

    def _gatewatch(self, status: str) -> None:
        if status == OFFLINE:
            self.relays.lock_all()
        self.say(f"gatewatch {status}")

    def _command(self, door: str, command: DoorCommand) -> None:
        if command.lock:
            self.relays.lock(door)
        elif command.unlock_s is not None and self._timely(command.ref):
            self.relays.release(door, min(command.unlock_s, self.config.unlock_longest_s))

    def _timely(self, ref: str | None) -> bool:
        """An unlock answering one of this board's reads comes within ``answer_within_s`` of it,
        once; an unlock that answers no read (a guard's grant at the console) is taken as it comes."""
        if ref is None or not ref.startswith(self._read_stem):
            return True
        with self._answering:
            sent = self._reads.pop(ref, None)
        late = sent is None or time.monotonic() - sent > self.config.answer_within_s
        if late:
            with self._answering:
                self._late.append(ref)
            self.say(f"ignored unlock {ref}: too late, or answered already")
        return not late

    # --- out -----------------------------------------------------------------------------------

    def _relay_changed(self, door: str, locked: bool) -> None:
        self._show_lock(door, locked)
        self.say(f"lock {door} {LOCKED if locked else UNLOCKED}")

    def _show_lock(self, door: str, locked: bool) -> None:
        """The lock's state, retained: whoever subscribes later learns it at once."""
        self._client.publish(self.topics.of(Leaf.LOCK, door), LOCKED if locked else UNLOCKED, qos=1, retain=True)

    def _publish(self, topic: str, payload: str | bytes) -> None:
        self._client.publish(topic, payload, qos=1)

    def _heartbeats(self) -> None:
        beat = 0
        topic = self.topics.of(Leaf.HEARTBEAT, self.config.id)
        while not self._stopped.wait(self.config.heartbeat_every_s):
            if self._beating.is_set():
                beat += 1
                self._client.publish(topic, str(beat), qos=0)


def _shown(words: list[str]) -> str:
    """An input refused, as it may be printed: a word of digits (a PIN, typed wrong or where it
    does not belong) is written ``****``."""
    return " ".join("****" if word.isdigit() and len(word) >= 4 else word for word in words)[:80]


def main(argv: list[str] | None = None) -> int:
    from gatewatch.files.loader import FileError, read_yaml

    parser = argparse.ArgumentParser(prog="python -m gatewatch.devices.mqtt.controller", description=__doc__)
    parser.add_argument("--config", type=Path, required=True, help="the board's YAML file")
    arguments = parser.parse_args(argv)
    try:
        config = board_config(read_yaml(arguments.config))
    except (FileError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    board = Board(config, sys.stdout)
    board.start()
    try:
        for line in sys.stdin:
            if not board.take(line):
                break
    except KeyboardInterrupt:
        pass
    finally:
        board.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
