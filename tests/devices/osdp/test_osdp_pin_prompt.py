"""A PIN keyed in one go is answered without a prompt per digit: each prompt would be one more
command on the line ahead of the strike's pulse."""

from __future__ import annotations

from collections.abc import Callable

from osdp_support import AMBER, KEY, Reader, RecordingDesk, TcpLine, answering, is_led, is_pulse, reader_entry

from gatewatch.devices.base import DeviceStatus
from gatewatch.devices.osdp import OsdpDriver

CARD = bytes([0x12, 0x34, 0x56, 0xC0])


def test_digits_and_hash_in_one_read_go_with_the_card_after_a_single_prompt(
    line: TcpLine, readers: Callable[..., Reader], drivers: Callable[..., OsdpDriver]
) -> None:
    pd = readers(line.pd_channel(), 1, KEY)
    desk = RecordingDesk(answering("outer", granted=True))
    drivers(desk, [reader_entry("outer-out", line.port, 1, lock_output=0, pin_wait_s=10)], {"outer-out": "outer"})
    desk.wait_status("outer-out", DeviceStatus.ONLINE)

    pd.present_card(CARD, 26)
    prompted = pd.wait_command(is_led(AMBER), "the amber PIN prompt")
    pd.press(b"2580\r")
    pulsed = pd.wait_command(is_pulse, "the lock pulsed", after=prompted + 1)

    assert desk.badges == [("outer-out", "048d15b", "2580")]
    between = pd.commands()[prompted + 1 : pulsed]
    assert not any(is_led(AMBER)(command) for command in between), between
