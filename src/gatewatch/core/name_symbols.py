"""What rigour's name data knows of one name part: the names and nicknames it is written for.

rigour tags a name's parts with *symbols*: a name identity from its name-equivalence data
(Natalia and Natalya share one), or a nickname group (Maggie for Margaret). The tagger that
finds them is built from data compiled into rigour's extension, which takes seconds of the
interpreter's whole attention on its first use in a process.

Each part is looked up written alone, so that what a part is known as is a function of the part
and nothing else: the same answer in every name, and an answer that can be remembered.

Procedure: ``symbols_of`` answers from memory when it can; otherwise it asks the installed
*lookup* and remembers the answer. The lookup is rigour in this process unless the shell
installs another (``install``): the server installs one that asks a process of its own, where
the tagger is built without holding the server. Whichever lookup answers, the answer for a
part is the same. ``remember`` asks for many parts in one batch, so that a caller can have them
known before the engine needs them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PartSymbols:
    """The name identities and nickname groups rigour's data gives one part."""

    names: frozenset[str] = frozenset()
    nicknames: frozenset[str] = frozenset()


NOTHING = PartSymbols()

Lookup = Callable[[Sequence[str]], Mapping[str, PartSymbols]]
"""Answers the symbols of several parts at once: every part asked for is in the answer."""

_known: dict[str, PartSymbols] = {}


def looked_up_here(parts: Sequence[str]) -> dict[str, PartSymbols]:
    """The parts' symbols from rigour in this process (its tagger is built here on first use)."""
    return {part: _looked_up(part) for part in dict.fromkeys(parts)}


_lookup: Lookup = looked_up_here


def install(lookup: Lookup | None) -> None:
    """Have parts not yet known looked up by ``lookup`` from now on (``None``: rigour in this process)."""
    global _lookup
    _lookup = looked_up_here if lookup is None else lookup


def installed() -> Lookup:
    """The lookup that answers parts not yet known."""
    return _lookup


def symbols_of(part: str) -> PartSymbols:
    """The symbols of one normalised name part (``margaret``), as rigour tags it written alone."""
    found = _known.get(part)
    if found is None:
        found = _asked([part])[part]
    return found


def is_known(part: str) -> bool:
    """Whether the part's symbols are in memory (asking for them costs nothing)."""
    return part in _known


def remember(parts: Iterable[str]) -> int:
    """Look up, in one batch, the parts not yet known; how many were asked for."""
    unknown = [part for part in dict.fromkeys(parts) if part not in _known]
    if unknown:
        _asked(unknown)
    return len(unknown)


def _asked(parts: Sequence[str]) -> Mapping[str, PartSymbols]:
    """Ask the installed lookup and remember what it says; a part it leaves out is an error."""
    answer = _lookup(parts)
    missing = [part for part in parts if part not in answer]
    if missing:
        raise LookupError(f"the name-part lookup gave no answer for {len(missing)} parts (first: {missing[0]!r})")
    for part in parts:
        _known[part] = answer[part]
    return answer


def _looked_up(part: str) -> PartSymbols:
    from rigour.names import NameTypeTag, SymbolCategory, analyze_names  # the tagger loads on first use

    names: set[str] = set()
    nicknames: set[str] = set()
    for name in analyze_names(NameTypeTag.PER, [part], consolidate=False, rewrite=False):
        for span in name.spans:
            if len(span.parts) != 1:
                continue
            if span.symbol.category == SymbolCategory.NAME:
                names.add(str(span.symbol.id))
            elif span.symbol.category == SymbolCategory.NICK:
                nicknames.add(str(span.symbol.id))
    if not names and not nicknames:
        return NOTHING
    return PartSymbols(frozenset(names), frozenset(nicknames))
