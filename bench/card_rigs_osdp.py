"""For ``card_to_unlock.py``: reads over OSDP, from libosdp readers (PDs) in this process.

Each reader is on a line of its own (an RS-485 line as a serial device server gives it: the
control panel connects to ``127.0.0.1:<port>`` over TCP), so that the round trip is the least
OSDP allows: a poll every 50 ms, libosdp refreshed every 20 ms at both ends. (On a multi-drop
line the control panel talks to one reader at a time, and every reader on it waits its turn:
both panels alike.) The secure channel is on, each reader with a key of its own. The outside
readers wait for a PIN after a card (their strike wired to their first output); the inside
readers read a card alone and drive no strike (their door's outside reader does).

A read is a card event submitted at the reader; at an outside reader, once the reader shows the
amber PIN prompt, the keys: the PIN and ``#``, or ``#`` alone for a card without a PIN. The
clock runs from the submission of the read's last event (the card, or the keys) to the moment
the answer reaches a reader's command handler: the pulse of the door's strike output (a grant)
or the red LED (anything else).

The control panel is either gatewatch (the ``osdp`` driver with the desk's doors) or the **bare
panel**: a libosdp control panel per line, on the driver's own link and refreshed as often as
the driver's, whose event callback answers at once: the amber prompt for a card at an outside
reader, and the strike's pulse for a card at an inside reader or for keys ending in ``#``.
"""

from __future__ import annotations

import contextlib
import hashlib
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import osdp  # type: ignore[import-untyped]
import osdp_sys  # type: ignore[import-not-found]

from card_reads import (
    ANSWER_WAIT_S,
    DOORS,
    INSIDE,
    OUTSIDE,
    UNLOCK_S,
    Answered,
    CardRead,
    TimedDoors,
    Waiter,
    gatewatch_behind,
)
from gatewatch.devices.osdp import OsdpDriver, osdp_readers, signals
from gatewatch.devices.osdp.bus import REFRESH_S
from gatewatch.devices.osdp.config import TcpLine
from gatewatch.devices.osdp.links import TcpLink
from gatewatch.devices.osdp.signals import OsdpCommand

READERS = OUTSIDE + INSIDE
ADDRESS = {reader: n for n, reader in enumerate(READERS, start=1)}
"""Each reader's address (as if they shared a line: each is on its own)."""
LOCK_READER = {door: reader for reader, door in DOORS.items() if reader in OUTSIDE}
"""Each door's strike hangs on its outside reader's output 0."""
PIN_WAIT_S = 5.0
READY_WAIT_S = 30.0
CAPABILITIES = [
    (osdp.Capability.OutputControl, 1, 1),
    (osdp.Capability.LEDControl, 1, 1),
    (osdp.Capability.AudibleControl, 1, 1),
]
_OUTPUT, _LED, _STATUS = osdp.Command.Output, osdp.Command.LED, osdp.Command.Status
_RED, _AMBER = osdp.CommandLEDColor.Red, osdp.CommandLEDColor.Amber
_CARD_READ, _KEY_PRESS = osdp.Event.CardRead, osdp.Event.KeyPress
HASH_KEY = b"\r"
"""``#`` as OSDP keypad data."""


def key_of(reader: str) -> bytes:
    """The reader's own secure channel base key."""
    return hashlib.sha256(f"bench-cards/{reader}".encode()).digest()[:16]


# --- the line ----------------------------------------------------------------------------------


