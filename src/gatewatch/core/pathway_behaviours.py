"""A pathway read as TRAP-18's eight proximal warning behaviours (Meloy): which are present, why,
and the events behind each.

Procedure: each behaviour is present when one of its signals holds or one of its indicator
words was recorded at ``observe`` in the window (words compare without case, and with ``-`` or a
space as ``_``):

- pathway (research, planning, preparation): the depth trend, denied requests (probing),
  private access, a refused search, outerwear (concealment); indicators ``probing_security``,
  ``surveillance``, ``research``, ``planning``, ``preparation``;
- fixation: the quickening together with two private asks or more; ``fixation``;
- identification: ``identification``, ``weapon``, ``weapon_interest``;
- novel aggression: ``novel_aggression``, ``aggression``;
- energy burst: the quickening (a sharp rise in the frequency of visits); ``energy_burst``;
- leakage: ``leakage``;
- last resort: ``last_resort``, ``desperate``, ``desperation``;
- directly communicated threat: ``threat``, ``directly_communicated_threat``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import msgspec

from gatewatch.core.pathway_signals import (
    DENIED_REQUESTS,
    DEPTH_TREND,
    OUTERWEAR,
    PRIVATE_ACCESS,
    QUICKENING,
    SCREENING_REFUSED,
    Signal,
    Window,
)

if TYPE_CHECKING:
    from gatewatch.core.pathway import Mark, PathwayPolicy


class Behaviour(msgspec.Struct, frozen=True):
    name: str
    """pathway | fixation | identification | novel_aggression | energy_burst | leakage
    | last_resort | directly_communicated_threat (TRAP-18's eight)"""
    label: str
    """"pathway", "fixation", ..., "directly communicated threat"."""
    present: bool
    because: str
    """Plain words; "" when absent."""
    events: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Warning:
    """One of TRAP-18's proximal warning behaviours, and what shows it here."""

    name: str
    signals: tuple[str, ...]
    words: frozenset[str]

    @property
    def label(self) -> str:
        return self.name.replace("_", " ")


TRAP_18 = (
    Warning(
        "pathway",
        (DEPTH_TREND, DENIED_REQUESTS, PRIVATE_ACCESS, SCREENING_REFUSED, OUTERWEAR),
        frozenset({"probing_security", "surveillance", "research", "planning", "preparation"}),
    ),
    Warning("fixation", (), frozenset({"fixation"})),
    Warning("identification", (), frozenset({"identification", "weapon", "weapon_interest"})),
    Warning("novel_aggression", (), frozenset({"novel_aggression", "aggression"})),
    Warning("energy_burst", (QUICKENING,), frozenset({"energy_burst"})),
    Warning("leakage", (), frozenset({"leakage"})),
    Warning("last_resort", (), frozenset({"last_resort", "desperate", "desperation"})),
    Warning("directly_communicated_threat", (), frozenset({"threat", "directly_communicated_threat"})),
)
"""The eight, in TRAP-18's order."""

FIXATION_ASKS = 2
"""Private asks that, with a quickening, show a fixation on the principal."""


def word_key(word: str) -> str:
    """An indicator as compared: ``Probing security`` and ``probing-security`` are ``probing_security``."""
    return word.strip().lower().replace("-", "_").replace(" ", "_")


def behaviours(window: Window | None, found: tuple[Signal, ...], policy: PathwayPolicy) -> tuple[Behaviour, ...]:
    """All eight, present or not; absent ones with no reason and no events."""
    by_code = {s.code: s for s in found}
    words = window.kept.indicators if window is not None else ()
    asks = len(window.kept.private_asks) if window is not None else 0
    return tuple(_judged(warning, by_code, words, asks) for warning in TRAP_18)


def _judged(warning: Warning, by_code: dict[str, Signal], words: tuple[tuple[Mark, str], ...], asks: int) -> Behaviour:
    shown = [by_code[code] for code in warning.signals if code in by_code]
    if warning.name == "fixation" and QUICKENING in by_code and asks >= FIXATION_ASKS:
        shown = [by_code[QUICKENING], by_code[PRIVATE_ACCESS]] if PRIVATE_ACCESS in by_code else [by_code[QUICKENING]]
    seen = [(mark, word) for mark, word in words if word_key(word) in warning.words]
    if not shown and not seen:
        return Behaviour(warning.name, warning.label, False, "", ())
    reasons = [f"{s.label} ({s.detail})" for s in shown]
    if seen:
        reasons.append("observed: " + ", ".join(dict.fromkeys(word for _, word in seen)))
    events = [e for s in shown for e in s.events] + [mark.event for mark, _ in seen]
    return Behaviour(warning.name, warning.label, True, "; ".join(reasons), tuple(dict.fromkeys(events)))
