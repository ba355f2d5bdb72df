"""Name variants: are two written names the same person's name?

A guard sees one man write "Frank Jacson" and later show papers as "Jacques Mornard": two
names, an identity conflict. The same guard must not cry wolf when a woman signs
"AGELOFF, Sylvia" after being registered as "Sylvia Ageloff", or "Natalya" for "Natalia".

Two names are *variants* when their parts line up one to one, in any order, and each pair is
one of:

- **same**: equal once case, accents, punctuation and script are set aside (rigour
  normalises and transliterates Cyrillic, Greek, Arabic and accented Latin);
- **known variant**: the two parts share a name identity in rigour's name data (Natalia /
  Natalya, Aleksandr / Alexander, Mohammed / Muhammad, Leon / Лев);
- **nickname**: they share a nickname group (Bob / Robert, Jon / John);
- **initial**: one is the other's initial (R. / Robert);
- **spelling**: the same sound (metaphone, for parts of five letters or more) or one slip of
  the pen (one edit, a swap of two letters counting as one, in a part of up to six letters;
  two in a longer one): Jacson / Jackson, Andrew / Adnrew. Transliteration schemes differ, so
  a part written in another script is compared in each Latin spelling it has (rigour's and
  ICU's): Фотий is "foty" and "fotij". Two parts both written in Arabic or Hebrew script are
  never a slip apart: written without vowels, a letter apart is another name (تامر, طاهر).
  Maria / Mario is one slip too: the desk looks at the papers, not at the ending.

Every part of the shorter name must line up; the longer name may have more (middle names,
patronymics, initials); particles (al-, el-, van, von, de, …) may be present or absent. When
both names have two parts or more, at least two must line up, and one of them must be more
than an initial: a shared surname alone is a relative, not the same person. A lone given name
against a full name is too little to tie them and scores below the threshold.

The score is the mean strength of the aligned pairs over the shorter name's parts; a name is
a variant from ``VARIANT_THRESHOLD``. Pure and deterministic; analyses are cached.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

VARIANT_THRESHOLD = 0.8
"""From this score two names are variants of one name."""

PARTICLES = frozenset(
    {
        "al",
        "el",
        "ul",
        "bin",
        "ibn",
        "ben",
        "bint",
        "abu",
        "van",
        "von",
        "der",
        "den",
        "de",
        "di",
        "da",
        "du",
        "del",
        "della",
        "dos",
        "das",
        "la",
        "le",
        "ter",
        "ten",
        "zu",
        "y",
        "e",
    }
)
"""Particles that may be written or left out (rigour also tags some as stop words)."""

STRENGTH = {
    "same": 1.0,
    "known variant": 0.95,
    "nickname": 0.9,
    "spelling": 0.85,
    "initial": 0.8,
}
PARTIAL_CAP = 0.75
"""The highest score a pair of names can have when the alignment rules are not all met."""


@dataclass(frozen=True, slots=True)
class Part:
    form: str
    comparable: str
    metaphone: str | None
    names: frozenset[str]
    nicknames: frozenset[str]
    optional: bool
    latin: frozenset[str] = frozenset()
    """Every Latin spelling the part has: rigour's, and ICU's transliteration (``фотий``: foty, fotij)."""

    @property
    def is_initial(self) -> bool:
        return len(self.comparable) == 1


@dataclass(frozen=True, slots=True)
class PartMatch:
    """How one part lines up with another; ``""`` on a side means it has no partner."""

    left: str
    right: str
    how: str
    score: float


@dataclass(frozen=True, slots=True)
class NameComparison:
    left: str
    right: str
    score: float
    parts: tuple[PartMatch, ...]

    @property
    def is_variant(self) -> bool:
        return self.score >= VARIANT_THRESHOLD

    @property
    def explanation(self) -> str:
        """In plain words, part by part: ``natalia ≈ natalya (known variant); sedova = sedova``."""
        said = []
        for p in self.parts:
            if p.how == "same":
                said.append(f"{p.left} = {p.right}")
            elif p.left and p.right:
                said.append(f"{p.left} ≈ {p.right} ({p.how})")
            else:
                said.append(f"{p.left or p.right} ({p.how})")
        return "; ".join(said) if said else "nothing to compare"


@lru_cache(maxsize=65_536)
def analyse(name: str) -> tuple[Part, ...]:
    """A name's parts, normalised and transliterated, with rigour's symbols for each part."""
    from rigour.names import NamePartTag, NameTypeTag, SymbolCategory, analyze_names  # loaded on first use

    analysed = sorted(analyze_names(NameTypeTag.PER, [name], infer_initials=True), key=lambda n: n.form)
    if not analysed:
        return ()
    best = analysed[0]
    names: dict[int, set[str]] = {}
    nicknames: dict[int, set[str]] = {}
    for span in best.spans:
        if len(span.parts) != 1:
            continue
        index = span.parts[0].index
        if span.symbol.category == SymbolCategory.NAME:
            names.setdefault(index, set()).add(str(span.symbol.id))
        elif span.symbol.category == SymbolCategory.NICK:
            nicknames.setdefault(index, set()).add(str(span.symbol.id))
    return tuple(
        Part(
            form=part.form,
            comparable=part.comparable,
            metaphone=part.metaphone if len(part.comparable) >= 5 else None,
            names=frozenset(names.get(part.index, ())),
            nicknames=frozenset(nicknames.get(part.index, ())),
            # a single letter is an initial, never a particle ("E. Akca", not "e" for "and")
            optional=len(part.comparable) > 1 and (part.tag == NamePartTag.STOP or part.comparable in PARTICLES),
            latin=latin_forms(part.form, part.comparable),
        )
        for part in best.parts
        if part.comparable
    )


def latin_forms(form: str, comparable: str) -> frozenset[str]:
    """The part in Latin letters as rigour writes it and as ICU transliterates it.

    Schemes differ (Фотий: rigour "foty", ICU "fotij"; rigour keeps Arabic script where ICU
    gives "nahd"): a name written in either scheme finds the other.
    """
    from normality import ascii_text

    icu = "".join(ch for ch in (ascii_text(form) or "").lower() if ch.isalnum())
    return frozenset(f for f in (comparable, icu) if f and f.isascii())


def pair(a: Part, b: Part) -> str | None:
    """How two parts are one name part, or ``None``."""
    if a.comparable == b.comparable or a.latin & b.latin:
        return "same"
    if a.is_initial or b.is_initial:
        short, full = (a, b) if a.is_initial else (b, a)
        return "initial" if not full.is_initial and full.comparable.startswith(short.comparable) else None
    if a.names & b.names:
        return "known variant"
    if a.nicknames & b.nicknames:
        return "nickname"
    if _abjad(a.form) and _abjad(b.form):
        return None  # written without vowels, every letter is the name's: a letter apart is another name
    if a.metaphone and a.metaphone == b.metaphone and a.comparable[0] == b.comparable[0]:
        return "spelling"
    from rapidfuzz.distance import OSA  # a swap of two letters is one slip, as a deletion is

    allowed = 1 if max(len(a.comparable), len(b.comparable)) <= 6 else 2
    for left in a.latin or {a.comparable}:
        for right in b.latin or {b.comparable}:
            if OSA.distance(left, right, score_cutoff=allowed) <= allowed:
                return "spelling"
    return None


def _abjad(form: str) -> bool:
    """Written in Arabic or Hebrew script."""
    return any("\u0590" <= ch <= "\u06ff" for ch in form)


def _align(left: tuple[Part, ...], right: tuple[Part, ...]) -> list[tuple[int, int, str]]:
    """Best pairs first, each part used once; ties broken by position, so the result is stable."""
    candidates = []
    for i, a in enumerate(left):
        for j, b in enumerate(right):
            how = pair(a, b)
            if how is not None:
                candidates.append((-STRENGTH[how], a.optional or b.optional, i, j, how))
    candidates.sort()
    used_left: set[int] = set()
    used_right: set[int] = set()
    chosen = []
    for _, _, i, j, how in candidates:
        if i not in used_left and j not in used_right:
            used_left.add(i)
            used_right.add(j)
            chosen.append((i, j, how))
    return sorted(chosen)


def compare_names(left: str, right: str) -> NameComparison:
    """Score two names as variants of one name, with the part-by-part explanation."""
    a, b = analyse(left), analyse(right)
    size_a, size_b = _substantive(a), _substantive(b)
    if size_a > size_b or (size_a == size_b and left > right):
        flipped = compare_names(right, left)
        parts = tuple(PartMatch(p.right, p.left, p.how, p.score) for p in flipped.parts)
        return NameComparison(left, right, flipped.score, parts)
    return _scored(left, right, a, b)


def _substantive(parts: tuple[Part, ...]) -> int:
    return sum(not p.optional for p in parts)


def _scored(left: str, right: str, short: tuple[Part, ...], long: tuple[Part, ...]) -> NameComparison:
    aligned = _align(short, long)
    matches = [PartMatch(short[i].form, long[j].form, how, STRENGTH[how]) for i, j, how in aligned]
    matched_short = {i for i, _, _ in aligned}
    matched_long = {j for _, j, _ in aligned}
    needed = [i for i, p in enumerate(short) if not p.optional]
    unmatched = [short[i] for i in needed if i not in matched_short]
    extra = [p for j, p in enumerate(long) if j not in matched_long]
    matches += [PartMatch(p.form, "", "unmatched", 0.0) for p in unmatched]
    matches += [PartMatch("", p.form, "particle" if p.optional else "extra part", 0.0) for p in extra]
    matches += [
        PartMatch(short[i].form, "", "particle", 0.0)
        for i, p in enumerate(short)
        if p.optional and i not in matched_short
    ]
    if not needed:
        return NameComparison(left, right, 0.0, tuple(matches))
    strength = sum(STRENGTH[how] for i, _, how in aligned if i in needed) / len(needed)
    return NameComparison(left, right, round(min(strength, _cap(short, long, aligned)), 4), tuple(matches))


def _cap(short: tuple[Part, ...], long: tuple[Part, ...], aligned: list[tuple[int, int, str]]) -> float:
    """The alignment rules: a score above ``PARTIAL_CAP`` only when they all hold."""
    substantive_short = [p for p in short if not p.optional]
    substantive_long = [p for p in long if not p.optional]
    solid = [(i, j) for i, j, how in aligned if how != "initial" and not short[i].optional]
    if not solid:
        return PARTIAL_CAP
    if len(substantive_short) >= 2 and len(substantive_long) >= 2 and len(aligned) < 2:
        return PARTIAL_CAP
    if len(substantive_short) == 1 and len(substantive_long) >= 2:
        return PARTIAL_CAP
    return 1.0


def is_variant(left: str, right: str) -> bool:
    return compare_names(left, right).is_variant


def best_variant(name: str, candidates: Iterable[str]) -> NameComparison | None:
    """The best-scoring candidate that is a variant of ``name``, or ``None``."""
    best: NameComparison | None = None
    for candidate in candidates:
        found = compare_names(name, candidate)
        if found.is_variant and (best is None or found.score > best.score):
            best = found
    return best
