"""The pathway assessment: what a visitor's visits and marks, taken together, say.

Each sign a patient approach gives is small, and each is seen by someone: the man who waited in
the street came into the vestibule, then the patio, then took tea in the house; his visits came
closer together; he asked to be alone with the principal; he wore a raincoat on a hot day. The
engine keeps, for each visitor, a bounded trace of their visits and the marks that matter
(``Pathway``, in ``State.pathways``), and this module scores it, transparently: every point comes
from a named signal with the events behind it, and every weight and threshold is the site's
``policy.pathway`` (``PathwayPolicy``, defaults below).

The procedure. The assessment looks at the pathway as of its latest recorded instant, over the
window before it (``window_days``, default 180). The signals (``gatewatch.core.pathway_signals``):

- depth trend: the deepest level of the last three visits in the window minus the median of
  the first three (of the first half when there are fewer than six; at least three visits; the
  visit under way counts beside them once it has come as deep as the one before: stops in the
  street do not take back a level reached), ``depth_points`` per level risen (2.5);
- quickening: the intervals between arrivals shrinking: over the last twelve intervals up to a
  visit, the median of the later half at most ``quickening_ratio`` (0.6) of the median of the
  earlier half, with at least ``quickening_intervals`` (4) intervals; once seen at one of the
  last 12 visits in the window it stays named (``quickening_points``, 4);
- private access asked (private invitations, requests and badges into a private zone), denied
  requests and badges, arrivals at odd hours (``odd_hours_from`` 21:00 to ``odd_hours_to``
  07:00, site time, whatever the site's night), searches refused, heavy outerwear on a hot day,
  identity problems (IDENTITY_CONFLICT, IDENTITY_LINK, CLAIM_FAILED, WATCHLIST_MATCH,
  DOCUMENT_EXPIRED naming them): each mark its weight, at most ``counted`` (3) of each;
- indicators recorded at ``observe``: ``indicator_points`` (1) each, and ``high_indicator_points``
  (3) for leakage, threat, fixation, probing of security and a weapon; at most ``counted`` of each.

The score is their sum, never negative. Visitors (role visitor) below ``trusted`` are scored;
others' traces are kept (a person's timeline reads them) but not scored. A score at or above
``threshold`` (10) raises PATHWAY_RISING (``gatewatch.core.rules.pathway_rising``).

The signals are then read as TRAP-18's eight proximal warning behaviours (Meloy), and each is
said present or absent with the events behind it (``gatewatch.core.pathway_behaviours``):

- pathway (research, planning, preparation): the depth trend, denied requests (probing),
  private asks, refused searches, concealment (outerwear); indicators ``probing_security``,
  ``surveillance``, ``research``, ``planning``, ``preparation``;
- fixation: quickening together with repeated private asks; indicator ``fixation``;
- identification: indicators ``identification``, ``weapon`` (an interest in weapons);
- novel aggression: indicators ``novel_aggression``, ``aggression``;
- energy burst: a sharp rise in the frequency of visits (the quickening); ``energy_burst``;
- leakage: ``leakage``; last resort: ``last_resort``, ``desperate``; directly communicated
  threat: ``threat``.

Pure: what is kept is bounded (the last ``MAX_VISITS`` visits, ``MAX_MARKS`` of each mark,
``MAX_SCORES`` scores), and an assessment reads each kept item a bounded number of times.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, TypeVar

import msgspec

from gatewatch.core.pathway_behaviours import Behaviour, behaviours
from gatewatch.core.pathway_signals import Signal, in_window, signals

__all__ = [
    "MAX_MARKS",
    "MAX_SCORES",
    "MAX_VISITS",
    "Assessment",
    "Behaviour",
    "Mark",
    "Pathway",
    "PathwayPolicy",
    "Signal",
    "VisitTrace",
    "appended",
    "assess",
    "score_of",
]

MAX_VISITS = 400
"""Visits kept per visitor (the oldest let go first): eight years of weekly visits."""
MAX_MARKS = 200
"""Marks of each kind kept per visitor (asks, denials, refusals, outerwear, identity, indicators)."""
MAX_SCORES = 400
"""Scores kept per visitor, each the score after a rescore that changed it."""

POINTS_HIGHEST = 100.0
THRESHOLD_LOWEST = 0.5
THRESHOLD_HIGHEST = 1_000.0
WINDOW_DAYS_HIGHEST = 3_660

Points = Annotated[float, msgspec.Meta(ge=0.0, le=POINTS_HIGHEST)]
"""Points a signal gives (per level, per mark), from 0 to 100."""
Threshold = Annotated[float, msgspec.Meta(ge=THRESHOLD_LOWEST, le=THRESHOLD_HIGHEST)]
Ratio = Annotated[float, msgspec.Meta(ge=0.05, le=1.0)]
WindowDays = Annotated[int, msgspec.Meta(ge=1, le=WINDOW_DAYS_HIGHEST)]
Hour = Annotated[int, msgspec.Meta(ge=0, le=23)]
TrendVisits = Annotated[int, msgspec.Meta(ge=1, le=12)]
Intervals = Annotated[int, msgspec.Meta(ge=2, le=12)]
Counted = Annotated[int, msgspec.Meta(ge=1, le=50)]
Words = Annotated[tuple[Annotated[str, msgspec.Meta(min_length=1, max_length=200)], ...], msgspec.Meta(max_length=50)]


class PathwayPolicy(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """The weights and thresholds of the pathway assessment (the site file's ``policy.pathway``)."""

    threshold: Threshold = 10.0
    """A score at or above it raises PATHWAY_RISING."""
    window_days: WindowDays = 180
    """Visits and marks older than this, before the pathway's latest instant, do not count."""
    depth_points: Points = 2.5
    """Per level the deepest level rose, from the first visits in the window to the last."""
    trend_visits: TrendVisits = 3
    """How many visits at each end of the window the depth trend compares (the median of the
    first, the deepest of the last)."""
    quickening_points: Points = 4.0
    quickening_ratio: Ratio = 0.6
    """Visits quicken when the later intervals' median is at most this share of the earlier ones'."""
    quickening_intervals: Intervals = 4
    """The fewest intervals between visits a quickening is judged on."""
    private_access_points: Points = 3.0
    """Per private invitation, or request or badge into a private zone."""
    denied_points: Points = 2.0
    """Per request or badge denied for the visitor."""
    odd_hours_points: Points = 1.5
    """Per arrival at an odd hour."""
    odd_hours_from: Hour = 21
    odd_hours_to: Hour = 7
    """Odd hours run from ``odd_hours_from`` o'clock until ``odd_hours_to`` (site time, wrapping
    midnight); the same hour twice means none are odd."""
    refusal_points: Points = 3.0
    """Per search refused (a screening refused, or items refused)."""
    outerwear_points: Points = 3.0
    """Per arrival in heavy outerwear on a hot day."""
    identity_points: Points = 3.0
    """Per identity alert naming the visitor."""
    indicator_points: Points = 1.0
    """Per recorded indicator."""
    high_indicator_points: Points = 3.0
    """Per recorded indicator among ``high_indicators``."""
    high_indicators: Words = ("leakage", "threat", "fixation", "probing_security", "weapon")
    counted: Counted = 3
    """Each kind of mark counts at most this many times (ordinary and high indicators apart)."""


class Mark(msgspec.Struct, frozen=True, array_like=True):
    event: str
    """The event id in the record."""
    at: datetime
    """Aware."""


class VisitTrace(msgspec.Struct, frozen=True, array_like=True):
    """One visit of a visitor as the engine saw it, from arrive to leave.

    A visit the engine closed without a ``leave`` (the visitor arrived again) is closed at that
    arrival: ``left_event`` is the arrive event."""

    arrived: Mark
    left: datetime | None
    """None while the visit is under way."""
    left_event: str | None
    deepest: int
    """The deepest zone level reached."""
    deepest_zone: str | None
    """The zone where it was reached (None: never passed a door)."""
    deepest_event: str | None
    """The event that took them there."""
    hour: int
    """Site-local hour of arrival (0..23)."""
    escorted: bool
    """An escort was with them where they reached the deepest level."""
    screening: str | None
    """``clear``, ``found``, ``refused``, or None (not screened)."""
    surrendered: tuple[str, ...]
    refused: tuple[str, ...]
    wearing: tuple[str, ...]


class Pathway(msgspec.Struct, frozen=True, array_like=True):
    """What the engine keeps about one visitor's pathway (bounded: the last MAX_* of each)."""

    visits: tuple[VisitTrace, ...] = ()
    private_asks: tuple[Mark, ...] = ()
    """Private invitations, requests and badges into private zones."""
    denials: tuple[Mark, ...] = ()
    """Requests and badges denied for them."""
    refusals: tuple[Mark, ...] = ()
    """Screenings refused (items refused)."""
    outerwear: tuple[Mark, ...] = ()
    """Heavy outerwear on a hot day."""
    identity: tuple[tuple[Mark, str], ...] = ()
    """(mark, alert code): identity problems."""
    indicators: tuple[tuple[Mark, str], ...] = ()
    """(mark, indicator word) observed."""
    scores: tuple[tuple[Mark, float], ...] = ()
    """The score after each rescore that changed it."""
    over: bool = False
    """Above the threshold at the last rescore."""


class Assessment(msgspec.Struct, frozen=True):
    person: str
    score: float
    threshold: float
    over: bool
    signals: tuple[Signal, ...]
    """Only those with points > 0, highest first."""
    behaviours: tuple[Behaviour, ...]
    """All eight, in TRAP-18's order."""
    scored: bool
    """False when the person is not scored (not a visitor, or trusted)."""


def score_of(found: tuple[Signal, ...]) -> float:
    """The score: the signals' points, summed in a fixed order, to two decimals."""
    return round(sum((s.points for s in found), 0.0), 2)


def assess(person: str, pathway: Pathway, policy: PathwayPolicy, scored: bool = True) -> Assessment:
    """The pathway's score, its signals and the warning behaviours present, as of its latest
    instant. A person who is not scored gets no score, no signals, and no behaviour present."""
    if not scored:
        return Assessment(person, 0.0, policy.threshold, False, (), behaviours(None, (), policy), False)
    window = in_window(pathway, policy)
    found = signals(pathway, policy, window)
    score = score_of(found)
    return Assessment(
        person, score, policy.threshold, score >= policy.threshold, found, behaviours(window, found, policy), True
    )


T = TypeVar("T")


def appended(kept: tuple[T, ...], item: T, most: int) -> tuple[T, ...]:
    """``kept`` with ``item`` after it, the oldest let go beyond ``most``."""
    if len(kept) < most:
        return (*kept, item)
    return (*kept[len(kept) - most + 1 :], item)
