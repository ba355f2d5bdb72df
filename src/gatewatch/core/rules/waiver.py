"""WAIVER / WAIVER_REFUSED: the principal may lift some rules for one guest, on the record.

Procedure: the principal (and only the principal) may waive NOT_EXPECTED, NOT_SCREENED,
ITEMS_NOT_SURRENDERED and ESCORT_REQUIRED for one person for the rest of the day; the
escort waiver also silences UNESCORTED_VISITOR and ALONE_WITH_PRINCIPAL for them. A waiver
is a warning on the record. It is refused whole, as a high alert, when the person is of
concern or when it names a rule that cannot be waived (PERSON_OF_CONCERN above all): a
polite principal cannot wave the procedures away.
"""

from __future__ import annotations

from gatewatch.core import events as ev
from gatewatch.core import wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.reasons import WAIVABLE, ReasonCode
from gatewatch.core.state import State, Waiver


def decide(state: State, event: ev.Waive) -> tuple[Alert, Waiver | None]:
    """The alert for a waiver by the principal, and the waiver if it is taken."""
    who = wording.person(state, event.for_)
    rules = tuple(ReasonCode(r) for r in event.rules)
    refusals: list[str] = []
    if state.of_concern(event.for_):
        refusals.append(f"{who} is a person of concern ({', '.join(state.concerns[event.for_])})")
    unwaivable = [r for r in rules if r not in WAIVABLE]
    if unwaivable:
        refusals.append(f"{', '.join(unwaivable)} cannot be waived")
    if refusals:
        alert = Alert(
            AlertCode.WAIVER_REFUSED,
            Severity.HIGH,
            f"Waiver for {who} refused: {'; '.join(refusals)}. The procedures hold: "
            f"{who} stays at the gate unless a lead approves an override",
            people=(event.for_, event.by),
        )
        return alert, None
    waiver = Waiver(day=event.at.date(), rules=frozenset(rules), event=event.id)
    alert = Alert(
        AlertCode.WAIVER,
        Severity.WARNING,
        f"The principal waived {', '.join(rules)} for {who} for today: the desk keeps watch",
        people=(event.for_, event.by),
    )
    return alert, waiver
