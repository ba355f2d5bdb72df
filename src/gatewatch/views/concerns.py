"""Why a person is of concern, in plain words, for the banner on their page (pure).

The engine keeps each reason as a short note of its cause (``State.concerns``): an alert that
made them of concern (``APPROACH_ESCALATION at q1``), a lead's concern (``concern opened by
hansen at x1``), an open case (``case C-1 opened by hansen at C-1``). Procedure: each is said as
what raised it, when (on the site's clock) and by whom, by the names the site knows people by:
an alert by its code, as the console's alert lists show it, and the event that raised it ("on
1940-08-20 17:03, at a request by Joseph Hansen"); a lead's concern by who opened it and when;
an open case by its id (once), who opened it and when. Whoever is not shown cases (a guard) reads
only that a lead is reviewing the person, and since when: never a case's id or why it was opened.
A reason in no form known here is shown as the engine keeps it. At most ``REASONS_SAID`` are said.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from gatewatch.core import wording
from gatewatch.core.alerts import AlertCode
from gatewatch.core.state import State
from gatewatch.core.steps.cases import opened_because
from gatewatch.store.chain import Entry

REASONS_SAID = 12
"""Reasons the banner says one by one (the rest are counted)."""

Finder = Callable[[str], Entry | None]

CAUSES = {
    "arrive": "an arrival",
    "badge": "a badge at a reader",
    "identify": "an identification",
    "invite": "an invitation",
    "move": "a move",
    "observe": "an observation",
    "open": "a door opened",
    "register": "a registration",
    "request": "a request",
    "screen": "a screening",
    "verify": "a verification",
    "vouch": "a vouch",
    "watchlist_check": "a watchlist screening",
}
"""Events that raise an alert making someone of concern, as the banner names them."""

CODES = frozenset(code.value for code in AlertCode)


@dataclass(frozen=True, slots=True)
class ConcernSaid:
    """One reason in words; ``case`` is the open case it is (to link to), shown before ``text``."""

    text: str
    case: str | None = None


def concern_said(state: State, person: str, find: Finder, zone: tzinfo, *, sees_cases: bool) -> list[ConcernSaid]:
    """Why ``person`` is of concern, reason by reason, in the order the engine recorded them."""
    reasons = state.concerns.get(person, ())
    cases = {
        opened_because(case, state.cases[case].by, state.cases[case].opened): case for case in _open(state, person)
    }
    said: list[ConcernSaid] = []
    reviewing = False
    for why in reasons[:REASONS_SAID]:
        case = cases.get(why)
        if case is None:
            said.append(ConcernSaid(_reason(state, why, find, zone)))
        elif sees_cases:
            record = state.cases[case]
            said.append(
                ConcernSaid(f"is open, opened by {wording.person(state, record.by)} on {_when(record.at, zone)}", case)
            )
        elif not reviewing:
            reviewing = True
            since = min(record.at for record in (state.cases[c] for c in cases.values()))
            said.append(ConcernSaid(f"a lead is reviewing them (a case open since {since.astimezone(zone):%Y-%m-%d})"))
    if len(reasons) > REASONS_SAID:
        said.append(ConcernSaid(f"and {len(reasons) - REASONS_SAID} more"))
    return said


def _open(state: State, person: str) -> tuple[str, ...]:
    return tuple(case for case in state.open_cases.get(person, ()) if case in state.cases)


def _reason(state: State, why: str, find: Finder, zone: tzinfo) -> str:
    code, _, event_id = why.partition(" at ")
    if code in CODES and event_id:
        return _alert(state, code, find(event_id), zone)
    if why.startswith("concern opened by "):
        found = _lead_concern(why.removeprefix("concern opened by "), find)
        if found is not None:
            by, entry = found
            return f"a concern opened by {wording.person(state, by)} on {_when(entry.at, zone)}"
    return why


def _alert(state: State, code: str, entry: Entry | None, zone: tzinfo) -> str:
    if entry is None:
        return code
    cause = CAUSES.get(entry.type, f"a {entry.type.replace('_', ' ')}")
    by = (entry.payload or {}).get("by")
    return f"{code} on {_when(entry.at, zone)}, at {cause}" + (
        f" by {wording.person(state, by)}" if isinstance(by, str) else ""
    )


def _lead_concern(rest: str, find: Finder) -> tuple[str, Entry] | None:
    """The lead and the ``concern`` event in ``BY at EVENT`` (an id may itself hold " at ")."""
    start = rest.find(" at ")
    while start != -1:
        by, event_id = rest[:start], rest[start + len(" at ") :]
        entry = find(event_id)
        if entry is not None and entry.type == "concern" and (entry.payload or {}).get("by") == by:
            return by, entry
        start = rest.find(" at ", start + 1)
    return None


def _when(at: str | datetime, zone: tzinfo) -> str:
    moment = datetime.fromisoformat(at) if isinstance(at, str) else at
    return f"{moment.astimezone(zone):%Y-%m-%d %H:%M}"
