"""One OSDP line: libosdp's control panel (CP) for the readers on it, refreshed in its own thread.

The thread calls libosdp's ``refresh`` every ``REFRESH_S``; between two refreshes it reads which
readers are online and which have a secure channel, and tells the driver what changed. It
never waits on anything but the line: card reads and keys are handed to the driver's queue
(``BusSink.event``) and status changes to its reporter (``BusSink.status``), both at once.

libosdp's ``osdp_sys.ControlPanel`` is used directly rather than the ``osdp.ControlPanel``
wrapper: the wrapper keeps every event in a queue for ``get_event`` that a long-running server
would never drain, and prints errors from callbacks instead of logging them.

What the line says of each reader becomes a device status:

- online with its secure channel active: ``online``; ``tamper`` while its tamper switch is
  open, ``fault`` while it reports a power failure;
- online without a secure channel (possible in install mode only): ``fault``, and its reads
  are refused;
- not answering after having been online: ``offline``;
- never online within ``online_grace_s`` of the start: ``fault`` when it answered but its
  secure channel failed (a wrong key), else ``offline``.

libosdp waits 5 minutes before it polls a reader that went offline again; the bus restarts
the reader's session every ``reconnect_s`` instead, so a reader back from a power cut is
online within seconds.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import osdp  # type: ignore[import-untyped]
import osdp_sys  # type: ignore[import-not-found]

from gatewatch.devices.base import DeviceStatus
from gatewatch.devices.osdp import signals
from gatewatch.devices.osdp.cards import CardRead
from gatewatch.devices.osdp.config import OsdpReaderConfig
from gatewatch.devices.osdp.links import Link
from gatewatch.devices.osdp.signals import OsdpCommand

log = logging.getLogger(__name__)

REFRESH_S = 0.02
"""libosdp's own refresh period (its examples and wrapper use 20 ms)."""

STOP_FLUSH_S = 1.0
"""At a stop, how long the last commands (locks) have to reach the readers."""

LIBOSDP_LOG_LEVEL: int = osdp.LogLevel.Error
"""libosdp writes its own log to standard error; its warnings repeat every second for a reader
that does not answer, which the driver reports once instead."""

_CARD_READ: int = osdp.Event.CardRead
_KEY_PRESS: int = osdp.Event.KeyPress
_STATUS: int = osdp.Event.Status
_LOCAL: int = osdp.StatusReportType.Local
_ASCII: int = osdp.CardFormat.ASCII
_ENFORCE_SECURE: int = osdp.LibFlag.EnforceSecure


@dataclass(frozen=True, slots=True)
class CardEvent:
    reader: str
    read: CardRead
    secure: bool


@dataclass(frozen=True, slots=True)
class KeysEvent:
    reader: str
    keys: bytes = field(repr=False)
    """The keys pressed: a PIN among them, never shown in a log."""
    secure: bool


ReaderEvent = CardEvent | KeysEvent


class BusSink(Protocol):
    """Where a bus puts what it hears; both calls must return at once."""

    def event(self, event: ReaderEvent) -> None: ...

    def status(self, reader: str, status: DeviceStatus, detail: str) -> None: ...


@dataclass(slots=True)
class _Watch:
    """What the bus knows of one reader (touched by the bus's thread only)."""

    index: int
    config: OsdpReaderConfig
    online: bool = False
    secure: bool = False
    tamper: bool = False
    power_failed: bool = False
    ever_online: bool = False
    kicked_at: float = 0.0
    reported: tuple[DeviceStatus, str] | None = None