class Line:
    """The readers on one line, reached by the control panel over TCP at ``127.0.0.1:port``:
    each hears every byte the panel sends, and what each sends goes to the panel."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.setblocking(False)
        self.port: int = self.server.getsockname()[1]
        self.conn: socket.socket | None = None
        self.guard = threading.Lock()
        self.inboxes: list[bytearray] = []

    def end(self) -> ReaderEnd:
        inbox = bytearray()
        with self.guard:
            self.inboxes.append(inbox)
        return ReaderEnd(self, inbox)

    def pump(self) -> None:
        """What the control panel sent, copied to every reader (under ``guard``)."""
        if self.conn is None:
            try:
                self.conn, _ = self.server.accept()
            except BlockingIOError:
                return
            self.conn.setblocking(False)
            self.conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
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
        with self.guard:
            if self.conn is not None:
                self.conn.close()
            self.server.close()


class ReaderEnd:
    """One reader's end of the line (libosdp calls it from the reader's own thread)."""

    def __init__(self, line: Line, inbox: bytearray) -> None:
        self.line = line
        self.inbox = inbox

    def read(self, max_bytes: int) -> bytes:
        with self.line.guard:
            self.line.pump()
            data = bytes(self.inbox[:max_bytes])
            del self.inbox[:max_bytes]
            return data

    def write(self, buf: bytes) -> int:
        with self.line.guard:
            self.line.send(buf)
        return len(buf)

    def flush(self) -> None:
        with self.line.guard:
            self.inbox.clear()


# --- the readers ---------------------------------------------------------------------------------


class Reader:
    """A libosdp PD: presents cards and keys, and tells the waiting read what it was answered."""

    def __init__(self, ident: str, line: Line) -> None:
        self.ident = ident
        info = osdp.PDInfo(ADDRESS[ident], line.end(), scbk=key_of(ident), flags=[osdp.LibFlag.EnforceSecure])
        self.pd = osdp.PeripheralDevice(
            info, osdp.PDCapabilities(CAPABILITIES), log_level=osdp.LogLevel.Error, command_handler=self._command
        )
        self.pulse: Waiter | None = None
        """The read waiting for this reader's strike output to pulse."""
        self.red: Waiter | None = None
        self.prompt: Waiter | None = None

    def _command(self, command: dict[str, Any]) -> tuple[int, dict[str, Any] | None]:
        kind = command.get("command")
        if kind == _OUTPUT and command.get("control_code") == signals.OUTPUT_TEMPORARY_ON:
            _tell(self.pulse, unlocked=True)
        elif kind == _LED and command.get("on_color") == _RED:
            _tell(self.red, unlocked=False)
        elif kind == _LED and command.get("on_color") == _AMBER:
            _tell(self.prompt, unlocked=False)
        elif kind == _STATUS:
            return 0, {"command": _STATUS, "type": command["type"], "report": bytes([0, 0])}
        return 0, None

    def card(self, data: bytes) -> None:
        self.pd.submit_event({"event": _CARD_READ, "reader_no": 0, "direction": 0,
                              "format": osdp.CardFormat.Wiegand, "length": len(data) * 8, "data": data})  # fmt: skip

    def keys(self, keys: bytes) -> None:
        self.pd.submit_event({"event": _KEY_PRESS, "reader_no": 0, "data": keys})


def _tell(waiter: Waiter | None, *, unlocked: bool) -> None:
    if waiter is not None:
        waiter.answer(unlocked)


class Readers:
    """The site's five readers, each on its line; presents reads one at a time per door."""

    def __init__(self) -> None:
        self.lines = {ident: Line() for ident in READERS}
        self.readers = {ident: Reader(ident, line) for ident, line in self.lines.items()}

    def start(self) -> None:
        for reader in self.readers.values():
            reader.pd.start()

    def stop(self) -> None:
        for reader in self.readers.values():
            reader.pd.stop()
        for line in self.lines.values():
            line.close()

    def wait_secure(self) -> None:
        deadline = time.monotonic() + READY_WAIT_S
        while not all(reader.pd.is_sc_active() for reader in self.readers.values()):
            if time.monotonic() > deadline:
                raise RuntimeError("the readers did not open their secure channels with the control panel")
            time.sleep(0.1)

    def present(self, read: CardRead) -> Answered | None:
        at, lock = self.readers[read.reader], self.readers[LOCK_READER[read.door]]
        if read.reader in OUTSIDE:
            prompted = Waiter()
            at.prompt = prompted
            at.card(read.card)
            if prompted.wait(time.perf_counter(), ANSWER_WAIT_S) is None:
                return None
            at.prompt = None
        waiter = Waiter()
        lock.pulse = at.red = waiter
        began = time.perf_counter()
        if read.reader in OUTSIDE:
            at.keys((read.pin or "").encode() + HASH_KEY)
        else:
            at.card(read.card)
        answered = waiter.wait(began, ANSWER_WAIT_S)
        lock.pulse = at.red = None
        return answered


