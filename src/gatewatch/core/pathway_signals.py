"""The signals of a visitor's pathway, each a small count over what the engine kept, with the
events behind it; ``gatewatch.core.pathway`` sums their points into the score.

Procedure: the pathway is read as of its latest recorded instant, over the window before it
(``policy.window_days``). Each signal below gives points only when it holds, never fewer than
none, with plain words for a lead and the event ids behind it. The weights are the site's
``policy.pathway``; ``gatewatch.core.pathway`` lists the defaults.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING

import msgspec

if TYPE_CHECKING:
    from gatewatch.core.pathway import Mark, Pathway, PathwayPolicy, VisitTrace

DEPTH_TREND = "depth_trend"
QUICKENING = "quickening"
PRIVATE_ACCESS = "private_access"
DENIED_REQUESTS = "denied_requests"
ODD_HOURS = "odd_hours"
SCREENING_REFUSED = "screening_refused"
OUTERWEAR = "outerwear"
IDENTITY_PROBLEMS = "identity_problems"
INDICATORS = "indicators"

QUICKENING_SPAN = 12
"""The intervals, up to a visit, that a quickening is judged on (the earlier half against the later)."""
QUICKENING_LOOKBACK = 12
"""The latest visits at which a quickening is looked for (so that one seen stays named)."""
DAY_S = 86_400.0


class Signal(msgspec.Struct, frozen=True):
    code: str
    """depth_trend | quickening | private_access | denied_requests | odd_hours
    | screening_refused | outerwear | identity_problems | indicators"""
    label: str
    """Plain words, e.g. "came deeper visit by visit"."""
    points: float
    detail: str
    """E.g. "deepest level 0 → 3 over 6 visits"."""
    events: tuple[str, ...]
    """The event ids behind it."""


class Window(msgspec.Struct, frozen=True):
    """What of a pathway counts: its visits and marks since ``since`` (its latest instant less
    the window), kept as a pathway of their own."""

    since: datetime | None
    kept: Pathway


def latest(pathway: Pathway) -> datetime | None:
    """The pathway's latest recorded instant (each kind is kept in the order it happened)."""
    times = [m[-1].at for m in (pathway.private_asks, pathway.denials, pathway.refusals, pathway.outerwear) if m]
    times += [m[-1][0].at for m in (pathway.identity, pathway.indicators) if m]
    if pathway.visits:
        last = pathway.visits[-1]
        times.append(last.left if last.left is not None and last.left > last.arrived.at else last.arrived.at)
    return max(times) if times else None


def in_window(pathway: Pathway, policy: PathwayPolicy) -> Window:
    anchor = latest(pathway)
    if anchor is None:
        return Window(None, pathway)
    since = anchor - timedelta(days=policy.window_days)
    visits = pathway.visits
    if visits and visits[0].arrived.at < since:
        visits = tuple(v for v in visits if v.arrived.at >= since)
    kept = msgspec.structs.replace(
        pathway,
        visits=visits,
        private_asks=_marks_since(pathway.private_asks, since),
        denials=_marks_since(pathway.denials, since),
        refusals=_marks_since(pathway.refusals, since),
        outerwear=_marks_since(pathway.outerwear, since),
        identity=_words_since(pathway.identity, since),
        indicators=_words_since(pathway.indicators, since),
        scores=(),
    )
    return Window(since, kept)


def _marks_since(marks: tuple[Mark, ...], since: datetime) -> tuple[Mark, ...]:
    """The marks at or after ``since`` (all of them, as they are, when the first is)."""
    if not marks or marks[0].at >= since:
        return marks
    return tuple(m for m in marks if m.at >= since)


def _words_since(marks: tuple[tuple[Mark, str], ...], since: datetime) -> tuple[tuple[Mark, str], ...]:
    if not marks or marks[0][0].at >= since:
        return marks
    return tuple(m for m in marks if m[0].at >= since)