class Bus:
    """The readers of one line, their CP and its refresh thread."""

    def __init__(
        self,
        readers: Sequence[OsdpReaderConfig],
        link: Link,
        sink: BusSink,
        *,
        online_grace_s: float,
        reconnect_s: float,
    ) -> None:
        self.readers = tuple(readers)
        self.describe = readers[0].channel.describe()
        self.link = link
        self.sink = sink
        self.online_grace_s = online_grace_s
        self.reconnect_s = reconnect_s
        self.watches = tuple(_Watch(index, reader) for index, reader in enumerate(self.readers))
        self.by_id = {watch.config.id: watch for watch in self.watches}
        self.lock = threading.Lock()
        self.outstanding = 0
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None
        self.started_at = 0.0
        osdp_sys.set_loglevel(LIBOSDP_LOG_LEVEL)
        self.ctx = osdp_sys.ControlPanel([self._pd_info(reader) for reader in self.readers])
        self.ctx.set_event_callback(self._on_event)
        if hasattr(self.ctx, "set_command_completion_callback"):  # since libosdp 3.2
            self.ctx.set_command_completion_callback(self._on_completion)

    def _pd_info(self, reader: OsdpReaderConfig) -> dict[str, object]:
        return {
            "name": reader.id[:16],
            "address": reader.address,
            "flags": 0 if reader.install_mode else _ENFORCE_SECURE,
            "scbk": reader.scbk,
            "channel": self.link,
            "baud_rate": getattr(reader.channel, "baud", 9600),
            "version": 0,
            "model": 0,
            "vendor_code": 0,
            "serial_number": 0,
            "firmware_version": 0,
        }

    def start(self) -> None:
        self.started_at = time.monotonic()
        self.thread = threading.Thread(target=self._run, name=f"osdp {self.describe}", daemon=True)
        self.thread.start()

    def submit(self, reader: str, commands: Sequence[OsdpCommand]) -> bool:
        """Queue commands for a reader; False when it is not online (nothing is queued then)."""
        watch = self.by_id[reader]
        with self.lock:
            if not watch.online:
                return False
            sent = True
            for command in commands:
                if self.ctx.submit_command(watch.index, command):
                    self.outstanding += 1
                else:
                    sent = False
            return sent

    def is_online(self, reader: str) -> bool:
        return self.by_id[reader].online

    def stop(self, last: Sequence[tuple[str, OsdpCommand]] = ()) -> None:
        """Send the last commands (the locks), give them ``STOP_FLUSH_S`` to go out, then end."""
        for reader, command in last:
            self.submit(reader, (command,))
        deadline = time.monotonic() + STOP_FLUSH_S
        while self.outstanding > 0 and time.monotonic() < deadline and self.thread is not None:
            time.sleep(REFRESH_S)
        self.stopping.set()
        if self.thread is not None:
            self.thread.join(timeout=5)
        self.link.close()

    # --- the bus's thread ------------------------------------------------------------------

    def _run(self) -> None:
        while not self.stopping.is_set():
            try:
                with self.lock:
                    self.ctx.refresh()
                    self._look()
            except Exception:
                log.exception("osdp: %s: refresh failed", self.describe)
            self.stopping.wait(REFRESH_S)

    def _look(self) -> None:
        online: int = self.ctx.status()
        secure: int = self.ctx.sc_status()
        now = time.monotonic()
        for watch in self.watches:
            bit = 1 << watch.index
            self._seen(watch, bool(online & bit), bool(secure & bit))
            if not watch.online:
                self._reconnect(watch, now)
            self._report(watch, now)

    def _seen(self, watch: _Watch, online: bool, secure: bool) -> None:
        came = online and not watch.online
        if not online and watch.online:
            watch.tamper = watch.power_failed = False
        watch.online, watch.secure = online, secure
        if came:
            watch.ever_online = True
            self._greet(watch)

    def _greet(self, watch: _Watch) -> None:
        """A reader (back) online: lock its output for good and ask for its tamper and power status."""
        commands = [signals.ask_local_status()]
        if watch.config.lock_output is not None:
            commands.insert(0, signals.lock(watch.config.lock_output))
        for command in commands:
            if self.ctx.submit_command(watch.index, command):
                self.outstanding += 1

    def _reconnect(self, watch: _Watch, now: float) -> None:
        if not self.ctx.is_pd_enabled(watch.index):
            self.ctx.enable_pd(watch.index)
        elif now - max(watch.kicked_at, self.started_at) >= self.reconnect_s:
            watch.kicked_at = now
            self.ctx.disable_pd(watch.index)

    def _report(self, watch: _Watch, now: float) -> None:
        status = self._status(watch, now)
        if status is not None and status != watch.reported:
            watch.reported = status
            self.sink.status(watch.config.id, *status)

    def _status(self, watch: _Watch, now: float) -> tuple[DeviceStatus, str] | None:
        reader = watch.config
        where = f"address {reader.address} on {self.describe}"
        if not watch.online:
            if watch.ever_online:
                return DeviceStatus.OFFLINE, f"not answering at {where}"
            if now - self.started_at < self.online_grace_s:
                return None
            if self._answered(watch):
                return DeviceStatus.FAULT, f"answers at {where} but its secure channel fails: check its key (scbk)"
            return DeviceStatus.OFFLINE, f"has not answered at {where}"
        if not watch.secure:
            return DeviceStatus.FAULT, "online without a secure channel: its reads are refused"
        if watch.tamper:
            return DeviceStatus.TAMPER, "its tamper switch is open"
        if watch.power_failed:
            return DeviceStatus.FAULT, "reports a power failure"
        return DeviceStatus.ONLINE, ""

    def _answered(self, watch: _Watch) -> bool:
        """Whether the reader ever answered libosdp's ID request (its id is all zeros until then)."""
        ident: dict[str, int] = self.ctx.get_pd_id(watch.index) or {}
        return any(ident.values())

    def _on_event(self, index: int, event: dict[str, object]) -> int:
        """libosdp's event callback, inside ``refresh``: hand over at once, never raise."""
        try:
            watch = self.watches[index]
            self._event(watch, event)
        except Exception:
            log.exception("osdp: %s: cannot read event %s", self.describe, event.get("event"))  # its data may be a PIN
        return 0

    def _event(self, watch: _Watch, event: dict[str, object]) -> None:
        kind = event.get("event")
        data = event.get("data", b"")
        reader = watch.config.id
        if kind == _CARD_READ and isinstance(data, bytes):
            length = event.get("length", 0)
            text = event.get("format") == _ASCII
            read = CardRead(bits=length if isinstance(length, int) else 0, data=data, text=text)
            self.sink.event(CardEvent(reader, read, secure=watch.secure))
        elif kind == _KEY_PRESS and isinstance(data, bytes):
            self.sink.event(KeysEvent(reader, data, secure=watch.secure))
        elif kind == _STATUS and event.get("type") == _LOCAL:
            report = event.get("report", b"")
            if isinstance(report, bytes):
                watch.tamper = len(report) > 0 and report[0] != 0
                watch.power_failed = len(report) > 1 and report[1] != 0

    def _on_completion(self, index: int, command: object, status: int) -> None:
        self.outstanding = max(0, self.outstanding - 1)
