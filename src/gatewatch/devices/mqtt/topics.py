"""The topic scheme and the payloads, shared by the driver and the reference controller.

Every topic is ``<prefix>/<kind>/<id>/<leaf>``; ``docs/devices-mqtt.md`` is the contract for
firmware. A payload is at most ``PAYLOAD_BYTES``; JSON payloads are decoded into the bounded
types below, refusing unknown fields, so nothing unchecked reaches the desk or a lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Literal, TypeVar

import msgspec

from gatewatch.core import bounded as b
from gatewatch.core import limits

PAYLOAD_BYTES = 1024
"""The largest payload either side accepts: a read is under 300 bytes, a detail text is cut."""

DETAIL_CHARS = 200
"""A tamper or fault detail is cut to this many characters."""

Ref = Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")]
"""A read's reference, chosen by the controller and given back with the answer to it."""

UnlockSeconds = Annotated[float, msgspec.Meta(gt=0, le=limits.SECONDS_HIGHEST)]


class Leaf(StrEnum):
    READ = "read"
    SIGNAL = "signal"
    CONTACT = "contact"
    EXIT = "exit"
    COMMAND = "command"
    LOCK = "lock"
    STATUS = "status"
    HEARTBEAT = "heartbeat"
    TAMPER = "tamper"
    FAULT = "fault"


KINDS: dict[Leaf, str] = {
    Leaf.READ: "reader",
    Leaf.SIGNAL: "reader",
    Leaf.CONTACT: "door",
    Leaf.EXIT: "door",
    Leaf.COMMAND: "door",
    Leaf.LOCK: "door",
    Leaf.STATUS: "controller",
    Leaf.HEARTBEAT: "controller",
    Leaf.TAMPER: "device",
    Leaf.FAULT: "device",
}
"""Each leaf under the kind of thing its id names."""

FROM_CONTROLLERS = (
    Leaf.READ,
    Leaf.CONTACT,
    Leaf.EXIT,
    Leaf.LOCK,
    Leaf.STATUS,
    Leaf.HEARTBEAT,
    Leaf.TAMPER,
    Leaf.FAULT,
)
"""What gatewatch subscribes to."""

ONLINE = "online"
OFFLINE = "offline"
OPEN = "open"
CLOSED = "closed"
LOCKED = "locked"
UNLOCKED = "unlocked"


@dataclass(frozen=True, slots=True)
class Topic:
    """A topic taken apart: ``leaf`` of the thing ``ident``."""

    leaf: Leaf
    ident: str


@dataclass(frozen=True, slots=True)
class Topics:
    """The topics under one prefix."""

    prefix: str

    def of(self, leaf: Leaf, ident: str) -> str:
        return f"{self.prefix}/{KINDS[leaf]}/{ident}/{leaf.value}"

    def gatewatch_status(self) -> str:
        """gatewatch's own presence: ``online``, or ``offline`` (its last will), retained."""
        return f"{self.prefix}/gatewatch/status"

    def wildcard(self, leaf: Leaf) -> str:
        return f"{self.prefix}/{KINDS[leaf]}/+/{leaf.value}"

    def parse(self, topic: str) -> Topic | None:
        """The leaf and id of a topic under this prefix; None for any other topic."""
        start = f"{self.prefix}/"
        if not topic.startswith(start):
            return None
        parts = topic[len(start) :].split("/")
        if len(parts) != 3 or not parts[1]:
            return None
        kind, ident, leaf = parts
        if leaf not in Leaf.__members__.values() or KINDS[Leaf(leaf)] != kind:
            return None
        return Topic(Leaf(leaf), ident)


class Read(msgspec.Struct, forbid_unknown_fields=True, frozen=True, omit_defaults=True):
    """A card (and PIN) at a reader."""

    credential: b.Id
    pin: b.PinDigits | None = None
    ref: Ref | None = None


class DoorCommand(msgspec.Struct, forbid_unknown_fields=True, frozen=True, omit_defaults=True):
    """``{"unlock_s": N, "ref": ...}`` or ``{"lock": true}``."""

    unlock_s: UnlockSeconds | None = None
    lock: Literal[True] | None = None
    ref: Ref | None = None

    def __post_init__(self) -> None:
        if (self.unlock_s is None) == (self.lock is None):
            raise ValueError("a door command is either unlock_s or lock")


Led = Literal["green", "red"]
Beep = Literal["short", "long"]
Shown = tuple[Led, Beep]


class Signal(msgspec.Struct, forbid_unknown_fields=True, frozen=True, omit_defaults=True):
    """What a reader shows: green and a short beep for a grant, red and a long one for a denial."""

    led: Led
    beep: Beep
    ref: Ref | None = None


GRANTED: Shown = ("green", "short")
DENIED: Shown = ("red", "long")


T = TypeVar("T")


class PayloadError(ValueError):
    """A payload that is too long, not the JSON expected, or out of its bounds."""


def decoded(payload: bytes, kind: type[T]) -> T:
    """A JSON payload as ``kind``, bounded; raises ``PayloadError`` saying what is wrong."""
    if len(payload) > PAYLOAD_BYTES:
        raise PayloadError(f"{len(payload)} bytes, more than {PAYLOAD_BYTES}")
    try:
        return msgspec.json.decode(payload, type=kind)
    except (msgspec.ValidationError, msgspec.DecodeError) as error:
        raise PayloadError(str(error)) from None


def word(payload: bytes, allowed: tuple[str, ...]) -> str:
    """A one-word payload (``open``, ``locked``, ``online``...), one of ``allowed``."""
    text = payload[: PAYLOAD_BYTES + 1].decode("utf-8", "replace").strip()
    if text not in allowed:
        raise PayloadError(f"{text[:40]!r} is not one of {', '.join(allowed)}")
    return text


def detail(payload: bytes) -> str:
    """A tamper or fault detail: printable, cut to ``DETAIL_CHARS``."""
    text = payload[:PAYLOAD_BYTES].decode("utf-8", "replace")
    return "".join(char if char.isprintable() else "?" for char in text).strip()[:DETAIL_CHARS]


def encoded(message: msgspec.Struct) -> bytes:
    return msgspec.json.encode(message)
