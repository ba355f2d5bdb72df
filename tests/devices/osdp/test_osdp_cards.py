"""How card data becomes a credential id, by each reader's convention."""

from __future__ import annotations

import pytest

from gatewatch.devices.osdp.cards import CardRead, credential_of

READ_26 = CardRead(bits=26, data=bytes([0x12, 0x34, 0x56, 0x40]))
"""26 bits, most significant first, six zero bits of padding: the number 0x48D159."""

HID_18_41302 = CardRead(bits=26, data=bytes([0x09, 0x50, 0xAB, 0x00]))
"""An H10301 card printed "18 41302": even parity, facility 18, card 41302, odd parity."""


def test_hex_is_the_bits_as_one_number_padded_to_whole_hex_digits() -> None:
    assert credential_of(READ_26, "hex") == "048d159"


def test_decimal_is_the_same_number_in_decimal() -> None:
    assert credential_of(READ_26, "decimal") == "4772185"


def test_the_prefix_goes_before_the_number() -> None:
    assert credential_of(READ_26, "hex", "card-") == "card-048d159"


def test_h10301_is_facility_and_card_number() -> None:
    assert credential_of(HID_18_41302, "h10301") == "18-41302"


def test_h10301_refuses_a_read_whose_parity_fails() -> None:
    flipped = CardRead(bits=26, data=bytes([0x09, 0x50, 0xAB, 0x40]))  # the last (odd parity) bit flipped

    assert credential_of(flipped, "h10301") is None
    assert credential_of(flipped, "hex") == "02542ad"


def test_h10301_refuses_a_read_of_another_length() -> None:
    assert credential_of(CardRead(bits=32, data=bytes(4)), "h10301") is None


@pytest.mark.parametrize(
    "read",
    [
        CardRead(bits=0, data=b""),
        CardRead(bits=26, data=bytes(3)),  # too few bytes for 26 bits
        CardRead(bits=26, data=bytes([0x12, 0x34, 0x56, 0x41])),  # a padding bit set
        CardRead(bits=513, data=bytes(65)),  # more than OSDP carries
    ],
)
def test_a_read_whose_bytes_do_not_hold_its_bits_is_unreadable(read: CardRead) -> None:
    assert credential_of(read, "hex") is None


def test_an_ascii_read_is_its_text_whatever_the_convention() -> None:
    read = CardRead(bits=0, data=b"E-2041", text=True)

    assert credential_of(read, "decimal", "badge-") == "badge-E-2041"


@pytest.mark.parametrize("data", [b"", b"   ", b"\x01\x02", "é".encode()])
def test_an_ascii_read_without_printable_text_is_unreadable(data: bytes) -> None:
    assert credential_of(CardRead(bits=0, data=data, text=True), "hex") is None


def test_an_id_longer_than_any_id_is_unreadable() -> None:
    read = CardRead(bits=0, data=b"7" * 190, text=True)

    assert credential_of(read, "hex", "p" * 11) is None
    assert credential_of(read, "hex", "p" * 10) == "p" * 10 + "7" * 190
