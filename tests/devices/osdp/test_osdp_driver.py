"""The OSDP driver against real libosdp readers over a line on loopback, secure channel on."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from osdp_support import (
    AMBER,
    GREEN,
    KEY,
    OTHER_KEY,
    RED,
    PtyChannel,
    Reader,
    RecordingDesk,
    TcpLine,
    answering,
    is_buzzer,
    is_led,
    is_lock,
    is_pulse,
    reader_entry,
)

from gatewatch.devices.base import Answer, DeviceStatus, LockAll, Unlock
from gatewatch.devices.osdp import OsdpConfigError, OsdpDriver, osdp_readers

CARD = bytes([0x12, 0x34, 0x56, 0xC0])
"""A 26-bit read: 0x48D15B, the credential ``048d15b`` by the default (hex) convention."""

CARD_ID = "048d15b"

DOORS = {"outer-out": "outer", "outer-in": "outer"}

Drivers = Callable[..., OsdpDriver]
Readers = Callable[..., Reader]


def test_a_granted_card_unlocks_the_door_with_green_and_one_beep(
    line: TcpLine, readers: Readers, drivers: Drivers
) -> None:
    pd = readers(line.pd_channel(), 1, KEY)
    desk = RecordingDesk(answering("outer", granted=True, unlock_s=4.0))
    drivers(desk, [reader_entry("outer-out", line.port, 1, lock_output=0)], DOORS)
    desk.wait_status("outer-out", DeviceStatus.ONLINE)
    pd.wait_command(is_lock, "the lock set locked on coming online")

    pd.present_card(CARD, 26)

    assert desk.wait_badge() == ("outer-out", CARD_ID, None)
    pulse = pd.received(is_pulse, "the lock pulsed")
    assert (pulse["output_no"], pulse["timer_count"]) == (0, 40)
    green = pd.received(is_led(GREEN), "a green LED")
    assert green["temporary"] is True
    beep = pd.received(is_buzzer(1), "one beep")
    assert beep["on_count"] == 2


@pytest.mark.parametrize(
    "answer",
    [
        Answer(door="outer", granted=False, unlock_s=0.0, recorded=True),
        Answer(door="outer", granted=True, unlock_s=4.0, recorded=False),
        Answer(door="inner", granted=True, unlock_s=4.0, recorded=True),
    ],
    ids=["denied", "granted-but-not-recorded", "granted-for-another-door"],
)
def test_anything_but_a_recorded_grant_for_the_door_shows_red_and_two_beeps_and_never_unlocks(
    answer: Answer, line: TcpLine, readers: Readers, drivers: Drivers
) -> None:
    pd = readers(line.pd_channel(), 1, KEY)
    desk = RecordingDesk(lambda reader, credential, pin: answer)
    drivers(desk, [reader_entry("outer-out", line.port, 1, lock_output=0)], DOORS)
    desk.wait_status("outer-out", DeviceStatus.ONLINE)

    pd.present_card(CARD, 26)

    desk.wait_badge()
    red = pd.wait_command(is_led(RED), "a red LED")
    beeps = pd.wait_command(is_buzzer(2), "two beeps")
    assert not any(is_pulse(command) for command in pd.commands()[: max(red, beeps) + 1])


def test_a_pin_keyed_after_the_card_goes_with_it(line: TcpLine, readers: Readers, drivers: Drivers) -> None:
    pd = readers(line.pd_channel(), 1, KEY)
    desk = RecordingDesk(answering("outer", granted=True))
    drivers(desk, [reader_entry("outer-out", line.port, 1, lock_output=0, pin_wait_s=10)], DOORS)
    desk.wait_status("outer-out", DeviceStatus.ONLINE)

    pd.present_card(CARD, 26)
    pd.wait_command(is_led(AMBER), "the amber PIN prompt")
    pd.press(b"1234\r")

    assert desk.wait_badge() == ("outer-out", CARD_ID, "1234")
    pd.wait_command(is_pulse, "the lock pulsed")


def test_a_pin_credential_is_keyed_as_number_star_pin_hash(line: TcpLine, readers: Readers, drivers: Drivers) -> None:
    pd = readers(line.pd_channel(), 1, KEY)
    desk = RecordingDesk(answering("outer", granted=False))
    drivers(desk, [reader_entry("outer-out", line.port, 1, lock_output=0)], DOORS)
    desk.wait_status("outer-out", DeviceStatus.ONLINE)

    pd.press(b"42\x7f9876\r")

    assert desk.wait_badge() == ("outer-out", "pin-42", "9876")
    pd.wait_command(is_led(RED), "a red LED")


def test_a_desk_that_raises_leaves_the_door_locked(line: TcpLine, readers: Readers, drivers: Drivers) -> None:
    def fails(reader: str, credential: str, pin: str | None) -> Answer:
        raise RuntimeError("the store is gone")

    pd = readers(line.pd_channel(), 1, KEY)
    desk = RecordingDesk(fails)
    drivers(desk, [reader_entry("outer-out", line.port, 1, lock_output=0)], DOORS)
    desk.wait_status("outer-out", DeviceStatus.ONLINE)

    pd.present_card(CARD, 26)

    red = pd.wait_command(is_led(RED), "a red LED")
    assert not any(is_pulse(command) for command in pd.commands()[: red + 1])


def test_a_desk_that_stalls_past_the_deadline_leaves_the_door_locked_even_when_it_grants_late(
    line: TcpLine, readers: Readers, drivers: Drivers
) -> None:
    release = threading.Event()
    grant = answering("outer", granted=True)

    def stalls(reader: str, credential: str, pin: str | None) -> Answer:
        release.wait(timeout=30)
        return grant(reader, credential, pin)

    pd = readers(line.pd_channel(), 1, KEY)
    desk = RecordingDesk(stalls)
    drivers(desk, [reader_entry("outer-out", line.port, 1, lock_output=0)], DOORS, deadline_s=0.5)
    desk.wait_status("outer-out", DeviceStatus.ONLINE)

    pd.present_card(CARD, 26)
    first_red = pd.wait_command(is_led(RED), "a red LED at the deadline")
    release.set()
    desk.wait_answered()
    desk.behaviour = answering("outer", granted=False)
    pd.present_card(CARD, 26)
    second_red = pd.wait_command(is_led(RED), "a red LED for the next card", after=first_red + 1)

    assert not any(is_pulse(command) for command in pd.commands()[: second_red + 1])


def test_a_grant_at_a_reader_opens_the_lock_another_reader_at_the_door_drives(
    line: TcpLine, readers: Readers, drivers: Drivers
) -> None:
    outside = readers(line.pd_channel(), 1, KEY)
    inside = readers(line.pd_channel(), 2, OTHER_KEY)
    desk = RecordingDesk(answering("outer", granted=True, unlock_s=3.0))
    entries = [
        reader_entry("outer-out", line.port, 1, lock_output=1),
        reader_entry("outer-in", line.port, 2, key=OTHER_KEY),
    ]
    drivers(desk, entries, DOORS)
    desk.wait_status("outer-out", DeviceStatus.ONLINE)
    desk.wait_status("outer-in", DeviceStatus.ONLINE)

    inside.present_card(CARD, 26)

    assert desk.wait_badge() == ("outer-in", CARD_ID, None)
    pulse = outside.received(is_pulse, "the lock pulsed")
    assert (pulse["output_no"], pulse["timer_count"]) == (1, 30)
    inside.wait_command(is_led(GREEN), "a green LED at the reader badged")
    assert not any(is_pulse(command) for command in inside.commands())


def test_commands_unlock_a_door_and_lock_every_door(line: TcpLine, readers: Readers, drivers: Drivers) -> None:
    pd = readers(line.pd_channel(), 1, KEY)
    desk = RecordingDesk(answering("outer", granted=False))
    driver = drivers(desk, [reader_entry("outer-out", line.port, 1, lock_output=0)], DOORS)
    desk.wait_status("outer-out", DeviceStatus.ONLINE)
    greeted = pd.wait_command(is_lock, "the lock set locked on coming online")

    driver.command(Unlock(door="outer", seconds=60.0))
    pulse = pd.wait_command(is_pulse, "the lock pulsed")
    driver.command(LockAll())
    locked = pd.wait_command(is_lock, "the lock locked", after=greeted + 1)

    assert pd.commands()[pulse]["timer_count"] == 255, "an unlock is cut to libosdp's longest timer"
    assert locked > pulse


def test_stopping_locks_every_lock(line: TcpLine, readers: Readers) -> None:
    pd = readers(line.pd_channel(), 1, KEY)
    desk = RecordingDesk(answering("outer", granted=False))
    driver = OsdpDriver(osdp_readers([reader_entry("outer-out", line.port, 1, lock_output=0)]), DOORS)
    driver.start(desk)
    desk.wait_status("outer-out", DeviceStatus.ONLINE)
    greeted = pd.wait_command(is_lock, "the lock set locked on coming online")

    driver.stop()

    pd.wait_command(is_lock, "the lock locked at the stop", after=greeted + 1)


def test_a_wrong_key_never_brings_the_reader_online_and_is_reported_as_a_fault(
    line: TcpLine, readers: Readers, drivers: Drivers
) -> None:
    readers(line.pd_channel(), 1, OTHER_KEY)
    desk = RecordingDesk(answering("outer", granted=True))
    drivers(desk, [reader_entry("outer-out", line.port, 1, lock_output=0)], DOORS)

    detail = desk.wait_status("outer-out", DeviceStatus.FAULT)

    assert "secure channel" in detail
    assert all(status != DeviceStatus.ONLINE for _, status, _ in desk.statuses)


def test_a_reader_that_never_answers_is_reported_offline(line: TcpLine, drivers: Drivers) -> None:
    desk = RecordingDesk(answering("outer", granted=True))
    drivers(desk, [reader_entry("outer-out", line.port, 1)], DOORS)

    detail = desk.wait_status("outer-out", DeviceStatus.OFFLINE)

    assert "address 1" in detail


def test_a_serial_device_that_is_not_there_is_reported_offline(drivers: Drivers) -> None:
    desk = RecordingDesk(answering("outer", granted=True))
    entry: dict[str, Any] = {
        **reader_entry("outer-out", 1, 1),
        "channel": {"type": "serial", "path": "/dev/osdp-adapter-not-plugged-in"},
    }
    drivers(desk, [entry], DOORS, online_grace_s=0.5)

    detail = desk.wait_status("outer-out", DeviceStatus.OFFLINE)

    assert detail == "has not answered at address 1 on /dev/osdp-adapter-not-plugged-in at 9600 baud"


def test_reads_from_a_reader_without_a_secure_channel_are_refused(
    line: TcpLine, readers: Readers, drivers: Drivers
) -> None:
    # In install mode the driver tries the reader's key, then the install key; when both fail
    # libosdp brings the reader online without a secure channel.
    pd = readers(line.pd_channel(), 1, OTHER_KEY, secure=False)
    desk = RecordingDesk(answering("outer", granted=True))
    drivers(desk, [reader_entry("outer-out", line.port, 1, lock_output=0, install_mode=True)], DOORS)
    assert "without a secure channel" in desk.wait_status("outer-out", DeviceStatus.FAULT)

    pd.present_card(CARD, 26)

    red = pd.wait_command(is_led(RED), "a red LED")
    assert desk.badges == []
    assert not any(is_pulse(command) for command in pd.commands()[: red + 1])


def test_a_tamper_report_is_reported_and_its_end_too(line: TcpLine, readers: Readers, drivers: Drivers) -> None:
    pd = readers(line.pd_channel(), 1, KEY)
    desk = RecordingDesk(answering("outer", granted=True))
    drivers(desk, [reader_entry("outer-out", line.port, 1)], DOORS)
    desk.wait_status("outer-out", DeviceStatus.ONLINE)

    pd.set_tamper(True)
    desk.wait_status("outer-out", DeviceStatus.TAMPER)
    pd.set_tamper(False)

    desk.wait_status("outer-out", DeviceStatus.ONLINE, count=2)


@pytest.mark.slow
def test_a_reader_that_stops_answering_is_reported_offline_then_online_again(
    line: TcpLine, readers: Readers, drivers: Drivers
) -> None:
    channel = line.pd_channel()
    first = readers(channel, 1, KEY)
    desk = RecordingDesk(answering("outer", granted=True))
    drivers(desk, [reader_entry("outer-out", line.port, 1)], DOORS)
    desk.wait_status("outer-out", DeviceStatus.ONLINE)

    first.stop()
    assert "not answering" in desk.wait_status("outer-out", DeviceStatus.OFFLINE)
    readers(channel, 1, KEY)

    desk.wait_status("outer-out", DeviceStatus.ONLINE, count=2)


def test_install_mode_gives_a_new_reader_its_own_key(line: TcpLine, readers: Readers, drivers: Drivers) -> None:
    channel = line.pd_channel()
    fresh = readers(channel, 1, None, install_mode=True)
    desk = RecordingDesk(answering("outer", granted=True))
    installing = drivers(desk, [reader_entry("outer-out", line.port, 1, install_mode=True)], DOORS)
    desk.wait_status("outer-out", DeviceStatus.ONLINE)

    keyset = fresh.received(lambda c: c.get("data") == KEY, "its key (KEYSET)")
    installing.stop()
    fresh.stop()
    readers(channel, 1, KEY)  # the reader now keeps the key it was given, and enforces it
    after = RecordingDesk(answering("outer", granted=True))
    drivers(after, [reader_entry("outer-out", line.port, 1)], DOORS)

    after.wait_status("outer-out", DeviceStatus.ONLINE)
    assert keyset["type"] == 1


def test_a_reader_on_a_serial_line(readers: Readers, drivers: Drivers) -> None:
    channel = PtyChannel()
    try:
        pd = readers(channel, 5, KEY)
        desk = RecordingDesk(answering("outer", granted=True))
        entry: dict[str, Any] = {
            **reader_entry("outer-out", 1, 5, lock_output=0),
            "channel": {"type": "serial", "path": channel.path, "baud": 115200},
        }
        drivers(desk, [entry], DOORS)
        desk.wait_status("outer-out", DeviceStatus.ONLINE)

        pd.present_card(CARD, 26)

        assert desk.wait_badge() == ("outer-out", CARD_ID, None)
        pd.wait_command(is_pulse, "the lock pulsed")
    finally:
        channel.close()


def test_a_reader_the_site_does_not_have_is_refused_by_name() -> None:
    readers = osdp_readers([reader_entry("outer-uot", 4001, 1)])

    with pytest.raises(OsdpConfigError) as refused:
        OsdpDriver(readers, DOORS)

    assert (
        str(refused.value)
        == 'device "outer-uot": field "id": is not a reader in the site file, did you mean "outer-out"?'
    )


def test_the_driver_names_its_doors_and_devices() -> None:
    entries = [reader_entry("outer-out", 4001, 1, lock_output=0), reader_entry("outer-in", 4001, 2)]

    driver = OsdpDriver(osdp_readers(entries), DOORS)

    assert (driver.name, driver.doors(), driver.devices()) == ("osdp", {"outer"}, {"outer-out", "outer-in"})