def signals(pathway: Pathway, policy: PathwayPolicy, window: Window | None = None) -> tuple[Signal, ...]:
    """The signals that hold (points > 0), highest first (ties in the order below)."""
    counted = window if window is not None else in_window(pathway, policy)
    if counted.since is None:
        return ()
    seen = counted.kept
    found = [
        depth_trend(seen.visits, policy),
        quickening(seen.visits, policy),
        counted_marks(PRIVATE_ACCESS, seen.private_asks, policy.private_access_points, policy),
        counted_marks(DENIED_REQUESTS, seen.denials, policy.denied_points, policy),
        odd_hours(seen.visits, policy),
        counted_marks(SCREENING_REFUSED, seen.refusals, policy.refusal_points, policy),
        counted_marks(OUTERWEAR, seen.outerwear, policy.outerwear_points, policy),
        identity_problems(seen.identity, policy),
        indicators(seen.indicators, policy),
    ]
    kept = [s for s in found if s is not None and s.points > 0]
    return tuple(sorted(kept, key=lambda s: -s.points))


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _n(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def depth_trend(visits: tuple[VisitTrace, ...], policy: PathwayPolicy) -> Signal | None:
    """The deepest level among the last visits less the median of the first, per level risen.

    The finished visits are split as the window holds them: the first ``trend_visits`` (of the
    first half, when there are fewer than twice as many) are read by their median, where the
    visitor usually stopped; the last ``trend_visits`` after them by the deepest of them, how far
    they have come since. A stop or two in the street, which a visitor makes whenever they like,
    does not take back the level they reached.

    A visit under way is read beside the last finished ones (never in the place of one, nor
    moving the split) once it has come as deep as the visit before it; until then (a visitor just
    arrived at the street) the trend is read on the visits before."""
    finished = visits[:-1] if visits and visits[-1].left is None else visits
    under = visits[len(finished) :]
    if under and finished and under[0].deepest < finished[-1].deepest:
        under = ()
    counted = len(finished) + len(under)
    if counted < 3:
        return None
    k = min(policy.trend_visits, max(1, len(finished) // 2))
    first, last = finished[:k], (*finished[k:][-policy.trend_visits :], *under)
    before = median([v.deepest for v in first])
    deepest = max(last, key=lambda v: v.deepest)  # the earliest of the deepest
    after = deepest.deepest
    if after <= before:
        return None
    events = tuple(dict.fromkeys(v.deepest_event or v.arrived.event for v in (*first, deepest)))
    which = f"the median of the first {k}" if k > 1 else "the first"
    return Signal(
        DEPTH_TREND,
        "came deeper visit by visit",
        round((after - before) * policy.depth_points, 2),
        f"deepest level {_n(before)} → {after} over {counted} visits, {which} against the deepest of the "
        f"{len(last)} after",
        events,
    )


def quickening(visits: tuple[VisitTrace, ...], policy: PathwayPolicy) -> Signal | None:
    """The latest visit in the window at which the intervals between visits had shrunk."""
    least = policy.quickening_intervals
    if len(visits) < least + 1:
        return None
    visits = visits[-(QUICKENING_LOOKBACK + QUICKENING_SPAN) :]  # the visits any judged interval joins
    times = [v.arrived.at.timestamp() for v in visits]
    gaps = [(b - a) / DAY_S for a, b in pairwise(times)]
    ratio = policy.quickening_ratio
    for end in range(len(gaps), max(least, len(gaps) - QUICKENING_LOOKBACK + 1) - 1, -1):
        start = max(0, end - QUICKENING_SPAN)
        half = (end - start) // 2
        earlier, later = median(gaps[start : start + half]), median(gaps[end - half : end])
        if earlier > 0 and later <= ratio * earlier:
            quicker = visits[end - half + 1 : end + 1]
            return Signal(
                QUICKENING,
                "visits coming faster",
                round(policy.quickening_points, 2),
                f"days between visits, median {_days(earlier)} → {_days(later)}, "
                f"over the {end - start} intervals to {quicker[-1].arrived.at:%d %B %Y}",
                tuple(v.arrived.event for v in quicker),
            )
    return None


def _days(days: float) -> str:
    return f"{days:.0f}" if days >= 2 else f"{days:.1f}"


def is_odd_hour(hour: int, policy: PathwayPolicy) -> bool:
    start, end = policy.odd_hours_from, policy.odd_hours_to
    if start <= end:
        return start <= hour < end
    return hour >= start or hour < end


def odd_hours(visits: tuple[VisitTrace, ...], policy: PathwayPolicy) -> Signal | None:
    start, end = policy.odd_hours_from, policy.odd_hours_to
    if start <= end:
        odd = [v for v in visits if start <= v.hour < end]
    else:
        odd = [v for v in visits if v.hour >= start or v.hour < end]
    if not odd:
        return None
    return Signal(
        ODD_HOURS,
        "came at odd hours",
        round(policy.odd_hours_points * min(len(odd), policy.counted), 2),
        f"{len(odd)} of {len(visits)} arrivals between {policy.odd_hours_from:02d}:00 and {policy.odd_hours_to:02d}:00",
        tuple(v.arrived.event for v in odd),
    )


MARKS = {
    PRIVATE_ACCESS: ("asked for private access", "private invitation, or request into a private room"),
    DENIED_REQUESTS: ("denied at doors", "request or badge denied"),
    SCREENING_REFUSED: ("refused a search", "search refused"),
    OUTERWEAR: ("heavy outerwear on a hot day", "arrival in heavy outerwear on a hot day"),
}
"""Each kind of mark counted alike: its label, and what one mark is."""


def counted_marks(code: str, marks: tuple[Mark, ...], weight: float, policy: PathwayPolicy) -> Signal | None:
    """``weight`` per mark in the window, at most ``counted`` of them."""
    if not marks:
        return None
    label, what = MARKS[code]
    return Signal(
        code,
        label,
        round(weight * min(len(marks), policy.counted), 2),
        f"{len(marks)} × {what}",
        tuple(dict.fromkeys(m.event for m in marks)),
    )


def identity_problems(marks: tuple[tuple[Mark, str], ...], policy: PathwayPolicy) -> Signal | None:
    if not marks:
        return None
    codes = ", ".join(dict.fromkeys(code for _, code in marks))
    return Signal(
        IDENTITY_PROBLEMS,
        "identity problems",
        round(policy.identity_points * min(len(marks), policy.counted), 2),
        f"{len(marks)} identity alert(s): {codes}",
        tuple(dict.fromkeys(m.event for m, _ in marks)),
    )


def indicators(marks: tuple[tuple[Mark, str], ...], policy: PathwayPolicy) -> Signal | None:
    if not marks:
        return None
    high = set(policy.high_indicators)
    strong = [word for _, word in marks if word in high]
    plain = len(marks) - len(strong)
    points = policy.high_indicator_points * min(len(strong), policy.counted)
    points += policy.indicator_points * min(plain, policy.counted)
    words = ", ".join(f"{w} (high)" if w in high else w for w in dict.fromkeys(word for _, word in marks))
    return Signal(
        INDICATORS,
        "behaviour observed",
        round(points, 2),
        f"{len(marks)} indicator(s) recorded: {words}",
        tuple(dict.fromkeys(m.event for m, _ in marks)),
    )
