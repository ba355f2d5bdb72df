"""The OSDP driver's configuration: one entry per reader (an OSDP peripheral device, PD).

Built by ``osdp_readers`` from the ``osdp`` list of a site's devices (mappings read from YAML);
every value is checked and bounded, and an error names the device and the field::

    - id: inner-out            # the site file's reader id
      address: 3               # the PD's OSDP address on its line, 0..126
      channel: {type: serial, path: /dev/ttyUSB0, baud: 9600}   # or {type: tcp, host: ..., port: ...}
      scbk: 00112233445566778899aabbccddeeff   # this reader's secure channel base key, 32 hex digits
      install_mode: false      # true only while the reader is being given its key (docs/devices-osdp.md)
      lock_output: 0           # the PD's output that drives the door's strike; absent: it drives none
      card_number: hex         # hex, decimal or h10301: how card data becomes a credential id
      card_prefix: ""          # put before the card number
      pin_wait_s: 0            # > 0: after a card, wait this long for a PIN ended by '#'
      keypad_prefix: pin-      # a keypad entry NUMBER*PIN# presents the credential pin-NUMBER

Readers that share a channel share one OSDP line (an RS-485 multi-drop bus): one control panel
polls them all, and their addresses must differ.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from gatewatch.devices.osdp.fields import Fields, OsdpConfigError, kind

ADDRESS_HIGHEST = 126
"""OSDP addresses are 7 bits; 127 (0x7F) is the broadcast address, never a device's."""

BAUDS = (9600, 19200, 38400, 57600, 115200, 230400)
"""The line speeds OSDP devices offer (9600 is every reader's factory setting)."""

READERS_MOST = 1_000
"""Readers one driver works: eight full RS-485 lines; a larger site runs more lines per driver
configuration, or splits them."""

OUTPUT_HIGHEST = 255
PIN_WAIT_MOST_S = 30.0
PREFIX_CHARS = 50

SCBK_D = bytes(range(0x30, 0x40))
"""The default secure channel base key every PD accepts in install mode (IEC 60839-11-5)."""

CardNumber = Literal["hex", "decimal", "h10301"]
CARD_NUMBERS: tuple[CardNumber, ...] = ("hex", "decimal", "h10301")

_HEX_KEY = re.compile(r"^[0-9a-fA-F]{32}$")
_HOST = re.compile(r"^[A-Za-z0-9.:\[\]_-]{1,253}$")


@dataclass(frozen=True, slots=True)
class SerialLine:
    """An RS-485 line behind a serial device (a USB adapter: ``/dev/ttyUSB0``)."""

    path: str
    baud: int = 9600

    def describe(self) -> str:
        return f"{self.path} at {self.baud} baud"


@dataclass(frozen=True, slots=True)
class TcpLine:
    """An OSDP line reached over TCP (a serial server on the line, or a test's devices)."""

    host: str
    port: int

    def describe(self) -> str:
        return f"tcp {self.host}:{self.port}"


Line = SerialLine | TcpLine


@dataclass(frozen=True, slots=True)
class OsdpReaderConfig:
    """One reader: where it is on which line, its key, its lock output and its conventions."""

    id: str
    address: int
    channel: Line
    scbk: bytes = field(repr=False)
    install_mode: bool = False
    lock_output: int | None = None
    card_number: CardNumber = "hex"
    card_prefix: str = ""
    pin_wait_s: float = 0.0
    keypad_prefix: str = "pin-"


def osdp_readers(raw: Sequence[Mapping[str, object]]) -> tuple[OsdpReaderConfig, ...]:
    """The ``osdp`` readers of a site's devices, checked; raises ``OsdpConfigError`` (a ``ValueError``)."""
    if isinstance(raw, str | bytes) or not isinstance(raw, Sequence):
        raise OsdpConfigError("osdp", "readers", f"must be a list of readers, not {kind(raw)}")
    if len(raw) > READERS_MOST:
        raise OsdpConfigError("osdp", "readers", f"must list at most {READERS_MOST}")
    readers: list[OsdpReaderConfig] = []
    for position, entry in enumerate(raw, start=1):
        reader = _reader(entry, position)
        _check_against(reader, readers)
        readers.append(reader)
    return tuple(readers)


