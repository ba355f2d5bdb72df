"""Real OSDP readers for the driver's tests: libosdp peripheral devices (PDs) on a line the
driver reaches over TCP on loopback, and a desk that records what it is asked.

``TcpLine`` stands for an RS-485 bus behind a serial device server: the driver's control panel
connects to it; every PD on it hears every byte the control panel sends (and answers only to
its own address), and what a PD sends goes back to the control panel.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import osdp

from gatewatch.devices.base import Answer, DeviceStatus

WAIT_S = 15.0
"""How long a test waits for something the line must bring (never a bound under test)."""

KEY = bytes.fromhex("4f2a9c1de07b3358a1c6e9f00d7b2e54")
OTHER_KEY = bytes.fromhex("0b8e7d6c5a4f3e2d1c0b9a8f7e6d5c4b")

PD_CAPABILITIES = [
    (osdp.Capability.OutputControl, 1, 2),
    (osdp.Capability.LEDControl, 1, 1),
    (osdp.Capability.AudibleControl, 1, 1),
]


class TcpLine:
    """A line of PDs that the driver's control panel reaches at ``127.0.0.1:port``."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.setblocking(False)
        self.port: int = self.server.getsockname()[1]
        self.conn: socket.socket | None = None
        self.lock = threading.Lock()
        self.inboxes: list[bytearray] = []

    def pd_channel(self) -> PdChannel:
        inbox = bytearray()
        with self.lock:
            self.inboxes.append(inbox)
        return PdChannel(self, inbox)

    def pump(self) -> None:
        """Take what the control panel sent and give every PD a copy (called by the PDs' reads)."""
        if self.conn is None:
            try:
                self.conn, _ = self.server.accept()
            except BlockingIOError:
                return
            self.conn.setblocking(False)
        try:
            data = self.conn.recv(4096)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self.conn.close()
            self.conn = None
            return
        for inbox in self.inboxes:
            inbox.extend(data)

    def send(self, data: bytes) -> None:
        if self.conn is not None:
            with contextlib.suppress(OSError):
                self.conn.sendall(data)

    def close(self) -> None:
        with self.lock:
            if self.conn is not None:
                self.conn.close()
            self.server.close()


class PdChannel:
    """One PD's end of the line (libosdp calls read, write and flush from the PD's thread)."""

    def __init__(self, line: TcpLine, inbox: bytearray) -> None:
        self.line = line
        self.inbox = inbox

    def read(self, max_bytes: int) -> bytes:
        with self.line.lock:
            self.line.pump()
            data = bytes(self.inbox[:max_bytes])
            del self.inbox[:max_bytes]
            return data

    def write(self, buf: bytes) -> int:
        with self.line.lock:
            self.line.send(buf)
        return len(buf)

    def flush(self) -> None:
        with self.line.lock:
            self.inbox.clear()


class PtyChannel:
    """A PD's end of a pseudo-terminal: the driver opens the other end as its serial device."""

    def __init__(self) -> None:
        self.master, slave = os.openpty()
        self.path = os.ttyname(slave)
        os.close(slave)
        os.set_blocking(self.master, False)

    def read(self, max_bytes: int) -> bytes:
        try:
            return os.read(self.master, max_bytes)
        except (BlockingIOError, OSError):
            return b""

    def write(self, buf: bytes) -> int:
        try:
            return os.write(self.master, buf)
        except OSError:
            return 0

    def flush(self) -> None:
        while self.read(4096):
            pass

    def close(self) -> None:
        os.close(self.master)


class Reader:
    """A real OSDP reader (a libosdp PD) that keeps every command it receives, in order."""

    def __init__(
        self, channel: Any, address: int, key: bytes | None, *, install_mode: bool = False, secure: bool = True
    ) -> None:
        """A PD with its key (None: none), in install mode or not; ``secure=False``: one that
        also answers outside a secure channel."""
        flags = [osdp.LibFlag.InstallMode] if install_mode else [osdp.LibFlag.EnforceSecure] if secure else []
        info = osdp.PDInfo(address, channel, scbk=key, flags=flags)
        self.history: list[dict[str, Any]] = []
        self.changed = threading.Condition()
        self.local_status = bytes([0, 0])
        self.pd = osdp.PeripheralDevice(
            info, osdp.PDCapabilities(PD_CAPABILITIES), log_level=osdp.LogLevel.Error, command_handler=self._command
        )
        self.running = False

    def _command(self, command: dict[str, Any]) -> tuple[int, dict[str, Any] | None]:
        with self.changed:
            self.history.append(command)
            self.changed.notify_all()
        if command.get("command") == osdp.Command.Status:
            return 0, {"command": osdp.Command.Status, "type": command["type"], "report": self.local_status}
        return 0, None

    def start(self) -> Reader:
        self.pd.start()
        self.running = True
        return self

    def stop(self) -> None:
        if self.running:
            self.pd.stop()
            self.running = False

    def present_card(self, data: bytes, bits: int) -> None:
        self.pd.submit_event(
            {
                "event": osdp.Event.CardRead,
                "reader_no": 0,
                "direction": 0,
                "format": osdp.CardFormat.Wiegand,
                "length": bits,
                "data": data,
            }
        )

    def press(self, keys: bytes) -> None:
        self.pd.submit_event({"event": osdp.Event.KeyPress, "reader_no": 0, "data": keys})

    def set_tamper(self, open_: bool) -> None:
        self.local_status = bytes([1 if open_ else 0, 0])
        self.pd.submit_event(
            {"event": osdp.Event.Status, "type": osdp.StatusReportType.Local, "report": self.local_status}
        )

    def commands(self) -> list[dict[str, Any]]:
        with self.changed:
            return list(self.history)

    def wait_command(self, wanted: Callable[[dict[str, Any]], bool], what: str, after: int = 0) -> int:
        """The position in ``commands()`` of the first command at or past ``after`` that is ``wanted``."""

        def found() -> int | None:
            return next((i for i in range(after, len(self.history)) if wanted(self.history[i])), None)

        with self.changed:
            if not self.changed.wait_for(lambda: found() is not None, timeout=WAIT_S):
                raise AssertionError(f"the reader never received {what}; it received {self.history}")
            index = found()
            assert index is not None
            return index

    def received(self, wanted: Callable[[dict[str, Any]], bool], what: str) -> dict[str, Any]:
        """The first command received that is ``wanted`` (waiting for it)."""
        index = self.wait_command(wanted, what)
        return self.commands()[index]


