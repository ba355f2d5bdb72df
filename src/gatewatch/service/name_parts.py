"""Name parts looked up before the desk's lock, so that the engine finds them in memory.

The engine compares names inside ``step``, under the desk's lock. A part whose symbols are not
in memory would be looked up there: while the name-data process is still building rigour's
tagger, the desk, and a door badge behind it, would wait for it. So before an event enters the
lock, its submitter (in its own thread, never on the event loop) looks up in one batch the parts
of every name the engine may compare for it, and waits there if the name data is not ready yet:

- an ``identify``: the name given, the names the person gave before, and the name written in the
  document's machine-readable zone;
- with a watchlist in the state (drills): a ``register``'s or ``identify``'s name, the names of
  every person the event names who has not been screened yet, and every entry's names;
- a screening: the names screened (``prepare_names``); the service judges them outside the lock.

Each name is cut into parts as the matcher cuts it (rigour's analysis without its tagger, which
is instant), and its parts asked for in one batch; then the name is analysed as the matcher
analyses it, in the same thread, which looks up anything else it needs and keeps the analysis.
Events without names look nothing up.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from gatewatch.core import events as ev
from gatewatch.core.mrz import parse_mrz
from gatewatch.core.name_symbols import remember
from gatewatch.core.names import analyse
from gatewatch.core.state import State


def prepare(state: State, event: ev.Event) -> int:
    """Look up the parts of every name the engine may compare for ``event``; how many were asked for."""
    return prepare_names(names_compared(state, event))


def prepare_names(names: Iterable[str]) -> int:
    """Look up, in one batch, the parts of ``names`` not yet in memory (how many were asked for);
    then analyse each name as the matcher does, so that whatever else it looks up for a part
    (the full names a nickname stands for) is looked up here too, and the analysis is kept."""
    wanted = tuple(dict.fromkeys(names))
    asked = remember(part for name in wanted for part in parts_of(name))
    for name in wanted:
        analyse(name)
    return asked


def names_compared(state: State, event: ev.Event) -> tuple[str, ...]:
    """Every name the engine may compare when it decides ``event`` in ``state``."""
    found: list[str] = []
    if isinstance(event, ev.Identify):
        found += _identity_names(state, event)
    if state.watchlist:
        found += _screened_names(state, event)
    return tuple(dict.fromkeys(n for n in found if n))


def _identity_names(state: State, event: ev.Identify) -> list[str]:
    """The name given, the person's earlier names, and the zone's name (identity conflicts)."""
    if not event.name:
        return []
    identity = state.identities.get(event.person)
    earlier = list(identity.names) if identity is not None else []
    return [event.name, *earlier, *_zone_name(event)]


def _zone_name(event: ev.Identify) -> list[str]:
    document = event.document
    if document is None or not document.mrz:
        return []
    try:
        return [parse_mrz(document.mrz, reference_year=event.at.year).full_name]
    except ValueError:  # not a zone that can be read: no name in it to compare
        return []


def _screened_names(state: State, event: ev.Event) -> list[str]:
    """With a watchlist in the state: the names screened for this event, and the entries' names."""
    screened: list[str] = []
    if isinstance(event, ev.Register) and event.person.name:
        screened.append(event.person.name)
    if isinstance(event, ev.Identify) and event.name:
        screened.append(event.name)
    for person in ev.people_named(event):
        if person in state.people and person not in state.screened_names:
            identity = state.identities.get(person)
            screened += identity.names if identity is not None else ()
    if not screened:
        return []
    return [*screened, *(name for entry in state.watchlist for name in entry.all_names)]


@lru_cache(maxsize=65_536)
def parts_of(name: str) -> tuple[str, ...]:
    """The name's parts as the matcher looks them up: normalised and transliterated, each written alone."""
    from rigour.names import NameTypeTag, analyze_names  # without symbols: no tagger

    found = analyze_names(NameTypeTag.PER, [name], infer_initials=True, symbols=False)
    return tuple(dict.fromkeys(part.comparable for analysed in found for part in analysed.parts if part.comparable))
