"""Watchlists: the people a site must not admit, and how someone is judged against an entry.

An entry is one person on one list (the site's own, denied persons, court orders, a published
sanctions list): a name, aliases, and where the list gives them, dates of birth, nationalities
and document numbers. A *subject* is whoever is being screened: the names they gave, and a
date of birth and document numbers when known.

Judging a subject against an entry:

- every name of the subject is compared with every name of the entry (``gatewatch.core.names``:
  spelling, order, transliteration, initials, particles); the best pair gives the score and
  says which alias matched, part by part;
- a document number of the subject that the entry lists is a match whatever the names say;
- a date of birth on both sides that agrees (to the precision both give) is said; one that
  disagrees lowers the score by ``BIRTH_DATE_PENALTY``: a name that only just matched no longer
  does, a name that matches well still does (lists carry wrong dates; a guard must not be told
  a wanted man is clear because his papers give another birthday);
- a listed date of birth that cannot be true never lowers the score, nor agrees: one that
  names no day of the calendar (``1990-02-30``), is not written as a date, or lies so far from
  the subject's own date of birth that it is no living person's
  (``gatewatch.core.birth_dates.impossible_beside``). It is said, and left out. Imports set
  such dates aside (``gatewatch.core.watch_checks``); this holds for entries stored before, too.

A candidate is a *match* from ``VARIANT_THRESHOLD``; weaker candidates from ``SHOWN_FROM`` are
shown to an analyst but raise nothing. Pure and deterministic.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import msgspec

from gatewatch.core.birth_dates import impossible_beside
from gatewatch.core.names import VARIANT_THRESHOLD, NameComparison, compare_names

SHOWN_FROM = 0.5
"""Candidates scoring below this are not worth an analyst's look."""

BIRTH_DATE_PENALTY = 0.15
"""Taken off the score when both sides give a date of birth and no two agree."""


class WatchEntry(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """Someone the site must not admit: a name, its aliases, and why (as a drill writes it, too)."""

    name: str
    aliases: tuple[str, ...] = ()
    note: str | None = None
    list: str = "site"
    id: str | None = None
    birth_dates: tuple[str, ...] = ()
    """ISO dates, whole or partial as lists give them: ``1893-11-07``, ``1893-11``, ``1893``."""
    nationalities: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    """Passport and other document numbers."""

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def key(self) -> str:
        """How the entry is named in alerts and records: its id on the list, else its name."""
        return self.id or self.name


class Subject(msgspec.Struct, frozen=True):
    """Whoever is being screened: the names they gave, and what else is known."""

    names: tuple[str, ...]
    birth_date: date | None = None
    documents: tuple[str, ...] = ()


class Candidate(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """An entry that resembles the subject, with the score and the reasons in plain words."""

    list: str
    entry: str
    name: str
    alias: str
    """The entry's name that matched best (the entry's own name, or one of its aliases)."""
    against: str
    """The subject's name that matched it."""
    score: float
    reasons: tuple[str, ...]
    note: str | None = None
    """What the list says of the entry (why the person is on it)."""

    @property
    def is_match(self) -> bool:
        return self.score >= VARIANT_THRESHOLD


def document_number(text: str) -> str:
    """A document number as compared: letters and digits only, upper case."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def judge(entry: WatchEntry, subject: Subject, names: Iterable[str] | None = None) -> Candidate | None:
    """The subject against one entry (only the entry's ``names`` given, or all of them).

    The best pair of names gives the score; a shared document number makes it 1.0; the dates
    of birth then agree, lower it by ``BIRTH_DATE_PENALTY``, or say nothing. A listed date of
    birth that cannot be true is left out and never lowers the score.
    """
    best: NameComparison | None = None
    for theirs in entry.all_names if names is None else names:
        for ours in subject.names:
            found = compare_names(ours, theirs)
            if best is None or found.score > best.score:
                best = found
    score = best.score if best is not None else 0.0
    reasons = [best.explanation] if best is not None and best.score >= SHOWN_FROM else []
    shared = _shared_document(entry, subject)
    if shared is not None:
        score = 1.0
        reasons.insert(0, f"document number {shared} is on the entry")
    score, said = _birth_dates(entry, subject.birth_date, score)
    reasons += said
    if score < SHOWN_FROM:
        return None
    alias = best.right if best is not None else entry.name
    against = best.left if best is not None else subject.names[0] if subject.names else ""
    return Candidate(entry.list, entry.key, entry.name, alias, against, round(score, 3), tuple(reasons), entry.note)


def _shared_document(entry: WatchEntry, subject: Subject) -> str | None:
    theirs = {document_number(d) for d in entry.documents}
    return next((number for d in subject.documents if (number := document_number(d)) in theirs and number), None)


def _birth_dates(entry: WatchEntry, born: date | None, score: float) -> tuple[float, list[str]]:
    """Compare the subject's date of birth with the entry's that can be true: agreeing is said,
    disagreeing lowers the score; the entry's dates that cannot be true are said and left out."""
    if born is None or not entry.birth_dates:
        return score, []
    ours = born.isoformat()
    impossible = {d: why for d in entry.birth_dates if (why := impossible_beside(d, born)) is not None}
    said = [f"the entry's date of birth {d} cannot be true ({why}): left out" for d, why in impossible.items()]
    possible = [d.strip() for d in entry.birth_dates if d not in impossible]
    if not possible:
        return score, said
    agreeing = [d for d in possible if ours.startswith(d)]
    if agreeing:
        return score, [*said, f"born {ours}, as the entry ({agreeing[0]})"]
    listed = ", ".join(possible)
    return max(0.0, score - BIRTH_DATE_PENALTY), [*said, f"born {ours}, the entry {listed}: score lowered"]


def ranked(candidates: Iterable[Candidate], limit: int) -> tuple[Candidate, ...]:
    """Best first (ties by list and entry, so that the order is the same on every run)."""
    return tuple(sorted(candidates, key=lambda c: (-c.score, c.list, c.entry))[:limit])


def screen_entries(entries: Iterable[WatchEntry], subject: Subject, limit: int = 10) -> tuple[Candidate, ...]:
    """Judge the subject against every entry, one by one: for short lists, and as the yardstick
    the index is measured against."""
    return ranked((c for entry in entries if (c := judge(entry, subject)) is not None), limit)