def is_led(color: int) -> Callable[[dict[str, Any]], bool]:
    return lambda command: command.get("command") == osdp.Command.LED and command.get("on_color") == color


def is_buzzer(times: int) -> Callable[[dict[str, Any]], bool]:
    return lambda command: command.get("command") == osdp.Command.Buzzer and command.get("rep_count") == times


def is_pulse(command: dict[str, Any]) -> bool:
    return command.get("command") == osdp.Command.Output and command.get("control_code") == 5


def is_lock(command: dict[str, Any]) -> bool:
    return command.get("command") == osdp.Command.Output and command.get("control_code") == 1


GREEN = osdp.CommandLEDColor.Green
RED = osdp.CommandLEDColor.Red
AMBER = osdp.CommandLEDColor.Amber


@dataclass
class RecordingDesk:
    """A desk double: records badges and statuses, answers as the test says.

    ``behaviour`` answers a badge: an ``Answer``, a callable returning one, or raising.
    """

    behaviour: Callable[[str, str, str | None], Answer]
    badges: list[tuple[str, str, str | None]] = field(default_factory=list)
    statuses: list[tuple[str, DeviceStatus, str]] = field(default_factory=list)
    answered: list[tuple[str, str, str | None]] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def badge(self, reader: str, credential: str, pin: str | None = None) -> Answer:
        with self.changed:
            self.badges.append((reader, credential, pin))
            self.changed.notify_all()
        try:
            return self.behaviour(reader, credential, pin)
        finally:
            with self.changed:
                self.answered.append((reader, credential, pin))
                self.changed.notify_all()

    def contact(self, door: str, is_open: bool) -> None:
        raise AssertionError("an OSDP reader reports no door contact")

    def exit_pressed(self, door: str) -> None:
        raise AssertionError("an OSDP reader reports no exit button")

    def device_status(self, device: str, status: DeviceStatus, detail: str = "") -> None:
        with self.changed:
            self.statuses.append((device, status, detail))
            self.changed.notify_all()

    def wait_badge(self, count: int = 1) -> tuple[str, str, str | None]:
        self._wait(lambda: len(self.badges) >= count, f"{count} badge(s)")
        return self.badges[count - 1]

    def wait_answered(self, count: int = 1) -> None:
        self._wait(lambda: len(self.answered) >= count, f"{count} answer(s)")

    def wait_status(self, device: str, status: DeviceStatus, count: int = 1) -> str:
        """The detail of the ``count``-th report of ``status`` for ``device``."""

        def reports() -> list[str]:
            return [detail for name, said, detail in self.statuses if name == device and said == status]

        self._wait(lambda: len(reports()) >= count, f"{device} {status.value} (x{count})")
        return reports()[count - 1]

    def _wait(self, done: Callable[[], bool], what: str) -> None:
        with self.changed:
            if not self.changed.wait_for(done, timeout=WAIT_S):
                raise AssertionError(f"waited in vain for {what}; badges {self.badges}, statuses {self.statuses}")


def answering(door: str, *, granted: bool, unlock_s: float = 4.0) -> Callable[[str, str, str | None], Answer]:
    def answer(reader: str, credential: str, pin: str | None) -> Answer:
        return Answer(door=door, granted=granted, unlock_s=unlock_s if granted else 0.0, recorded=True)

    return answer


def reader_entry(ident: str, port: int, address: int, key: bytes = KEY, **more: Any) -> dict[str, Any]:
    """One reader's configuration mapping, as the devices file would give it."""
    return {
        "id": ident,
        "address": address,
        "channel": {"type": "tcp", "host": "127.0.0.1", "port": port},
        "scbk": key.hex(),
        **more,
    }
