"""The insider view's signals, one module each: what it means in plain words (its docstring),
its ``CODE`` and ``LABEL``, and ``seen(entry, watch)``: the people this recorded entry counts
against, each with the event as a lead reads it. In the order the view lists them."""

from __future__ import annotations

from typing import Protocol

from gatewatch.core.insider_signals import (
    alarms_silenced,
    checkins_missed,
    credentials_lent,
    doors_without_grant,
    night_alone,
    odd_hour_badges,
    overrides,
    requests_for_concern,
)
from gatewatch.core.insider_watch import Recorded, Seen, Watch


class SignalKind(Protocol):
    """What each signal's module holds."""

    CODE: str
    LABEL: str

    def seen(self, entry: Recorded, watch: Watch) -> list[tuple[str, Seen]]: ...


SIGNALS: tuple[SignalKind, ...] = (
    doors_without_grant,
    overrides,
    alarms_silenced,
    checkins_missed,
    night_alone,
    credentials_lent,
    odd_hour_badges,
    requests_for_concern,
)
