"""For ``card_to_unlock.py``: reads over MQTT, through the real broker on 127.0.0.1:1883.

The **controller** here is a door controller as ``docs/devices-mqtt.md`` has it (clean session,
its status and last will, heartbeats), reduced to what is measured: it publishes a read with a
ref of its own and waits for the answer naming that ref, the door's unlock command (a grant) or
the reader's red signal (anything else). The clock runs from just before the read is published
to the moment the answer arrives in its client.

Behind the broker is either gatewatch (the ``mqtt`` driver with the desk's doors) or the **stub
panel**: a client that subscribes to reads and, in its message callback, publishes the unlock
command for each at once (QoS 1, with the same message expiry as the driver's): the bare round
trip through the broker.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.subscribeoptions import SubscribeOptions

from card_reads import ANSWER_WAIT_S, DOORS, UNLOCK_S, Answered, CardRead, TimedDoors, Waiter, gatewatch_behind
from gatewatch.devices.mqtt import MqttDriver, mqtt_config
from gatewatch.devices.mqtt import client as clients
from gatewatch.devices.mqtt.config import COMMAND_EXPIRY_S, Broker
from gatewatch.devices.mqtt.topics import (
    OFFLINE,
    ONLINE,
    DoorCommand,
    Leaf,
    PayloadError,
    Read,
    Signal,
    Topics,
    decoded,
    encoded,
)

_HOST, _, _PORT = os.environ.get("GATEWATCH_BENCH_MQTT", "127.0.0.1:1883").rpartition(":")
BROKER = Broker(host=_HOST, port=int(_PORT))
"""The broker: ``GATEWATCH_BENCH_MQTT`` (``host:port``), else Mosquitto on 127.0.0.1:1883."""
BOARD = "bench-board"
READY_WAIT_S = 20.0


def broker_answers() -> bool:
    probe = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=clients.random_client_id("bench-probe"))
    try:
        probe.connect(BROKER.host, BROKER.port, keepalive=5)
        probe.disconnect()
        return True
    except OSError:
        return False


class Controller:
    """The door controller that presents the reads (every reader and door of the site)."""

    def __init__(self, prefix: str) -> None:
        self.topics = Topics(prefix)
        self._status = self.topics.of(Leaf.STATUS, BOARD)
        self._waiting: dict[str, Waiter] = {}
        self._guard = threading.Lock()
        self._refs = itertools.count()
        self._stem = f"b{uuid.uuid4().hex[:6]}-"
        self._subscribed = threading.Event()
        self._stopped = threading.Event()
        self.panel_online = threading.Event()
        """Set when gatewatch says ``online`` (after it subscribed to the reads)."""
        self.client = clients.new_client(BROKER, clients.random_client_id(BOARD), self._status)
        self.client.on_connect = self._connected
        self.client.on_subscribe = lambda *_: self._subscribed.set()
        self.client.on_message = self._message
        self._beats = threading.Thread(target=self._heartbeats, name="bench-heartbeats", daemon=True)

    def start(self) -> None:
        clients.connect(self.client, BROKER)
        if not self._subscribed.wait(READY_WAIT_S):
            raise RuntimeError(f"the bench controller did not subscribe at {BROKER.host}:{BROKER.port}")
        self._beats.start()

    def stop(self) -> None:
        self._stopped.set()
        with suppress(RuntimeError, ValueError):
            self.client.publish(self._status, OFFLINE, qos=1, retain=True).wait_for_publish(3)
        self.client.disconnect()
        self.client.loop_stop()

    def present(self, read: CardRead) -> Answered | None:
        ref = f"{self._stem}{next(self._refs)}"
        waiter = Waiter()
        with self._guard:
            self._waiting[ref] = waiter
        payload = encoded(Read(credential=read.credential, pin=read.pin, ref=ref))
        topic = self.topics.of(Leaf.READ, read.reader)
        began = time.perf_counter()
        self.client.publish(topic, payload, qos=1)
        answered = waiter.wait(began, ANSWER_WAIT_S)
        with self._guard:
            self._waiting.pop(ref, None)
        return answered

    def _connected(self, client: mqtt.Client, *_: Any) -> None:
        clients.announce(client, self._status)
        wanted = [self.topics.wildcard(Leaf.COMMAND), self.topics.wildcard(Leaf.SIGNAL), self.topics.gatewatch_status()]
        client.subscribe([(topic, SubscribeOptions(qos=1)) for topic in wanted])

    def _message(self, _: mqtt.Client, __: Any, message: mqtt.MQTTMessage) -> None:
        if message.topic == self.topics.gatewatch_status() and bytes(message.payload) == ONLINE.encode():
            self.panel_online.set()
            return
        topic = self.topics.parse(message.topic)
        try:
            if topic is not None and topic.leaf is Leaf.COMMAND:
                command = decoded(bytes(message.payload), DoorCommand)
                self._answer(command.ref, unlocked=command.unlock_s is not None)
            elif topic is not None and topic.leaf is Leaf.SIGNAL:
                signal = decoded(bytes(message.payload), Signal)
                if signal.led == "red":  # a grant's green comes after its unlock: only a denial answers here
                    self._answer(signal.ref, unlocked=False)
        except PayloadError:
            pass

    def _answer(self, ref: str | None, *, unlocked: bool) -> None:
        with self._guard:
            waiter = self._waiting.get(ref) if ref else None
        if waiter is not None:
            waiter.answer(unlocked)

    def _heartbeats(self) -> None:
        topic, beat = self.topics.of(Leaf.HEARTBEAT, BOARD), 0
        while not self._stopped.wait(1.0):
            beat += 1
            self.client.publish(topic, str(beat), qos=0)


class StubPanel:
    """Answers every read at once with its door's unlock, from its message callback."""

    def __init__(self, prefix: str) -> None:
        self.topics = Topics(prefix)
        self._expiry = clients.expiring(COMMAND_EXPIRY_S)
        self._subscribed = threading.Event()
        self.client = clients.new_client(BROKER, clients.random_client_id("bench-stub"), self.topics.gatewatch_status())
        self.client.on_connect = lambda client, *_: client.subscribe(
            self.topics.wildcard(Leaf.READ), options=SubscribeOptions(qos=1)
        )
        self.client.on_subscribe = lambda *_: self._subscribed.set()
        self.client.on_message = self._message

    def start(self) -> None:
        clients.connect(self.client, BROKER)
        if not self._subscribed.wait(READY_WAIT_S):
            raise RuntimeError("the stub panel did not subscribe")

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def _message(self, client: mqtt.Client, _: Any, message: mqtt.MQTTMessage) -> None:
        topic = self.topics.parse(message.topic)
        if topic is None or topic.ident not in DOORS:
            return
        read = decoded(bytes(message.payload), Read)
        command = encoded(DoorCommand(unlock_s=UNLOCK_S, ref=read.ref))
        client.publish(self.topics.of(Leaf.COMMAND, DOORS[topic.ident]), command, qos=1, properties=self._expiry)


