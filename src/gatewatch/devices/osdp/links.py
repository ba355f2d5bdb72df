"""The byte streams libosdp speaks over: a serial device (RS-485 adapter) or a TCP connection.

libosdp calls ``read``, ``write`` and ``flush`` from its refresh thread and must never see an
exception (it would be left pending inside the C library): a link that cannot reach its line
reads nothing and writes nothing, and tries to open again at most every ``REOPEN_S``. libosdp
then sees a silent device and reports it offline, which the driver turns into ``offline``.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import select
import socket
import termios
import time
from pathlib import Path
from typing import Protocol

from gatewatch.devices.osdp.config import Line, SerialLine, TcpLine

log = logging.getLogger(__name__)

REOPEN_S = 2.0
"""How often a link that lost its device or connection tries to open it again."""

WRITE_WAIT_S = 0.5
"""How long a write may wait for the line to take its bytes (a packet is at most 256 bytes:
0.3 s at 9600 baud)."""

CONNECT_WAIT_S = 1.0

_BAUD_FLAGS = {
    9600: termios.B9600,
    19200: termios.B19200,
    38400: termios.B38400,
    57600: termios.B57600,
    115200: termios.B115200,
    230400: termios.B230400,
}


class Link(Protocol):
    """What libosdp asks of a channel."""

    def read(self, max_bytes: int) -> bytes: ...

    def write(self, buf: bytes) -> int: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...


def link_for(line: Line) -> Link:
    if isinstance(line, SerialLine):
        return SerialLink(line)
    return TcpLink(line)


class _Reopening:
    """A file descriptor opened on first use and again after a failure, at most every ``REOPEN_S``."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.fd: int | None = None
        self.next_try = 0.0
        self.failed = False

    def _open(self) -> int:
        raise NotImplementedError

    def flush(self) -> None:
        raise NotImplementedError

    def current(self) -> int | None:
        if self.fd is not None:
            return self.fd
        now = time.monotonic()
        if now < self.next_try:
            return None
        self.next_try = now + REOPEN_S
        try:
            self.fd = self._open()
        except OSError as error:
            if not self.failed:
                log.warning("osdp: cannot open %s: %s (trying again every %g s)", self.what, error, REOPEN_S)
            self.failed = True
            return None
        if self.failed:
            log.info("osdp: %s open again", self.what)
        self.failed = False
        return self.fd

    def lost(self, error: OSError) -> None:
        log.warning("osdp: %s lost: %s", self.what, error)
        self.failed = True
        self.close()

    def close(self) -> None:
        fd, self.fd = self.fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                self._discard_fd(fd)

    def _discard_fd(self, fd: int) -> None:
        os.close(fd)

    def read(self, max_bytes: int) -> bytes:
        fd = self.current()
        if fd is None:
            return b""
        try:
            return self._read(fd, max_bytes)
        except BlockingIOError:
            return b""
        except OSError as error:
            self.lost(error)
            return b""

    def write(self, buf: bytes) -> int:
        fd = self.current()
        if fd is None:
            return 0
        written = 0
        deadline = time.monotonic() + WRITE_WAIT_S
        try:
            while written < len(buf):
                try:
                    written += self._write(fd, buf[written:])
                except BlockingIOError:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        break
                    select.select([], [fd], [], left)
        except OSError as error:
            self.lost(error)
        return written

    def _read(self, fd: int, max_bytes: int) -> bytes:
        return os.read(fd, max_bytes)

    def _write(self, fd: int, data: bytes) -> int:
        return os.write(fd, data)


class SerialLink(_Reopening):
    """A serial device in raw mode, 8 data bits, no parity, 1 stop bit (OSDP's framing), non-blocking."""

    def __init__(self, line: SerialLine) -> None:
        super().__init__(line.describe())
        self.line = line

    def _open(self) -> int:
        fd = os.open(self.line.path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        try:
            _raw_8n1(fd, _BAUD_FLAGS[self.line.baud])
        except (OSError, termios.error) as error:
            os.close(fd)
            raise OSError(errno.EIO, f"cannot set {self.line.baud} baud, 8N1: {error}") from error
        return fd

    def _read(self, fd: int, max_bytes: int) -> bytes:
        data = os.read(fd, max_bytes)
        if not data and not Path(self.line.path).exists():
            raise OSError(errno.ENODEV, "the device is gone")
        return data

    def flush(self) -> None:
        fd = self.fd
        if fd is None:
            return
        try:
            termios.tcflush(fd, termios.TCIFLUSH)
        except (OSError, termios.error) as error:
            self.lost(OSError(errno.EIO, str(error)))


def _raw_8n1(fd: int, speed: int) -> None:
    iflag, oflag, cflag, lflag, _, _, cc = termios.tcgetattr(fd)
    iflag &= ~(
        termios.IGNBRK
        | termios.BRKINT
        | termios.PARMRK
        | termios.ISTRIP
        | termios.INLCR
        | termios.IGNCR
        | termios.ICRNL
        | termios.IXON
        | termios.IXOFF
        | termios.IXANY
    )
    oflag &= ~termios.OPOST
    lflag &= ~(termios.ECHO | termios.ECHONL | termios.ICANON | termios.ISIG | termios.IEXTEN)
    cflag &= ~(termios.CSIZE | termios.PARENB | termios.CSTOPB | termios.CRTSCTS)
    cflag |= termios.CS8 | termios.CREAD | termios.CLOCAL
    cc[termios.VMIN] = 0
    cc[termios.VTIME] = 0
    termios.tcsetattr(fd, termios.TCSANOW, [iflag, oflag, cflag, lflag, speed, speed, cc])
    termios.tcflush(fd, termios.TCIOFLUSH)


class TcpLink(_Reopening):
    """A TCP connection to the line (a serial device server), connected again when it drops."""

    def __init__(self, line: TcpLine) -> None:
        super().__init__(line.describe())
        self.line = line
        self.sock: socket.socket | None = None

    def _open(self) -> int:
        sock = socket.create_connection((self.line.host, self.line.port), timeout=CONNECT_WAIT_S)
        sock.setblocking(False)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = sock
        return sock.fileno()

    def _discard_fd(self, fd: int) -> None:
        sock, self.sock = self.sock, None
        if sock is not None:
            sock.close()

    def _read(self, fd: int, max_bytes: int) -> bytes:
        assert self.sock is not None
        data = self.sock.recv(max_bytes)
        if not data:
            raise ConnectionResetError(errno.ECONNRESET, "closed by the other end")
        return data

    def _write(self, fd: int, data: bytes) -> int:
        assert self.sock is not None
        return self.sock.send(data)

    def flush(self) -> None:
        while self.sock is not None and self.read(4096):
            pass
