"""For the MQTT tests: the real broker, a recording desk, the reference controller as a real
process, and a watcher that sees every message under a test's own prefix."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import paho.mqtt.client as mqtt
import yaml
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.subscribeoptions import SubscribeOptions

from gatewatch.devices.base import Answer, DeviceStatus

HOST = "127.0.0.1"
PORT = 1883
T = TypeVar("T")

WAIT_S = 20.0
"""How long to wait for something that must happen (a failure only when it never does)."""


def broker_answers() -> bool:
    """A broker accepts an MQTT connection on 127.0.0.1:1883."""
    probe = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"probe-{uuid.uuid4().hex[:8]}")
    try:
        probe.connect(HOST, PORT, keepalive=5)
        probe.disconnect()
        return True
    except OSError:
        return False


def new_prefix() -> str:
    """Topics of one test only: tests never hear each other's controllers."""
    return f"gatewatch-test/{uuid.uuid4().hex[:12]}"


def until(find: Callable[[], T | None], what: str, timeout: float = WAIT_S) -> T:
    """Wait for ``find`` to find something; fail naming ``what`` if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = find()
        if found is not None and found is not False:
            return found
        time.sleep(0.02)
    raise AssertionError(f"never happened: {what}")


# --- the desk ------------------------------------------------------------------------------------


Decide = Callable[[str, str, str | None], Answer]


@dataclass
class RecordingDesk:
    """A DoorDesk that records every call and answers badges with ``decide``."""

    decide: Decide
    calls: list[tuple[Any, ...]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _record(self, *call: Any) -> None:
        with self._lock:
            self.calls.append(call)

    def seen(self, kind: str) -> list[tuple[Any, ...]]:
        with self._lock:
            return [call[1:] for call in self.calls if call[0] == kind]

    def badge(self, reader: str, credential: str, pin: str | None = None) -> Answer:
        self._record("badge", reader, credential, pin, threading.current_thread().name)
        return self.decide(reader, credential, pin)

    def contact(self, door: str, is_open: bool) -> None:
        self._record("contact", door, is_open)

    def exit_pressed(self, door: str) -> None:
        self._record("exit", door)

    def lock_state(self, door: str, locked: bool) -> None:
        self._record("lock", door, locked)

    def device_status(self, device: str, status: DeviceStatus, detail: str = "") -> None:
        self._record("device", device, status, detail)

    def statuses(self, device: str) -> list[DeviceStatus]:
        return [status for name, status, _ in self.seen("device") if name == device]


def granting(door: str, seconds: float = 2.0, *, good: str = "good") -> Decide:
    """Grants the credential ``good`` at any reader (for ``door``), denies every other."""

    def decide(reader: str, credential: str, pin: str | None) -> Answer:
        if credential == good:
            return Answer(door=door, granted=True, unlock_s=seconds, recorded=True)
        return Answer.refused(door)

    return decide


# --- the reference controller as a process -------------------------------------------------------


@dataclass
class Board:
    """``python -m gatewatch.devices.mqtt.controller`` on a file written from ``settings``."""

    folder: Path
    settings: dict[str, Any]
    process: subprocess.Popen[str] | None = None
    lines: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> Board:
        config = self.folder / f"{self.settings['id']}-{uuid.uuid4().hex[:6]}.yaml"
        config.write_text(yaml.safe_dump(self.settings))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gatewatch.devices.mqtt.controller", "--config", str(config)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
        )
        threading.Thread(target=self._read, args=(self.process,), daemon=True).start()
        self.wait_for("ready")
        return self

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            with self._lock:
                self.lines.append(line.rstrip("\n"))

    def said(self) -> list[str]:
        with self._lock:
            return list(self.lines)

    def wait_for(self, line: str, after: int = 0) -> int:
        """The index of the first ``line`` said at or after ``after``."""

        def find() -> int | None:
            said = self.said()
            return next((n + 1 for n in range(after, len(said)) if said[n] == line), None)

        return until(find, f"the board says {line!r} (it said {self.said()[after:]})") - 1

    def send(self, line: str) -> None:
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write(f"{line}\n")
        self.process.stdin.flush()

    def kill(self) -> None:
        """SIGKILL: the broker publishes the board's last will."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.lines.clear()

    def quit(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.send("quit")
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


def board_settings(prefix: str, ident: str, doors: list[str], readers: list[str], **more: Any) -> dict[str, Any]:
    return {
        "id": ident,
        "broker": HOST,
        "port": PORT,
        "prefix": prefix,
        "doors": doors,
        "readers": readers,
        "heartbeat_every_s": 0.2,
        **more,
    }


# --- seeing what goes over the broker ------------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    topic: str
    payload: bytes
    qos: int
    retain: bool


class Watcher:
    """A client subscribed (QoS 2) to everything under a prefix, recording what comes."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.messages: list[Seen] = []
        self._lock = threading.Lock()
        self._subscribed = threading.Event()
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=f"watcher-{uuid.uuid4().hex[:8]}", protocol=mqtt.MQTTv5
        )
        self.client.on_message = self._message
        self.client.on_subscribe = lambda *_: self._subscribed.set()
        self.client.connect(HOST, PORT, keepalive=10)
        self.client.loop_start()
        self.client.subscribe(f"{prefix}/#", options=SubscribeOptions(qos=2))
        until(self._subscribed.is_set, "the watcher is subscribed")

    def _message(self, _: mqtt.Client, __: Any, message: mqtt.MQTTMessage) -> None:
        seen = Seen(message.topic, bytes(message.payload), message.qos, bool(message.retain))
        with self._lock:
            self.messages.append(seen)

    def on(self, tail: str) -> list[Seen]:
        """The messages on ``<prefix>/<tail>``."""
        topic = f"{self.prefix}/{tail}"
        with self._lock:
            return [seen for seen in self.messages if seen.topic == topic]

    def wait_on(self, tail: str, payload: bytes | None = None) -> Seen:
        def find() -> Seen | None:
            return next((s for s in self.on(tail) if payload is None or s.payload == payload), None)

        return until(find, f"a message on {tail}" + (f" saying {payload!r}" if payload else ""))

    def publish(self, tail: str, payload: bytes | str, qos: int = 1, retain: bool = False) -> None:
        self.client.publish(f"{self.prefix}/{tail}", payload, qos=qos, retain=retain).wait_for_publish(5)

    def close(self, clear: bool = True) -> None:
        """Clear the retained messages left under the prefix (unless told not to), and disconnect."""
        with self._lock:
            retained = {seen.topic for seen in self.messages if seen.topic.endswith(("/lock", "/status"))}
        for topic in retained if clear else ():
            self.client.publish(topic, b"", qos=1, retain=True).wait_for_publish(5)
        self.client.disconnect()
        self.client.loop_stop()