@contextmanager
def controller(prefix: str) -> Iterator[Controller]:
    board = Controller(prefix)
    board.start()
    try:
        yield board
    finally:
        board.stop()


def _clear_retained(prefix: str) -> None:
    """The statuses left retained under the run's prefix are cleared (the broker is shared)."""
    topics = Topics(prefix)
    cleaner = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=clients.random_client_id("bench-clean"))
    cleaner.connect(BROKER.host, BROKER.port, keepalive=5)
    cleaner.loop_start()
    for topic in (topics.gatewatch_status(), topics.of(Leaf.STATUS, BOARD)):
        cleaner.publish(topic, b"", qos=1, retain=True).wait_for_publish(3)
    cleaner.disconnect()
    cleaner.loop_stop()


def new_prefix() -> str:
    return f"gatewatch-bench/{uuid.uuid4().hex[:10]}"


@contextmanager
def bare() -> Iterator[Controller]:
    """The controller and the stub panel, under a prefix of their own."""
    prefix = new_prefix()
    stub = StubPanel(prefix)
    stub.start()
    try:
        with controller(prefix) as board:
            yield board
    finally:
        stub.stop()
        _clear_retained(prefix)


@contextmanager
def through_gatewatch(url: str) -> Iterator[tuple[Controller, TimedDoors]]:
    """The controller, and gatewatch's ``mqtt`` driver working its doors and readers, on the record at ``url``."""
    prefix = new_prefix()
    wired = {"id": BOARD, "doors": sorted(set(DOORS.values())), "readers": sorted(DOORS)}
    config = mqtt_config({"broker": BROKER.host, "port": BROKER.port, "prefix": prefix, "controllers": [wired]})
    try:
        with gatewatch_behind(MqttDriver(config), url) as doors, controller(prefix) as board:
            if not board.panel_online.wait(READY_WAIT_S):
                raise RuntimeError("gatewatch's mqtt driver did not come online at the broker")
            yield board, doors
    finally:
        _clear_retained(prefix)  # once the driver has said offline