# --- the bare panel ------------------------------------------------------------------------------


class BarePanel:
    """A libosdp control panel for the reader on one line, refreshed in a thread of its own."""

    def __init__(self, reader: str, port: int, panels: dict[str, BarePanel]) -> None:
        self.reader = reader
        self.panels = panels
        self.link = TcpLink(TcpLine("127.0.0.1", port))
        self.ctx = osdp_sys.ControlPanel([_pd_info(reader, self.link)])
        self.ctx.set_event_callback(self._event)
        self.guard = threading.RLock()
        """Held around a refresh; the event callback, inside one, may submit to its own panel."""
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"bench-bare-cp-{reader}", daemon=True)

    def submit(self, command: OsdpCommand) -> None:
        with self.guard:
            self.ctx.submit_command(0, command)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(5)
        self.link.close()

    def _run(self) -> None:
        while not self.stopping.is_set():
            with self.guard:
                self.ctx.refresh()
            self.stopping.wait(REFRESH_S)

    def _event(self, _: int, event: dict[str, Any]) -> int:
        """Answered at once: the PIN prompt after a card at an outside reader, else the strike's pulse."""
        kind, data = event.get("event"), event.get("data", b"")
        if kind == _CARD_READ and self.reader in OUTSIDE:
            self.submit(signals.prompt(PIN_WAIT_S)[0])
        elif kind == _CARD_READ or (kind == _KEY_PRESS and isinstance(data, bytes) and data.endswith(HASH_KEY)):
            self.panels[LOCK_READER[DOORS[self.reader]]].submit(signals.pulse(0, UNLOCK_S))
        return 0


def _pd_info(reader: str, link: TcpLink) -> dict[str, object]:
    """As the driver's bus describes a reader to libosdp: secure channel enforced, its own key, and
    9600 baud (what the driver gives a TCP line, which has no speed of its own)."""
    return {"name": reader[:16], "address": ADDRESS[reader], "flags": osdp.LibFlag.EnforceSecure,
            "scbk": key_of(reader), "channel": link, "baud_rate": 9600, "version": 0, "model": 0,
            "vendor_code": 0, "serial_number": 0, "firmware_version": 0}  # fmt: skip


@contextmanager
def bare() -> Iterator[Readers]:
    readers = Readers()
    panels: dict[str, BarePanel] = {}
    panels |= {ident: BarePanel(ident, line.port, panels) for ident, line in readers.lines.items()}
    readers.start()
    for panel in panels.values():
        panel.start()
    try:
        readers.wait_secure()
        yield readers
    finally:
        for panel in panels.values():
            panel.stop()
        readers.stop()


def driver_entries(readers: Readers) -> list[dict[str, object]]:
    """The ``osdp`` devices configuration of the five readers, each on its line."""
    entries: list[dict[str, object]] = []
    for reader in READERS:
        line = {"type": "tcp", "host": "127.0.0.1", "port": readers.lines[reader].port}
        entry: dict[str, object] = {"id": reader, "address": ADDRESS[reader], "scbk": key_of(reader).hex(),
                                    "channel": line}  # fmt: skip
        if reader in OUTSIDE:
            entry |= {"lock_output": 0, "pin_wait_s": PIN_WAIT_S}
        entries.append(entry)
    return entries


@contextmanager
def through_gatewatch(url: str) -> Iterator[tuple[Readers, TimedDoors]]:
    """The readers, and gatewatch's ``osdp`` driver as their control panel, on the record at ``url``."""
    readers = Readers()
    driver = OsdpDriver(osdp_readers(driver_entries(readers)), DOORS)
    readers.start()
    try:
        with gatewatch_behind(driver, url) as doors:
            readers.wait_secure()
            yield readers, doors
    finally:
        readers.stop()
