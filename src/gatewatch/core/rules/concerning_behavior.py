"""CONCERNING_BEHAVIOR: observed behaviour is recorded, and grows high when it gathers.

Procedure: guards record what they notice about a person as indicators. One ordinary
indicator is a warning; two distinct indicators within 30 days, or any one of leakage,
threat, fixation, probing of security or a weapon, is high and makes the person of concern.
Heavy outerwear worn on arrival on a hot day (at or above ``hot_c``, reported that day) is
recorded the same way, as ``outerwear_inconsistent_with_weather``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from gatewatch.core import wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.rules.door_request import items_in
from gatewatch.core.state import State

CODE = AlertCode.CONCERNING_BEHAVIOR
WINDOW = timedelta(days=30)
ALWAYS_HIGH = frozenset({"leakage", "threat", "fixation", "probing_security", "weapon"})
OUTERWEAR = "outerwear_inconsistent_with_weather"


def recent(history: tuple[tuple[datetime, str], ...], at: datetime) -> tuple[tuple[datetime, str], ...]:
    return tuple((t, i) for t, i in history if at - t <= WINDOW)


def grade(history: tuple[tuple[datetime, str], ...], indicators: tuple[str, ...], at: datetime) -> Severity:
    distinct = {i for _, i in recent(history, at)} | set(indicators)
    if ALWAYS_HIGH & set(indicators) or len(distinct) >= 2:
        return Severity.HIGH
    return Severity.WARNING


def check(state: State, person_id: str, indicators: tuple[str, ...], at: datetime, by: str | None) -> Alert | None:
    if not indicators:
        return None
    severity = grade(state.indicators.get(person_id, ()), indicators, at)
    who = wording.person(state, person_id)
    seen = f" (seen by {wording.person(state, by)})" if by else ""
    todo = (
        "treat as a person of concern: a lead reviews before any further access"
        if severity is Severity.HIGH
        else "keep watch and record what follows"
    )
    return Alert(
        CODE,
        severity,
        f"{who}: {', '.join(indicators)}{seen}: {todo}",
        people=(person_id,),
        concern=(person_id,) if severity is Severity.HIGH else (),
    )


def outerwear_on_hot_day(state: State, wearing: tuple[str, ...], at: datetime) -> tuple[str, ...]:
    """The heavy outerwear worn, if the day's reported temperature is at or above ``hot_c``."""
    if state.weather is None:
        return ()
    reported, temp_c = state.weather
    if reported.astimezone(at.tzinfo).date() != at.date() or temp_c < state.site.policy.hot_c:
        return ()
    return items_in(wearing, state.site.policy.heavy_outerwear)
