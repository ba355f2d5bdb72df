"""The insider view: what the record shows of the site's own people, guards and staff, as signals.

Protective teams look inward as well as outward: the people who hold the keys can open the
doors. For each person who is not a visitor, the record is read for eight signals (each its own
module in ``gatewatch.core.insider_signals``, which says what it means): doors opened without a
grant, overrides asked or approved, alarms dismissed or muted, check-ins missed, night openings
alone, credentials lent, badges at odd hours, and requests for people later found of concern.
Each signal says how many times it was seen and which events (the newest ``MAX_EVENTS`` of
them), so that a lead or an analyst reads the record itself, not a score.

A signal is not an accusation: most have an innocent reading (a guard on the night shift
dismisses the alarms that sound on it). The view shows who did what, and how often.

Pure: ``fold`` takes the recorded entries in order, as the shell reads them (the typed event,
its position and the outcome the record keeps), and the engine's state as it stands (who is who,
the site, each credential's holder). Entries before ``since`` are read only for what they tell
of the entries after (who was on post, who holds a card, which requests were denied).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import msgspec

from gatewatch.core.insider_signals import SIGNALS, SignalKind
from gatewatch.core.insider_watch import Recorded, Seen, Watch
from gatewatch.core.state import State

MAX_EVENTS = 50
"""Events kept per signal per person: the newest (the count goes on)."""

CODES = tuple(kind.CODE for kind in SIGNALS)
"""Every signal's code, in the order the view lists them."""


class Signal(msgspec.Struct, frozen=True):
    code: str
    label: str
    count: int
    events: tuple[Seen, ...]
    """The newest ``MAX_EVENTS`` events behind it, oldest first."""


class Insider(msgspec.Struct, frozen=True):
    """One person's signals (only those seen), in the order of ``CODES``."""

    person: str
    name: str
    role: str
    signals: tuple[Signal, ...]

    @property
    def total(self) -> int:
        return sum(signal.count for signal in self.signals)


@dataclass(slots=True)
class _Tally:
    count: int = 0
    events: deque[Seen] = field(default_factory=lambda: deque(maxlen=MAX_EVENTS))

    def add(self, seen: Seen) -> None:
        self.count += 1
        self.events.append(seen)


def fold(entries: Iterable[Recorded], state: State, since: datetime | None = None) -> tuple[Insider, ...]:
    """Each staff member's signals over ``entries`` (in record order) from ``since`` on; those
    with the most first, then by id. ``state``: the site, its people and credentials as they
    stand (a credential issued in the entries counts from its issue)."""
    watch = Watch(state)
    tallies: dict[str, dict[str, _Tally]] = {}
    for entry in entries:
        counting = since is None or entry.event.at >= since
        if counting:
            for kind in SIGNALS:
                _count(kind, entry, watch, tallies)
        watch.track(entry, counting)
    found = [_insider(person, kinds, watch) for person, kinds in tallies.items()]
    return tuple(sorted(found, key=lambda insider: (-insider.total, insider.person)))


def _count(kind: SignalKind, entry: Recorded, watch: Watch, tallies: dict[str, dict[str, _Tally]]) -> None:
    for person, seen in kind.seen(entry, watch):
        if watch.staff(person):
            tallies.setdefault(person, {}).setdefault(kind.CODE, _Tally()).add(seen)


def _insider(person_id: str, kinds: dict[str, _Tally], watch: Watch) -> Insider:
    person = watch.people[person_id]
    signals = tuple(
        Signal(kind.CODE, kind.LABEL, tally.count, tuple(tally.events))
        for kind in SIGNALS
        if (tally := kinds.get(kind.CODE)) is not None
    )
    return Insider(person_id, watch.person(person_id), person.role.value, signals)
