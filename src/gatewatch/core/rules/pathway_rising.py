"""PATHWAY_RISING: a visitor's pathway, taken together, has reached the site's threshold.

Procedure: at each event that changes a visitor's pathway (an arrival, a departure, a
search, an observation, a private invitation, a request or badge denied for them, an identity
alert naming them; not a move nor a granted request), the engine rescores the pathway of a
visitor below ``trusted`` (``gatewatch.core.pathway``). When a rescore first takes the score to
or above the site's ``policy.pathway.threshold``, the alert is high and names the score and the
threshold: a lead reviews the pathway and decides whether to open a case. It does not make the
visitor of concern by itself (a case does), so no door is refused on a score alone. It is
raised again only after a rescore has taken the score below the threshold.

The message names no signal: the whole desk is told that a visitor's pathway wants a lead's
look (a guard at the door may need to know), but what made the score (what was observed of
them, where they were refused) is the assessment's, which only leads, analysts and admins read.
"""

from __future__ import annotations

from gatewatch.core import wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.state import State

CODE = AlertCode.PATHWAY_RISING


def _points(points: float) -> str:
    return f"{points:g}"


def check(state: State, person_id: str, score: float, threshold: float, was_over: bool) -> Alert | None:
    """The alert when ``score`` has just reached ``threshold`` (it was below at the last rescore)."""
    if was_over or score < threshold:
        return None
    who = wording.person(state, person_id)
    return Alert(
        CODE,
        Severity.HIGH,
        f"{who}'s pathway scores {_points(score)}, at or above the threshold {_points(threshold)}: "
        "a lead reviews the pathway's assessment on the person's page and decides whether to open a case",
        people=(person_id,),
    )
