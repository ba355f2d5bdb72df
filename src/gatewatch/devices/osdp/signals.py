"""What a reader shows and its lock does, as libosdp command mappings (OSDP LED, buzzer, output).

- **granted** (a duress grant too: the same in every way): green, steady, for the unlock
  time (at least 1 s), and one short beep (0.2 s);
- **denied** (or no answer in time, or an unreadable card or entry): red, steady, for 2 s,
  and two long beeps (0.5 s, 0.3 s apart);
- **waiting for a PIN** after a card: amber, flashing, for the wait; no beep.

Each LED state is temporary: the reader goes back to its own idle colour after it. The lock
output is pulsed (OSDP control code 5, *temporary on*, timed by the PD itself), so the door
locks again at the end even if the control panel is gone; ``lock`` turns it off for good
(control code 1: permanent off, any pulse cancelled). The output's permanent state is off
(locked) and the driver never sets it on.

libosdp's Python layer carries the timers of LED and output commands as one byte of 100 ms
units: no temporary state lasts longer than ``LONGEST_S`` (25.5 s), and an unlock asked for
longer is cut to it (failing secure).
"""

from __future__ import annotations

import math

import osdp  # type: ignore[import-untyped]

OsdpCommand = dict[str, int | bool | bytes]
"""A command as libosdp's ``submit_command`` takes it."""

TICK_S = 0.1
"""OSDP times are in units of 100 ms."""

LONGEST_S = 25.5
"""The longest timer libosdp's Python layer carries (255 ticks)."""

DENY_S = 2.0

_GREEN: int = osdp.CommandLEDColor.Green
_RED: int = osdp.CommandLEDColor.Red
_AMBER: int = osdp.CommandLEDColor.Amber
_BLACK: int = osdp.CommandLEDColor.Black
_LED: int = osdp.Command.LED
_BUZZER: int = osdp.Command.Buzzer
_OUTPUT: int = osdp.Command.Output
_STATUS: int = osdp.Command.Status
_LOCAL: int = osdp.StatusReportType.Local

OUTPUT_PERMANENT_OFF = 1
OUTPUT_TEMPORARY_ON = 5
LED_TEMPORARY_SET = 2
BUZZER_DEFAULT_TONE = 2


def ticks(seconds: float) -> int:
    """Seconds as OSDP ticks, at least 1 and at most 255 (``LONGEST_S``)."""
    if not math.isfinite(seconds):
        return 1
    return max(1, min(255, round(seconds / TICK_S)))


def granted(unlock_s: float) -> tuple[OsdpCommand, ...]:
    return (_led(_GREEN, max(1.0, unlock_s)), _beep(on_s=0.2, off_s=0.0, times=1))


def denied() -> tuple[OsdpCommand, ...]:
    return (_led(_RED, DENY_S), _beep(on_s=0.5, off_s=0.3, times=2))


def prompt(wait_s: float) -> tuple[OsdpCommand, ...]:
    return (_led(_AMBER, wait_s, flash=True),)


def pulse(output: int, seconds: float) -> OsdpCommand:
    """Unlock for ``seconds`` (cut to ``LONGEST_S``): the PD turns the output off again itself."""
    return {"command": _OUTPUT, "output_no": output, "control_code": OUTPUT_TEMPORARY_ON, "timer_count": ticks(seconds)}


def lock(output: int) -> OsdpCommand:
    """Lock now: the output off for good, any pulse cancelled."""
    return {"command": _OUTPUT, "output_no": output, "control_code": OUTPUT_PERMANENT_OFF, "timer_count": 0}


def ask_local_status() -> OsdpCommand:
    """Ask for the PD's tamper and power status (its answer arrives as a status event)."""
    return {"command": _STATUS, "type": _LOCAL, "report": b""}


def _led(color: int, seconds: float, *, flash: bool = False) -> OsdpCommand:
    return {
        "command": _LED,
        "reader": 0,
        "led_number": 0,
        "temporary": True,
        "control_code": LED_TEMPORARY_SET,
        "on_color": color,
        "off_color": _BLACK if flash else color,
        "on_count": 3 if flash else ticks(seconds),
        "off_count": 3 if flash else 0,
        "timer_count": ticks(seconds),
    }


def _beep(*, on_s: float, off_s: float, times: int) -> OsdpCommand:
    return {
        "command": _BUZZER,
        "reader": 0,
        "control_code": BUZZER_DEFAULT_TONE,
        "on_count": ticks(on_s),
        "off_count": round(off_s / TICK_S),
        "rep_count": times,
    }