def _reader(raw: object, position: int) -> OsdpReaderConfig:
    device = _device_name(raw, position)
    fields = Fields(raw, device)
    ident = fields.required_text("id")
    reader = OsdpReaderConfig(
        id=ident,
        address=fields.required_integer("address", 0, ADDRESS_HIGHEST),
        channel=_line(fields),
        scbk=_scbk(fields),
        install_mode=fields.flag("install_mode", False),
        lock_output=fields.optional_integer("lock_output", 0, OUTPUT_HIGHEST),
        card_number=_card_number(fields),
        card_prefix=fields.text("card_prefix", "", longest=PREFIX_CHARS) or "",
        pin_wait_s=fields.seconds("pin_wait_s", 0.0, 0.0, PIN_WAIT_MOST_S),
        keypad_prefix=fields.text("keypad_prefix", "pin-", longest=PREFIX_CHARS) or "",
    )
    fields.done(KNOWN)
    return reader


KNOWN = (
    "id",
    "address",
    "channel",
    "scbk",
    "install_mode",
    "lock_output",
    "card_number",
    "card_prefix",
    "pin_wait_s",
    "keypad_prefix",
)


def _device_name(raw: object, position: int) -> str:
    ident = raw.get("id") if isinstance(raw, Mapping) else None
    return ident if isinstance(ident, str) and ident.strip() and len(ident) <= 200 else f"osdp reader #{position}"


def _card_number(fields: Fields) -> CardNumber:
    chosen = fields.choice("card_number", "hex", CARD_NUMBERS)
    return next(number for number in CARD_NUMBERS if number == chosen)


def _line(fields: Fields) -> Line:
    inner = Fields(fields.get("channel") or {}, fields.device, "channel")
    if not inner.raw:
        raise fields.fail("channel", "is required: {type: serial, path: /dev/ttyUSB0, baud: 9600} or {type: tcp, ...}")
    line_type = inner.choice("type", "serial", ("serial", "tcp"))
    line: Line
    if line_type == "serial":
        path = inner.required_text("path", longest=4096)
        if not path.startswith("/"):
            raise inner.fail("path", f"must be a device's absolute path (/dev/ttyUSB0), not {path!r}")
        baud = inner.integer("baud", 9600, min(BAUDS), max(BAUDS))
        if baud not in BAUDS:
            raise inner.fail("baud", f"must be one of {', '.join(map(str, BAUDS))}")
        line = SerialLine(path=path, baud=baud or 9600)
    else:
        host = inner.required_text("host", longest=253)
        if not _HOST.match(host):
            raise inner.fail("host", f"{host!r} is not a host name or address")
        line = TcpLine(host=host, port=inner.required_integer("port", 1, 65535))
    inner.done(("type", "path", "baud") if line_type == "serial" else ("type", "host", "port"))
    return line


def _scbk(fields: Fields) -> bytes:
    value = fields.get("scbk")
    if value is None:
        raise fields.fail("scbk", "is required: the reader's secure channel base key, 32 hex digits")
    if not isinstance(value, str) or not _HEX_KEY.match(value):
        raise fields.fail("scbk", "must be 32 hex digits (a 128-bit key)")
    key = bytes.fromhex(value)
    if key == SCBK_D:
        raise fields.fail("scbk", "is the default install key (SCBK-D): give the reader a key of its own")
    if len(set(key)) == 1:
        raise fields.fail("scbk", "is one byte repeated: make a random key (docs/devices-osdp.md)")
    return key


def _check_against(reader: OsdpReaderConfig, earlier: Sequence[OsdpReaderConfig]) -> None:
    for other in earlier:
        if other.id == reader.id:
            raise OsdpConfigError(reader.id, "id", "is configured twice")
        if not _same_line(other.channel, reader.channel):
            continue
        if (
            isinstance(other.channel, SerialLine)
            and isinstance(reader.channel, SerialLine)
            and other.channel.baud != reader.channel.baud
        ):
            raise OsdpConfigError(
                reader.id, "channel.baud", f"differs from {other.id}'s on the same line ({other.channel.baud})"
            )
        if other.address == reader.address:
            where = reader.channel.describe()
            raise OsdpConfigError(reader.id, "address", f"{reader.address} is {other.id}'s on {where}")


def line_key(line: Line) -> tuple[str, str]:
    """What makes two readers share a line: the serial device, or the TCP endpoint."""
    if isinstance(line, SerialLine):
        return ("serial", line.path)
    return ("tcp", f"{line.host}:{line.port}")


def _same_line(one: Line, other: Line) -> bool:
    return line_key(one) == line_key(other)
