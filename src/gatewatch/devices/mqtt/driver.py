"""The MQTT door driver: door controllers and relay boards that speak MQTT through a broker.

Paho's network thread only takes each message apart and queues it on its controller's lane
(``lanes``); the lanes call the desk and publish the answers. A granted badge publishes the
door's unlock command, then the reader's green light and short beep; anything else (a denial,
an error, a grant for a door this driver does not work, a broker not connected) publishes the
red light and long beep and leaves the lock locked. A duress grant answers exactly as a grant:
the ``Answer`` has nothing else to tell. The topics are in ``docs/devices-mqtt.md``.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode
from paho.mqtt.subscribeoptions import SubscribeOptions

from gatewatch.devices.base import Answer, Command, DeviceStatus, DoorDesk, LockAll, Unlock
from gatewatch.devices.mqtt import client as clients
from gatewatch.devices.mqtt.config import MqttConfig
from gatewatch.devices.mqtt.lanes import Lane
from gatewatch.devices.mqtt.liveness import Liveness
from gatewatch.devices.mqtt.topics import (
    CLOSED,
    DENIED,
    FROM_CONTROLLERS,
    GRANTED,
    KINDS,
    LOCKED,
    OFFLINE,
    ONLINE,
    OPEN,
    UNLOCKED,
    DoorCommand,
    Leaf,
    PayloadError,
    Read,
    Shown,
    Signal,
    Topic,
    Topics,
    decoded,
    detail,
    encoded,
    word,
)

logger = logging.getLogger("gatewatch.devices.mqtt")

STOP_WAIT_S = 3.0
"""How long ``stop`` waits for its lock commands to reach the broker, and for a lane to end."""


class MqttDriver:
    """The ``mqtt`` driver (``gatewatch.devices.base.Driver``) for the controllers of one config."""

    name = "mqtt"

    def __init__(self, config: MqttConfig) -> None:
        self.config = config
        self.topics = Topics(config.prefix)
        self._owner = {ident: c.id for c in config.controllers for ident in (c.id, *c.doors, *c.readers)}
        ids = frozenset(c.id for c in config.controllers)
        self._named: dict[str, frozenset[str]] = {
            "reader": config.readers(),
            "door": config.doors(),
            "controller": ids,
            "device": ids | config.readers(),
        }
        """The ids each kind of topic may name: a read names a reader, an exit a door..."""
        self._lanes = {c.id: Lane(c.id) for c in config.controllers}
        self._liveness = Liveness(self._lanes, config.heartbeat_s, self._report_liveness)
        self._client: mqtt.Client | None = None
        self._desk: DoorDesk | None = None
        self._stopping = threading.Event()
        self._unlocking = threading.Lock()
        """Held while an unlock is published, and by ``stop`` before it locks: none follows the locks."""
        self._watchdog = threading.Thread(target=self._watch, name="mqtt-heartbeats", daemon=True)

    def doors(self) -> frozenset[str]:
        return self.config.doors()

    def devices(self) -> frozenset[str]:
        return frozenset(c.id for c in self.config.controllers) | self.config.readers()

    # --- starting and stopping -----------------------------------------------------------------

    def start(self, desk: DoorDesk) -> None:
        """Connect to the broker in paho's thread (retrying while it is away) and return at once."""
        if self._client is not None:
            raise RuntimeError("the mqtt driver is already started")
        self._desk = desk
        client_id = self.config.client_id or clients.random_client_id("gatewatch")
        client = clients.new_client(self.config.broker, client_id, self.topics.gatewatch_status())
        client.on_connect = self._connected
        client.on_disconnect = self._disconnected
        client.on_message = self._message
        self._client = client
        for lane in self._lanes.values():
            lane.start()
        self._watchdog.start()
        clients.connect(client, self.config.broker)

    def stop(self) -> None:
        """Lock every door, say ``offline``, disconnect, and let the lanes finish (once)."""
        with self._unlocking:
            if self._stopping.is_set():
                return
            self._stopping.set()
        client = self._client
        if client is not None:
            sent = [self._publish_command(door, DoorCommand(lock=True)) for door in sorted(self.doors())]
            sent.append(client.publish(self.topics.gatewatch_status(), OFFLINE, qos=1, retain=True))
            _wait(sent, STOP_WAIT_S)
            client.disconnect()
            client.loop_stop()
        for lane in self._lanes.values():
            lane.stop(STOP_WAIT_S)
        if self._watchdog.is_alive():
            self._watchdog.join(STOP_WAIT_S)

    # --- commands from the desk ----------------------------------------------------------------

    def command(self, command: Command) -> None:
        """Unlock one door for a recorded grant, or lock them all. Never raises."""
        try:
            if isinstance(command, Unlock):
                if command.door not in self.doors() or not self._unlock(command.door, command.seconds, _new_ref()):
                    logger.error("mqtt: %s not unlocked (not a door of this driver, or no broker)", command.door)
            elif isinstance(command, LockAll):
                for door in sorted(self.doors()):
                    self._publish_command(door, DoorCommand(lock=True))
        except Exception:
            logger.exception("mqtt: the command %r failed; the doors stay as they are", command)

    # --- paho's callbacks (its network thread: nothing here waits) -----------------------------

    def _connected(
        self, client: mqtt.Client, _: Any, __: mqtt.ConnectFlags, reason: ReasonCode, ___: Properties | None
    ) -> None:
        if reason.is_failure:
            logger.error("mqtt: the broker refused gatewatch: %s", reason)
            return
        options = SubscribeOptions(qos=1)
        client.subscribe([(self.topics.wildcard(leaf), options) for leaf in FROM_CONTROLLERS])
        clients.announce(client, self.topics.gatewatch_status())
        logger.info("mqtt: connected to %s:%d", self.config.broker.host, self.config.broker.port)

    def _disconnected(
        self, _: mqtt.Client, __: Any, ___: mqtt.DisconnectFlags, reason: ReasonCode, ____: Properties | None
    ) -> None:
        if not self._stopping.is_set():
            logger.warning("mqtt: lost the broker (%s); reconnecting", reason)

    def _message(self, _: mqtt.Client, __: Any, message: mqtt.MQTTMessage) -> None:
        topic = self.topics.parse(message.topic)
        controller = self._owner.get(topic.ident) if topic else None
        if topic is None or controller is None or topic.ident not in self._named[KINDS[topic.leaf]]:
            logger.debug("mqtt: ignored %s (not a topic of a configured device)", message.topic)
            return
        if not message.payload and topic.leaf in (Leaf.LOCK, Leaf.STATUS):
            return  # a retained state cleared: nothing to tell
        try:
            self._take(topic, controller, bytes(message.payload))
        except PayloadError as error:
            logger.warning("mqtt: %s: %s", message.topic, error)
            if topic.leaf is Leaf.READ:
                self._signal(topic.ident, DENIED, None)

    def _take(self, topic: Topic, controller: str, payload: bytes) -> None:
        ident, lane, desk = topic.ident, self._lanes[controller], self._desk
        assert desk is not None  # messages come only after start
        match topic.leaf:
            case Leaf.READ:
                read, came = decoded(payload, Read), time.monotonic()
                if not lane.put(lambda: self._answer(desk, ident, read, came)):
                    self._signal(ident, DENIED, read.ref)
            case Leaf.CONTACT:
                is_open = word(payload, (OPEN, CLOSED)) == OPEN
                lane.put(lambda: desk.contact(ident, is_open))
            case Leaf.EXIT:
                lane.put(lambda: desk.exit_pressed(ident))
            case Leaf.LOCK:
                locked = word(payload, (LOCKED, UNLOCKED)) == LOCKED
                lane.put(lambda: desk.lock_state(ident, locked))
            case Leaf.STATUS if ident == controller:
                if word(payload, (ONLINE, OFFLINE)) == ONLINE:
                    self._liveness.heard(ident)
                else:
                    self._liveness.gone(ident, "its status says offline (its last will, or it stopped)")
            case Leaf.HEARTBEAT if ident == controller:
                self._liveness.heard(ident)
            case Leaf.TAMPER | Leaf.FAULT:
                status = DeviceStatus.TAMPER if topic.leaf is Leaf.TAMPER else DeviceStatus.FAULT
                said = detail(payload)
                lane.put(lambda: desk.device_status(ident, status, said))
            case _:
                logger.debug("mqtt: ignored %s for %s", topic.leaf, ident)

    # --- on the lanes --------------------------------------------------------------------------

    def _answer(self, desk: DoorDesk, reader: str, read: Read, came: float) -> None:
        """Ask the desk, then open the door and show green, or show red; a read that waited too
        long behind others is shown red without asking (its unlock would come too late)."""
        waited = time.monotonic() - came
        if waited > self.config.read_wait_s:
            logger.warning("mqtt: a read at %s waited %.1f s behind others: refused without asking", reader, waited)
            self._signal(reader, DENIED, read.ref)
            return
        answer = _badge(desk, reader, read)
        ref = read.ref or _new_ref()
        opened = answer.granted and answer.recorded and answer.door in self.doors()
        if opened and self._unlock(answer.door, answer.unlock_s, ref):
            self._signal(reader, GRANTED, ref)
        else:
            self._signal(reader, DENIED, ref)

    def _report_liveness(self, controller: str, status: DeviceStatus, said: str) -> None:
        desk = self._desk
        if desk is not None:
            self._lanes[controller].put(lambda: desk.device_status(controller, status, said))
        logger.info("mqtt: controller %s is %s%s", controller, status.value, f" ({said})" if said else "")

    def _watch(self) -> None:
        every = min(self.config.heartbeat_s / 4, 0.5)
        while not self._stopping.wait(every):
            client = self._client
            away = client is None or not client.is_connected()
            self._liveness.check(" (gatewatch is not connected to the broker)" if away else "")

    # --- publishing ----------------------------------------------------------------------------

    def _unlock(self, door: str, seconds: float, ref: str) -> bool:
        """Publish an unlock, unless stopping or not connected (it would be sent late)."""
        with self._unlocking:
            client = self._client
            if self._stopping.is_set() or client is None or not client.is_connected() or seconds <= 0:
                return False
            return clients.published(self._publish_command(door, DoorCommand(unlock_s=seconds, ref=ref)))

    def _publish_command(self, door: str, command: DoorCommand) -> mqtt.MQTTMessageInfo:
        client = self._client
        assert client is not None
        expiry = clients.expiring(self.config.command_expiry_s)
        return client.publish(self.topics.of(Leaf.COMMAND, door), encoded(command), qos=1, properties=expiry)

    def _signal(self, reader: str, shown: Shown, ref: str | None) -> None:
        client = self._client
        if client is None:
            return
        led, beep = shown
        signal = Signal(led=led, beep=beep, ref=ref)
        expiry = clients.expiring(self.config.command_expiry_s)
        client.publish(self.topics.of(Leaf.SIGNAL, reader), encoded(signal), qos=1, properties=expiry)


def _badge(desk: DoorDesk, reader: str, read: Read) -> Answer:
    """The desk's answer; refused if the desk breaks its promise never to raise."""
    try:
        return desk.badge(reader, read.credential, read.pin)
    except Exception:
        logger.exception("mqtt: the desk raised on a badge at %s: refused", reader)
        return Answer.refused("")


def _new_ref() -> str:
    return f"gw-{uuid.uuid4().hex[:16]}"


def _wait(sent: list[mqtt.MQTTMessageInfo], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    for info in sent:
        try:
            info.wait_for_publish(max(0.0, deadline - time.monotonic()))
        except (RuntimeError, ValueError):
            logger.error("mqtt: a message was not sent before stopping (the broker is away)")
