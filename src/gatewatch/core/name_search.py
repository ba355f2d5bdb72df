"""Finding people by any name: what a guard types against every name a person gave.

A guard types a few words (``schussler``, ``Trotsky``, ``jacson``); a person is found when each
word is found in their id or one of their names:

- **in the letters**: the word is part of the name once both are folded alike: case,
  accents, punctuation and script set aside, in each Latin spelling a name has (Schüssler is
  ``schussler``; Лев Троцкий is ``lev trotsky`` as rigour writes it and ``lev trockij`` as
  ICU does), and without the German spellings of umlauts (Schuessler is ``schussler`` too),
  so that either spelling finds the other;
- **as a spelling**: a word of five letters or more sounds like one part of the name, or is
  a slip of the pen from it (one letter, two in a part longer than six), starting with the
  same letter: Jacson finds Jackson, Natalia finds Наталья (``natalya``).

Found in the letters ranks before found only as a spelling. Nicknames and known variants
(Bob / Robert) are left to the identity checks of ``gatewatch.core.names``: their name data
takes the interpreter whole seconds to load, and a search must answer at once. Pure; folded
names are cached.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from normality import ascii_text as icu_ascii
from rapidfuzz.distance import OSA
from rigour.text.phonetics import metaphone
from rigour.text.translit import ascii_text as rigour_ascii

SHORTEST_SPELLING_WORD = 5
"""A shorter word is found in the letters only: one letter off, Ada would find Ana and Anna."""

LONGEST_ONE_SLIP_PART = 6
"""Up to this length a part is one slip of the pen from a word; longer, two."""

UMLAUT_SPELLINGS = (("ae", "a"), ("oe", "o"), ("ue", "u"))
"""German writes ä, ö, ü as ae, oe, ue when it has no umlauts; folded alike on both sides."""


NOT_LETTERS = re.compile(r"[^a-z0-9]+")


def _letters(ascii_form: str) -> str:
    """Lower-case letters and digits, every other run of characters one space."""
    return NOT_LETTERS.sub(" ", ascii_form.lower()).strip()


def _without_umlaut_spellings(text: str) -> str:
    for written, plain in UMLAUT_SPELLINGS:
        text = text.replace(written, plain)
    return text


LAST_LATIN = 0x024F
"""Above this code point a letter is of another script (Cyrillic, Greek, …): rigour spells it too."""


@lru_cache(maxsize=65_536)
def _rigour_word(word: str) -> str:
    """One word as rigour writes it in Latin letters (Троцкий: Trotsky); slow, so kept."""
    return rigour_ascii(word)


@lru_cache(maxsize=65_536)
def spellings(text: str) -> frozenset[str]:
    """Every folded Latin spelling of a name or a typed word (rigour's, ICU's; umlauts folded)."""
    if text.isascii():
        forms = {_letters(text)}
    else:
        forms = {_letters(icu_ascii(text) or "")}
        if any(ord(ch) > LAST_LATIN for ch in text):
            forms.add(_letters(" ".join(_rigour_word(w) for w in text.split())))
    forms |= {_without_umlaut_spellings(f) for f in forms}
    return frozenset(f for f in forms if f)


@dataclass(frozen=True, slots=True)
class Sound:
    """One part of a name as a spelling is compared: its letters and how it sounds."""

    letters: str
    metaphone: str


@lru_cache(maxsize=65_536)
def sounds(text: str) -> tuple[Sound, ...]:
    """Each part of each spelling of a name, with its sound."""
    parts = {part for form in spellings(text) for part in form.split() if part.isalpha()}
    return tuple(Sound(p, metaphone(p)) for p in sorted(parts))


@lru_cache(maxsize=65_536)
def haystack(names: tuple[str, ...]) -> str:
    """Every spelling of every name, one a line: a folded word never spans two."""
    return "\n".join(form for name in names for form in spellings(name))


def in_the_letters(word: str, names: tuple[str, ...]) -> bool:
    """The word is part of one of the names, folded alike."""
    folded = haystack(names)
    return any(w in folded for w in spellings(word))


def _spelled_alike(typed: Sound, part: Sound) -> bool:
    """Same first letter, and the same sound or a slip of the pen apart."""
    if typed.letters[0] != part.letters[0] or abs(len(typed.letters) - len(part.letters)) > 2:
        return False
    if typed.metaphone and typed.metaphone == part.metaphone:
        return True
    slips = 1 if max(len(typed.letters), len(part.letters)) <= LONGEST_ONE_SLIP_PART else 2
    return OSA.distance(typed.letters, part.letters, score_cutoff=slips) <= slips


def as_a_spelling(word: str, names: tuple[str, ...]) -> bool:
    """The word, five letters or more, is spelled like one part of one of the names."""
    typed = [s for s in sounds(word) if len(s.letters) >= SHORTEST_SPELLING_WORD]
    return any(_spelled_alike(t, part) for name in names for part in sounds(name) for t in typed)


def match(words: Iterable[str], names: Iterable[str]) -> str | None:
    """How these names answer the typed words: ``"letters"``, ``"spelling"`` or ``None``.

    ``"letters"`` when every word is found in the letters; ``"spelling"`` when every word is
    found, some only as a spelling. No words at all match everything; a word with no letters
    (a dash, a comma) asks nothing.
    """
    given = tuple(names)
    how = "letters"
    for word in words:
        if not spellings(word) or in_the_letters(word, given):
            continue
        if not as_a_spelling(word, given):
            return None
        how = "spelling"
    return how
