"""What a reader's card and keys present, by the keypad conventions."""

from __future__ import annotations

import pytest

from gatewatch.devices.osdp.keypad import KEYS_MOST, KEYS_WAIT_S, Keypad, Presented, Refused, Waiting

STAR, HASH = b"\x7f", b"\r"


def test_without_a_pin_wait_a_card_is_presented_at_once() -> None:
    keypad = Keypad(pin_wait_s=0, keypad_prefix="pin-")

    assert keypad.present_card("048d159", now=100.0) == Presented("048d159")
    assert keypad.deadline() is None


def test_a_pin_ended_by_hash_goes_with_the_card() -> None:
    keypad = Keypad(pin_wait_s=5, keypad_prefix="pin-")

    assert keypad.present_card("048d159", now=100.0) == Waiting(105.0)
    assert keypad.press(b"12", now=101.0) == [Waiting(106.0), Waiting(106.0)]
    assert keypad.press(b"34" + HASH, now=102.0) == [Waiting(107.0), Waiting(107.0), Presented("048d159", "1234")]
    assert keypad.deadline() is None


def test_ascii_star_and_hash_work_as_osdp_ones() -> None:
    keypad = Keypad(pin_wait_s=5, keypad_prefix="pin-")
    keypad.present_card("c1", now=0.0)

    outcomes = keypad.press(b"99*1234#", now=1.0)

    assert outcomes[-1] == Presented("c1", "1234")


def test_hash_alone_presents_the_card_without_a_pin() -> None:
    keypad = Keypad(pin_wait_s=5, keypad_prefix="pin-")
    keypad.present_card("c1", now=0.0)

    assert keypad.press(HASH, now=1.0) == [Presented("c1")]


def test_when_the_wait_runs_out_the_card_is_presented_without_a_pin() -> None:
    keypad = Keypad(pin_wait_s=5, keypad_prefix="pin-")
    keypad.present_card("c1", now=0.0)
    keypad.press(b"12", now=2.0)

    assert keypad.expire(now=6.9) is None
    assert keypad.expire(now=7.0) == Presented("c1")
    assert keypad.deadline() is None


def test_a_pin_of_the_wrong_length_is_refused() -> None:
    keypad = Keypad(pin_wait_s=5, keypad_prefix="pin-")
    keypad.present_card("c1", now=0.0)

    assert keypad.press(b"123" + HASH, now=1.0)[-1] == Refused("a PIN is 4 to 12 digits")


def test_a_new_card_replaces_the_one_held() -> None:
    keypad = Keypad(pin_wait_s=5, keypad_prefix="pin-")
    keypad.present_card("c1", now=0.0)
    keypad.press(b"11", now=1.0)
    keypad.present_card("c2", now=2.0)

    assert keypad.press(b"2222" + HASH, now=3.0)[-1] == Presented("c2", "2222")


def test_number_star_pin_hash_presents_a_pin_credential() -> None:
    keypad = Keypad(pin_wait_s=0, keypad_prefix="pin-")

    assert keypad.press(b"42" + STAR + b"9876" + HASH, now=0.0) == [Presented("pin-42", "9876")]


@pytest.mark.parametrize(
    ("keys", "why"),
    [
        (b"1234" + HASH, "a PIN credential is keyed NUMBER*PIN#"),
        (STAR + b"1234" + HASH, "a PIN credential is keyed NUMBER*PIN#"),
        (b"4" + STAR + b"12" + STAR + b"34" + HASH, "a PIN credential is keyed NUMBER*PIN#"),
        (b"4" + STAR + b"123" + HASH, "a PIN is 4 to 12 digits"),
        (b"1" * 21 + STAR + b"1234" + HASH, "a credential number is at most 20 digits"),
    ],
)
def test_an_entry_that_does_not_fit_is_refused(keys: bytes, why: str) -> None:
    keypad = Keypad(pin_wait_s=0, keypad_prefix="pin-")

    assert keypad.press(keys, now=0.0) == [Refused(why)]


def test_hash_with_nothing_keyed_does_nothing() -> None:
    assert Keypad(pin_wait_s=0, keypad_prefix="pin-").press(HASH, now=0.0) == []


def test_too_many_keys_are_refused_and_forgotten() -> None:
    keypad = Keypad(pin_wait_s=0, keypad_prefix="pin-")

    outcomes = keypad.press(b"1" * (KEYS_MOST + 1), now=0.0)

    assert outcomes == [Refused("too many keys")]
    assert keypad.deadline() is None


def test_keys_without_a_card_are_forgotten_after_a_while() -> None:
    keypad = Keypad(pin_wait_s=0, keypad_prefix="pin-")
    keypad.press(b"42" + STAR + b"98", now=0.0)

    assert keypad.expire(now=KEYS_WAIT_S) is None
    assert keypad.press(b"76" + HASH, now=KEYS_WAIT_S + 1) == [Refused("a PIN credential is keyed NUMBER*PIN#")]


def test_other_keys_are_ignored() -> None:
    keypad = Keypad(pin_wait_s=0, keypad_prefix="")

    assert keypad.press(b"4\x002" + STAR + b"12A34" + HASH, now=0.0) == [Presented("42", "1234")]
