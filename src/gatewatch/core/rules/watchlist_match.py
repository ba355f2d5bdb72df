"""WATCHLIST_MATCH: nobody on the site's watchlists is admitted under any spelling.

Procedure: every name a person is registered or identified under is screened against every
watchlist entry, its name and its aliases. A variant (spelling, order, transliteration,
initials) is a match, and so is a document number the entry lists: high, and the person
becomes of concern. The alert names the list, the entry and the alias that matched, and why.

A drill's watchlist is screened here, entry by entry. A site's own lists, which may hold a
million entries, are screened by the service through an index; it records each screening as a
``watchlist_check`` event, and a match in it raises this alert the same way.
"""

from __future__ import annotations

from datetime import date

from gatewatch.core import wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.state import State
from gatewatch.core.watchlist import Candidate, Subject, screen_entries

CODE = AlertCode.WATCHLIST_MATCH


def best_match(state: State, names: tuple[str, ...], born: date | None = None) -> Candidate | None:
    """The best candidate on the drill's watchlist that is a match, or ``None``."""
    found = screen_entries(state.watchlist, Subject(names, born), limit=1)
    return found[0] if found and found[0].is_match else None


def check(state: State, person_id: str, names: tuple[str, ...], born: date | None = None) -> Alert | None:
    found = best_match(state, names, born)
    return raised(state, person_id, found) if found else None


def raised(state: State, person_id: str, match: Candidate) -> Alert:
    """The alert for a person matching a watchlist entry."""
    alias = "" if match.alias == match.name else f' under the alias "{match.alias}"'
    said = f" ({match.note})" if match.note else ""
    who = wording.person(state, person_id)
    return Alert(
        CODE,
        Severity.HIGH,
        f'{who} matches "{match.name}"{alias} on the {match.list} watchlist{said} '
        f"[{'; '.join(match.reasons)}]: hold {who} at the gate and call the head of the guard",
        people=(person_id,),
        concern=(person_id,),
    )
