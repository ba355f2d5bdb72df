"""How the data of a card read becomes a credential id: one convention per reader.

An OSDP reader reports a card as raw bits (Wiegand or unspecified format: ``bits`` bits, most
significant first, packed into bytes and padded with zeros at the end) or as ASCII text.

- ``hex`` (the default): the bits as one number in lower-case hex, zero-padded to
  ``ceil(bits / 4)`` digits: the 26 bits of ``12 34 56 40`` -> ``"048d159"``. Every card has one.
- ``decimal``: the same number in decimal: ``"4772185"``.
- ``h10301``: a 26-bit HID card as its printed facility code and card number,
  ``"FACILITY-NUMBER"`` (``"18-41302"``), its two parity bits checked; any other read is unreadable.

An ASCII read (a reader that sends the number as text) is the text itself, whatever the
convention. The reader's ``card_prefix`` goes before the result. A read that yields no id
(empty, padded wrongly, parity failing, not printable, too long) is unreadable: ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass

from gatewatch.core import limits
from gatewatch.devices.osdp.config import CardNumber

BITS_MOST = 64 * 8
"""OSDP carries at most 64 bytes of card data in one read."""


@dataclass(frozen=True, slots=True)
class CardRead:
    """A card read as the PD reported it: raw ``bits`` of ``data``, or ``text`` for ASCII."""

    bits: int
    data: bytes
    text: bool = False


def credential_of(read: CardRead, number: CardNumber, prefix: str = "") -> str | None:
    """The credential id the read presents at a reader of this convention, or None (unreadable)."""
    if read.text:
        ident = _text(read.data)
    else:
        value = _value(read)
        ident = None if value is None else _formatted(value, read.bits, number)
    if ident is None:
        return None
    credential = prefix + ident
    return credential if len(credential) <= limits.ID_CHARS else None


def _text(data: bytes) -> str | None:
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        return None
    text = text.strip()
    return text if text and text.isprintable() else None


def _value(read: CardRead) -> int | None:
    """The read's bits as one unsigned number, or None when the bytes do not hold them."""
    if not 0 < read.bits <= BITS_MOST:
        return None
    size = (read.bits + 7) // 8
    if len(read.data) != size:
        return None
    whole = int.from_bytes(read.data, "big")
    padding = size * 8 - read.bits
    if whole & ((1 << padding) - 1):
        return None
    return whole >> padding


def _formatted(value: int, bits: int, number: CardNumber) -> str | None:
    if number == "hex":
        return f"{value:0{(bits + 3) // 4}x}"
    if number == "decimal":
        return str(value)
    return _h10301(value, bits)


def _h10301(value: int, bits: int) -> str | None:
    """HID H10301: even parity over the first 13 bits, odd over the last 13; 8-bit facility
    code and 16-bit card number between them."""
    if bits != 26:
        return None
    first, last = value >> 13, value & 0x1FFF
    if first.bit_count() % 2 != 0 or last.bit_count() % 2 != 1:
        return None
    facility = (value >> 17) & 0xFF
    card = (value >> 1) & 0xFFFF
    return f"{facility}-{card}"
