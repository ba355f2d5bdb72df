"""WATCHLIST_MATCH: nobody on the site's watchlist is admitted under any spelling.

Procedure: every name a person is registered or identified under is compared with each
watchlist name and alias. A variant (spelling, order, transliteration, initials) is a match:
high, and the person becomes of concern. The alert names the list, the entry and the alias
that matched.
"""

from __future__ import annotations

from gatewatch.core import wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.names import NameComparison, best_variant
from gatewatch.core.state import State, WatchEntry

CODE = AlertCode.WATCHLIST_MATCH


def best_match(state: State, names: tuple[str, ...]) -> tuple[WatchEntry, NameComparison] | None:
    found: tuple[WatchEntry, NameComparison] | None = None
    for entry in state.watchlist:
        for name in names:
            match = best_variant(name, entry.all_names)
            if match is not None and (found is None or match.score > found[1].score):
                found = (entry, match)
    return found


def check(state: State, person_id: str, names: tuple[str, ...]) -> Alert | None:
    found = best_match(state, names)
    if found is None:
        return None
    entry, match = found
    alias = "" if match.right == entry.name else f' under the alias "{match.right}"'
    note = f" ({entry.note})" if entry.note else ""
    who = wording.person(state, person_id)
    return Alert(
        CODE,
        Severity.HIGH,
        f'{who} matches "{entry.name}"{alias} on the {entry.list} watchlist{note} '
        f"[{match.explanation}]: hold {who} at the gate and call the head of the guard",
        people=(person_id,),
        concern=(person_id,),
    )
