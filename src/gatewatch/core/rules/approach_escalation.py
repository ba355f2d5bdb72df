"""APPROACH_ESCALATION: a visitor who comes closer each time and then asks to be alone.

Procedure: when a visitor seeks private access (a private invitation, or a request into a
private zone) after three or more visits in the last 120 days in which the deepest level
they reached has risen from the earliest of those visits to the latest, the pattern of a
patient approach is flagged and the visitor becomes of concern.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from gatewatch.core import wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.state import PastVisit, State

CODE = AlertCode.APPROACH_ESCALATION
WINDOW = timedelta(days=120)
MIN_VISITS = 3


def visits_in_window(state: State, person_id: str, at: datetime) -> tuple[PastVisit, ...]:
    """Finished visits and the one under way, started in the 120 days before ``at``."""
    past = state.history.get(person_id, ())
    current = state.visits.get(person_id)
    every = (*past, PastVisit(current.started, current.deepest)) if current else past
    return tuple(v for v in every if timedelta(0) <= at - v.started <= WINDOW)


def check(state: State, person_id: str, at: datetime, seeking: str) -> Alert | None:
    if not state.person(person_id).is_visitor:
        return None
    visits = visits_in_window(state, person_id, at)
    if len(visits) < MIN_VISITS or visits[-1].deepest <= visits[0].deepest:
        return None
    levels = " → ".join(str(v.deepest) for v in visits)
    who = wording.person(state, person_id)
    return Alert(
        CODE,
        Severity.HIGH,
        f"{who} seeks {seeking} after {len(visits)} visits in 120 days reaching ever deeper "
        f"(levels {levels}): {who} is of concern; a lead reviews before any private meeting",
        people=(person_id,),
        concern=(person_id,),
    )
