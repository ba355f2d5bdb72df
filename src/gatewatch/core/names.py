"""Name variants: are two written names the same person's name?

A guard sees one man write "Frank Jacson" and later show papers as "Jacques Mornard": two
names, an identity conflict. The same guard must not cry wolf when a woman signs
"AGELOFF, Sylvia" after being registered as "Sylvia Ageloff", or "Natalya" for "Natalia".

**Reading a name.** A name is read with its runs of spaces made one, up to
``MAX_NAME_CHARACTERS`` and ``MAX_PARTS``. A title at its head ("President", "Dr.", "Sheikh")
is set aside and kept; initials written together ("A.B.", "JP", "I.Petrov") are written apart;
a family name written first before a comma, or in capitals among small letters, is put last.
rigour then normalises the name and cuts it into parts. A name in Chinese characters or
Hangul written as one word is cut into family name (one character; two for a compound family
name or in a four-character name) and given name. Each part carries what is known of it:
its Latin spellings (``gatewatch.core.name_scripts``: rigour's, ICU's and the BGN/UN
schemes for other scripts, pinyin for Chinese characters, the usual spellings of each Hangul
syllable), its name identities and nickname groups in rigour's data (each part looked up
written alone, ``gatewatch.core.name_symbols``), its full names in the nickname data
(``gatewatch.core.name_nicknames``), its spelling key and consonant skeleton
(``gatewatch.core.name_forms``), and how it reads as romanised Chinese. Particles (al, bin,
abd, van, de, …: ``PARTICLES``, not rigour's stop words, which hold names such as Un, Do and
Per) may be written or left out and never count as a part that agrees (but "Di" written for
邸 is a name). A name is *of Arabic origin* when it is written in Arabic script, has an Arabic
particle, or has a part with the consonants of a name in the Arabic name lists
(``gatewatch.core.name_nicknames.arabic_skeletons``); it is *romanised Chinese in Wade-Giles*
when every part splits into Chinese syllables and one needs Wade-Giles or the name has its
marks (T'an, ü, Mei-feng).

**Pairing parts.** Parts are compared singly and as the run-together of two neighbours (with
or without a particle between): IvanPetrov / Ivan Petrov, Abdelkarim / Abd el Karim; an Arabic
article before a sun letter also as it is said (Abdul Rahman: Abdurrahman; Nasser al-Din:
Nasreddin), and a part that is the article written against an Arabic name also as that name
(Elsayed: Sayed). Parts run together with more spellings than a part keeps are compared piece
by piece, so that every reading counts and the answer is the same in every process. Two parts
are one name part when they are:

- **same**: equal, or written alike in one of their Latin spellings (Лев / Lev); two parts in
  Chinese characters, Hangul or Kana are the same only character for character (山田 / 山本,
  서준 / 서윤 are other names, whatever their romanisation);
- **romanisation**: another system's spelling: Wade-Giles read as pinyin (Chiang / Jiang,
  when the name is romanised Chinese), Chinese characters in any reading, a Hangul syllable in
  any usual spelling (김 / Kim);
- **known variant**: a shared name identity in rigour's data (Natalia / Natalya);
- **nickname**: a shared nickname group or full name (Bob / Robert, Peggy / Margaret, Beto /
  Roberto), or a nickname of a known variant;
- **spelling**: the same spelling key (Yury / Yuri, Jon / John); in a name of Arabic origin
  the same Arabic key (Chakib / Shakib, Kaed / Qaid) or the same consonant skeleton of three
  letters or more (Qurashi / Qureshi, Muhammad / Mohamed) with the vowels of one name: a
  vowel in the same places, and not i against a, o or u (Hamid / Hamad, Muhammad / Mahmud,
  Karim / Akram are names of one root, not one name; a letter dropped is still a slip); the
  same sound (metaphone, five
  letters or more, of about one length); or one slip of the pen (one edit, a swap counting as
  one, up to six letters; two beyond). A slip keeps the first letter (Naina / Faina are two
  names) and never puts one consonant for another unless both write one sound (Jarir / Jadir
  are two names; Arampatzis / Arambatzis one);
- **initial**: one is the other's initial (R. / Robert).

A short part (four letters or fewer) one letter from another is another name (Li / Lu,
Kim / Lim), even when rigour's data links them, unless only a vowel differs in a name of two
consonants or more (Omar / Umar) or a letter is dropped from a part of three or more (Kar /
Karl); one Chinese or Korean syllable likewise, at any length (Zhang / Zhong, Jeon / Jeong),
and in a name of Arabic origin every part of up to five letters (Amir / Amr, Hamdi / Hadi).
Run-together parts match by their spelling alone, never by a slip. Two parts written in Arabic
or Hebrew script are never a slip apart: written without vowels, a letter apart is another
name (تامر / طاهر). Best pairs are taken first (single parts before run-together ones), each
part used once.

**Scoring.** The score is the mean strength of the pairs over the name with fewer parts.
It is held below ``VARIANT_THRESHOLD`` (a *weak* match from ``WEAK_THRESHOLD``, worth showing
but not raising) when:

- only initials agree, or a name of two parts or more has fewer than two that line up (a lone
  given name, a title with one name: "President Lopez"), or two parts or more of the longer
  name, more than half of it, are left over (Omar al-Hashimi / Omar Khalil Yusuf Ibrahim
  al-Hashimi; not a middle name added): ``PARTIAL_CAP``;
- the parts line up in another order where order means something: around a connector (bin,
  ibn, ould, oglu: Khalid bin Saeed is not Saeed bin Khalid), or two given names (as the
  nickname data and given-name lists know them) swapped in names that do not mark the family
  name (Thomas Martin / Martin Thomas): ``SWAP_CAP``.
  Elsewhere order is free (Sylvia Ageloff / Ageloff Sylvia);
- both names leave their family name (the last part: the nisba of an Arabic name) unmatched,
  or both leave their first given name unmatched: relatives sharing the rest of a long name
  are not one person: ``CONFLICT_CAP``.

The explanation says part by part what matched and how, and why a score was held. Pure and
deterministic; analyses are cached.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz.distance import OSA

from gatewatch.core.name_forms import (
    ARABIC_MARKERS,
    CONNECTORS,
    PARTICLES,
    Skeleton,
    arabic_key,
    consonants,
    layout,
    skeleton,
    skeletons_agree,
    spelling_key,
    vowels_agree,
)
from gatewatch.core.name_nicknames import arabic_skeletons, full_names_of, is_given_name
from gatewatch.core.name_scripts import (
    MAX_SPELLINGS,
    SYLLABIC,
    chinese_reading,
    han_spellings,
    hangul_pattern,
    icu_spellings,
    is_abjad,
    is_one_syllable,
    script_of,
    split_written_together,
)
from gatewatch.core.name_symbols import symbols_of

__all__ = [
    "PARTICLES",
    "VARIANT_THRESHOLD",
    "WEAK_THRESHOLD",
    "NameComparison",
    "Part",
    "PartMatch",
    "analyse",
    "analyse_name",
    "best_variant",
    "compare_names",
    "is_variant",
    "pair",
]

VARIANT_THRESHOLD = 0.8
"""From this score two names are variants of one name."""

WEAK_THRESHOLD = 0.5
"""From this score (below ``VARIANT_THRESHOLD``) two names are a weak match: worth showing."""

STRENGTH = {
    "same": 1.0,
    "romanisation": 0.95,
    "known variant": 0.95,
    "nickname": 0.9,
    "spelling": 0.85,
    "initial": 0.8,
}
PARTIAL_CAP = 0.75
"""The highest score when too few parts line up, or too many of the longer name are left over."""
SWAP_CAP = 0.7
"""The highest score when the parts line up in an order that changes who is meant."""
CONFLICT_CAP = 0.6
"""The highest score when both names leave their family name, or their first name, unmatched."""

SHORT_PART = 4
"""Parts of up to this many letters: one letter apart is another name."""
MAX_NAME_CHARACTERS = 300
"""A name is read up to this many characters (the rest is not a name)."""
MAX_PARTS = 16
"""A name is read up to this many parts."""
COVERED_ENOUGH = 0.5
"""The share of the longer name's parts that must line up when two or more are left over."""
NO_SKELETON = Skeleton("", 0, 0)


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
    script: str = "latin"
    key: str = ""
    """The spelling key (``gatewatch.core.name_forms.spelling_key``) of a part in Latin letters."""
    skeleton: Skeleton = NO_SKELETON
    readings: frozenset[str] = frozenset()
    """The part read as romanised Chinese, in pinyin (``chiang``: jiang, qiang)."""
    syllables: int = 0
    """How many Chinese syllables the part splits into (0: not romanised Chinese)."""
    wade_giles: bool = False
    nickname_names: frozenset[str] = frozenset()
    """The name identities of the full names the part is a nickname of."""
    given_name: bool = False
    pattern: re.Pattern[str] | None = None
    """For Hangul: every Latin spelling of its syllables."""
    syllable: bool = False
    """One Chinese or Korean syllable in Latin letters (Zhang, Jeon): a letter apart is another name."""
    joined: bool = False
    """Parts run together (IvanPetrov for Ivan Petrov): compared by their spelling alone."""
    arabic: bool = False
    """Of Arabic origin: written in Arabic script, or with the consonants of an Arabic name."""
    particle_joined: bool = False
    """Run together with a particle (Abdulrahim, Abd al-Rahim)."""
    pieces: tuple[frozenset[str], ...] = ()
    """Parts run together with more Latin spellings than ``latin`` keeps: each part's spellings."""
    reading_pieces: tuple[frozenset[str], ...] = ()
    """Likewise for the readings as romanised Chinese."""
    initial: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "initial", len(self.comparable) == 1 and self.script not in SYLLABIC)

    @property
    def is_initial(self) -> bool:
        return self.initial


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
    notes: tuple[str, ...] = ()
    """Why the score was held below what the parts alone give."""

    @property
    def is_variant(self) -> bool:
        return self.score >= VARIANT_THRESHOLD

    @property
    def is_weak(self) -> bool:
        """Worth an analyst's look, not a variant."""
        return WEAK_THRESHOLD <= self.score < VARIANT_THRESHOLD

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
        said += self.notes
        return "; ".join(said) if said else "nothing to compare"


Unit = tuple[tuple[int, ...], Part]
"""Parts taken together (one, or neighbours run together) and the part they make."""


@dataclass(frozen=True, slots=True)
class AnalysedName:
    """A name read for comparison: its parts, given names first and family name last."""

    parts: tuple[Part, ...]
    units: tuple[Unit, ...]
    family: int
    """The index of the family name (the last substantive part), -1 without one."""
    family_marked: bool
    """The name says which part is the family name (a comma, or capitals)."""
    title: str
    arabic: bool
    """Of Arabic origin: written in Arabic script or with an Arabic particle."""
    wade_giles: bool
    """Romanised Chinese with a syllable only Wade-Giles has."""
    chain: bool
    """A connector (bin, ould, oglu) ties the names in an order that means who is whose son."""
    substantive: tuple[int, ...] = ()
    """The indices of the parts that are not particles."""


_WADE_GILES_MARKS = re.compile(r"[A-Za-z]['’ʻ][a-z]|ü|[a-z]-[a-z]")
"""Marks of Wade-Giles in a name of Chinese syllables: an aspiration apostrophe (T'an), ü, a
hyphen between the syllables of a given name (Mei-feng)."""


def analyse_name(name: str) -> AnalysedName:
    """A name's parts and what is known of them (see the module's description), the name read
    as ``bounded`` gives it."""
    return _analysed(bounded(name))


_WORD = re.compile(r"\S+")


def bounded(name: str) -> str:
    """The name as it is read: its words with one space between them, up to
    ``MAX_NAME_CHARACTERS`` (spaces before or inside a name never push its letters past the
    bound); only as much of a long name is looked at as the bound needs."""
    kept: list[str] = []
    length = -1
    for word in _WORD.finditer(name):
        kept.append(word.group())
        length += len(kept[-1]) + 1
        if length >= MAX_NAME_CHARACTERS:
            break
    return " ".join(kept)[:MAX_NAME_CHARACTERS]


@lru_cache(maxsize=65_536)
def _analysed(name: str) -> AnalysedName:
    written = layout(name)
    given = _parts_of(written.given)
    family = _parts_of(written.family)
    parts = (given + family)[:MAX_PARTS]
    if len(parts) == 1 and parts[0].script in ("han", "hangul"):
        parts = tuple(_part(piece, piece, None) for piece in split_written_together(parts[0].form, parts[0].script))
    if parts and parts[0].comparable in CONNECTORS:  # Ben, Bin at the head of a name: a name, not "son of"
        head = parts[0]
        parts = (_part(head.form, head.comparable, head.metaphone, particle=False), *parts[1:])
    substantive = [i for i, p in enumerate(parts) if not p.optional]
    latin = [parts[i] for i in substantive if parts[i].script == "latin"]
    chinese = bool(latin) and all(p.syllables for p in latin)
    arabic = any(p.arabic or p.comparable in ARABIC_MARKERS for p in parts)
    return AnalysedName(
        parts=parts,
        units=_units(parts) + _without_articles(parts, arabic),
        family=substantive[-1] if substantive else -1,
        family_marked=bool(written.family),
        title=written.title,
        arabic=arabic,
        wade_giles=chinese and (any(p.wade_giles for p in latin) or bool(_WADE_GILES_MARKS.search(name))),
        chain=any(p.comparable in CONNECTORS and 0 < i < len(parts) - 1 for i, p in enumerate(parts)),
        substantive=tuple(substantive),
    )


_GLUED_ARTICLE = re.compile(r"^([aeu]l)([a-z]{4,})$")
"""The Arabic article written against a name of four letters or more (Elsayed, Alhashimi)."""


def _without_articles(parts: tuple[Part, ...], arabic: bool) -> tuple[Unit, ...]:
    """Parts that are the Arabic article written against a name (Elsayed, Alhashimi), in a
    name of Arabic origin or before a name the Arabic name lists know, read also as the name
    alone (as written, spelt without the article): Elsayed pairs with Sayed and al-Sayed, and
    still, read whole, with Alsayed. A part the given-name lists know (Alberto, Elmira) is
    only itself."""
    units: list[Unit] = []
    for i, part in enumerate(parts):
        glued = _GLUED_ARTICLE.match(part.comparable)
        if glued is None or part.optional or is_given_name(part.comparable):
            continue
        rest = glued.group(2)
        if arabic or skeleton(rest).letters in arabic_skeletons():
            units.append(((i,), _name_after_article(part.form, rest)))
    return tuple(units)


@lru_cache(maxsize=65_536)
def _name_after_article(form: str, rest: str) -> Part:
    from rigour.text import metaphone  # loaded on first use

    return replace(_part(rest, rest, metaphone(rest)), form=form)


def analyse(name: str) -> tuple[Part, ...]:
    """A name's parts, normalised and transliterated, with what is known of each part."""
    return analyse_name(name).parts


def _parts_of(text: str) -> tuple[Part, ...]:
    """The parts of a name (or of its family name) as rigour cuts and normalises them."""
    if not text.strip():
        return ()
    from rigour.names import NameTypeTag, analyze_names  # loaded on first use

    analysed = sorted(analyze_names(NameTypeTag.PER, [text], infer_initials=True, symbols=False), key=lambda n: n.form)
    if not analysed:
        return ()
    return tuple(_part(part.form, part.comparable, part.metaphone) for part in analysed[0].parts if part.comparable)


@lru_cache(maxsize=65_536)
def _part(form: str, comparable: str, metaphone: str | None, particle: bool = True) -> Part:
    """One part and what is known of it: the same answer for the part in every name. A part is
    a particle only when it is one of ``PARTICLES``: rigour's stop words hold names (Un, Do)."""
    script = script_of(form)
    symbols = symbols_of(comparable)
    plain = comparable if comparable.isascii() else ""
    full_names = full_names_of(plain) if plain else frozenset()
    syllables, wade_giles, readings = chinese_reading(plain) if script == "latin" else (0, False, frozenset())
    latin = _latin(form, comparable, script)
    return Part(
        form=form,
        comparable=comparable,
        metaphone=metaphone if len(comparable) >= 5 else None,
        names=symbols.names,
        nicknames=frozenset(f"~{n}" for n in symbols.nicknames) | {f"={f}" for f in full_names},
        # a single letter is an initial, never a particle ("E. Akca", not "e" for "and")
        optional=particle and len(comparable) > 1 and comparable in PARTICLES,
        latin=latin,
        script=script,
        key=spelling_key(plain) if plain else "",
        skeleton=skeleton(plain or min(latin, default="")),
        readings=readings,
        syllables=syllables,
        wade_giles=wade_giles,
        nickname_names=frozenset(n for f in full_names - {plain} for n in symbols_of(f).names),
        given_name=bool(plain) and (is_given_name(plain) or bool(symbols.nicknames)),
        pattern=hangul_pattern(form) if script == "hangul" else None,
        syllable=bool(plain) and is_one_syllable(plain),
        arabic=is_abjad(script) or (bool(plain) and skeleton(plain).letters in arabic_skeletons()),
    )


def _latin(form: str, comparable: str, script: str) -> frozenset[str]:
    """The part in Latin letters: rigour's spelling, and for another script every scheme's."""
    own = {comparable} if comparable.isascii() and comparable.isalnum() else set()
    if script == "latin":
        return frozenset(own)
    if script == "han":
        return frozenset(own) | han_spellings(form)
    return frozenset(own) | icu_spellings(form, script)


def _units(parts: tuple[Part, ...]) -> tuple[Unit, ...]:
    """Each substantive part alone, and neighbours run together: two parts, or three with a
    particle between (written with and without it); an Arabic article before a "sun letter"
    also as it is said and often written, that letter doubled (Abdul Rahman: Abdurrahman;
    Nasser al-Din: Nasser ad-Din, Nasreddin)."""
    units: list[Unit] = [((i,), p) for i, p in enumerate(parts)]  # a particle only for a syllabic script
    for i in range(len(parts) - 1):
        pair_of = parts[i : i + 2]
        if not all(p.optional for p in pair_of) and not all(p.initial for p in pair_of):
            units.append(((i, i + 1), _joined(pair_of)))
            said = _assimilated(*pair_of)
            if said is not None:
                units.append(((i, i + 1), _joined((said, pair_of[1]))))
        if i + 2 < len(parts) and parts[i + 1].optional and not parts[i + 2].optional:
            three = parts[i : i + 3]
            units.append(((i, i + 1, i + 2), _joined(three)))
            units.append(((i, i + 1, i + 2), _joined((three[0], three[2]))))
            said = _assimilated(three[1], three[2])
            if said is not None:
                units.append(((i, i + 1, i + 2), _joined((three[0], said, three[2]))))
    return tuple(units)


_ARTICLE_ENDS = re.compile(r"^(?:abd[aeiou]{0,2}|[aeu])l$")
"""Particles that end in the Arabic article: al, el, ul, abdul, abdel, abdoul."""
_SUN_LETTERS = re.compile(r"^(?:sh|th|dh|[tdrzsn])")
"""The letters the article is said as (ar-Rahman, as-Salam, ash-Shawish, ad-Din)."""


def _assimilated(article: Part, name: Part) -> Part | None:
    """The article as it is said before a name that begins with a sun letter (abdul before
    Rahman: abdur), or ``None``. Written as it was, spelt as it is said."""
    if not (article.optional and _ARTICLE_ENDS.match(article.comparable)):
        return None
    sun = _SUN_LETTERS.match(name.comparable)
    if sun is None:
        return None
    said = article.comparable[:-1] + sun.group()
    return replace(article, comparable=said, latin=frozenset({said}))


def _joined(parts: tuple[Part, ...]) -> Part:
    """Parts run together as one word (IvanPetrov, Abdelkarim, 泽东)."""
    scripts = {p.script for p in parts}
    script = parts[0].script if len(scripts) == 1 else "latin"
    syllabic = script in SYLLABIC
    form = ("" if syllabic else " ").join(p.form for p in parts)
    comparable = "".join(p.comparable for p in parts)
    latin, pieces = _run_together([p.latin or frozenset({p.comparable}) for p in parts])
    chinese = all(p.syllables for p in parts)
    readings, reading_pieces = (
        _run_together([p.readings | {p.comparable} for p in parts]) if chinese else (frozenset(), ())
    )
    plain = comparable if comparable.isascii() else ""
    return Part(
        form=form,
        comparable=comparable,
        metaphone=None,
        names=frozenset(),
        nicknames=frozenset(),
        optional=False,
        latin=latin,
        script=script,
        key=spelling_key(plain) if plain else "",
        skeleton=skeleton(plain or min(latin, default="")),
        readings=readings,
        syllables=sum(p.syllables for p in parts) if chinese else 0,
        wade_giles=any(p.wade_giles for p in parts),
        pattern=hangul_pattern(form) if script == "hangul" else None,
        joined=True,
        particle_joined=any(p.optional for p in parts),
        pieces=pieces,
        reading_pieces=reading_pieces,
    )


Pieces = tuple[frozenset[str], ...]


def _run_together(choices: list[frozenset[str]]) -> tuple[frozenset[str], Pieces]:
    """The spellings of parts run together, and the parts' own spellings when there are more
    than ``MAX_SPELLINGS`` of them (then the first, in alphabetical order, are kept: the same
    ones in every process, and the pieces answer for the rest)."""
    from itertools import islice, product

    spelt = frozenset(islice(("".join(s) for s in product(*(sorted(c) for c in choices))), MAX_SPELLINGS + 1))
    if len(spelt) <= MAX_SPELLINGS:
        return spelt, ()
    return frozenset(sorted(spelt)[:MAX_SPELLINGS]), tuple(choices)


def _spelt(word: str, pieces: Pieces) -> bool:
    """Whether a word is written as one spelling of each piece in turn (zhangxingle: 长, 行乐)."""
    if not pieces:
        return not word
    return any(s and word.startswith(s) and _spelt(word[len(s) :], pieces[1:]) for s in pieces[0])


def _written_alike(a: frozenset[str], a_pieces: Pieces, b: frozenset[str], b_pieces: Pieces) -> bool:
    """Whether two parts share a spelling: one of each, or one of a part written as the other's
    pieces in turn (for parts run together with more spellings than are kept)."""
    if a & b:
        return True
    return any(_spelt(w, a_pieces) for w in b if a_pieces) or any(_spelt(w, b_pieces) for w in a if b_pieces)


# --- pairing parts ----------------------------------------------------------------------------


def pair(a: Part, b: Part, *, arabic: bool = False, wade_giles: bool = False) -> str | None:
    """How two parts are one name part, or ``None``.

    ``arabic``: the names are of Arabic origin (compare consonant skeletons); ``wade_giles``:
    one name is romanised Chinese in Wade-Giles (compare pinyin readings).
    """
    if a.script in SYLLABIC and b.script in SYLLABIC:
        return "same" if a.form == b.form or a.comparable == b.comparable else None
    if a.comparable == b.comparable or _written_alike(a.latin, a.pieces, b.latin, b.pieces):
        return "same"
    if a.initial or b.initial:
        letter, full = (a, b) if a.initial else (b, a)
        written = full.latin or {full.comparable}
        return "initial" if not full.initial and any(w.startswith(letter.comparable) for w in written) else None
    if a.script in SYLLABIC or b.script in SYLLABIC:
        return _romanised(a, b) if a.script in SYLLABIC else _romanised(b, a)
    short = a.script == b.script == "latin" and max(len(a.comparable), len(b.comparable)) <= SHORT_PART
    if a.names & b.names and (not (short or (a.syllable and b.syllable)) or _short_variant(a, b)):
        return "known variant"
    if a.nicknames & b.nicknames or a.nickname_names & b.names or b.nickname_names & a.names:
        return "nickname"
    if (
        wade_giles
        and a.syllables
        and b.syllables
        and _written_alike(a.readings | {a.comparable}, a.reading_pieces, b.readings | {b.comparable}, b.reading_pieces)
    ):
        return "romanisation"
    if is_abjad(a.script) and is_abjad(b.script):
        return None  # written without vowels, every letter is the name's: a letter apart is another name
    if a.key and a.key == b.key:
        return "spelling"
    if arabic and _another_name_of_one_root(a, b):
        return None
    if arabic and _arabic_spelling(a, b):
        return "spelling"
    if arabic and max(len(a.comparable), len(b.comparable)) <= 5:
        return None  # in a short name of Arabic origin every letter is the name (Amir, Amr; Hamdi, Hadi)
    if a.joined or b.joined or a.syllable or b.syllable:
        return None  # run-together parts by their spelling alone; one syllable: a letter apart is another name
    if short:
        return "spelling" if _letter_dropped(a.comparable, b.comparable) else None
    return _slip(a, b)


def _arabic_spelling(a: Part, b: Part) -> bool:
    """Two spellings of one name of Arabic origin: the same consonant skeleton (the same
    diphthongs), of about one length; run-together parts only as a compound with a particle
    (Abd al-Rahim, Abdulrahim) of four consonants or more."""
    if a.comparable.isascii() and b.comparable.isascii() and arabic_key(a.comparable) == arabic_key(b.comparable):
        return True
    if abs(len(a.comparable) - len(b.comparable)) > 2 and not (is_abjad(a.script) or is_abjad(b.script)):
        return False
    if (a.joined or b.joined) and (len(a.skeleton.letters) < 4 or not (a.particle_joined or b.particle_joined)):
        return False
    return skeletons_agree(a.skeleton, b.skeleton, a_vowelless=is_abjad(a.script), b_vowelless=is_abjad(b.script))


def _another_name_of_one_root(a: Part, b: Part) -> bool:
    """Two parts in Latin letters on one consonant skeleton whose vowels are another name's
    (``gatewatch.core.name_forms.vowels_agree``): Muhammad and Mahmud, Hamid and Hamad; unless
    one is the other with a letter dropped, added or two swapped (a slip of the pen: Marina,
    Mrina)."""
    return (
        not (a.joined or b.joined)
        and a.script == b.script == "latin"
        and a.skeleton.letters == b.skeleton.letters
        and not vowels_agree(a.skeleton, b.skeleton)
        and not _slipped(a.comparable, b.comparable)
    )


def _slipped(a: str, b: str) -> bool:
    """One letter dropped, added, or two neighbours swapped; not one letter put for another."""
    if OSA.distance(a, b, score_cutoff=1) > 1:
        return False
    return len(a) != len(b) or sorted(a) == sorted(b)


def _letter_dropped(a: str, b: str) -> bool:
    """A short part with a letter more or less than another of three letters or more (Kar / Karl):
    a slip; a different letter is another name."""
    return min(len(a), len(b)) >= 3 and len(a) != len(b) and OSA.distance(a, b, score_cutoff=1) <= 1


def _romanised(syllabic: Part, other: Part) -> str | None:
    """A part in Chinese characters, Hangul or Kana against one in another script: only a
    spelling it is written in, never a letter off."""
    written = other.latin | {other.comparable}
    if syllabic.pattern is not None and any(syllabic.pattern.fullmatch(w) for w in written):
        return "romanisation"
    if (
        syllabic.script == "han"
        and other.syllables
        and _written_alike(syllabic.latin, syllabic.pieces, other.readings, other.reading_pieces)
    ):
        return "romanisation"
    return None


def _short_variant(a: Part, b: Part) -> bool:
    """Whether rigour's name identity is believed for two short parts: not when they are one
    letter apart, unless only a vowel differs in a name of two consonants or more."""
    if a.key == b.key or OSA.distance(a.key, b.key) >= 2:
        return True
    skeleton_a = consonants(a.comparable)
    return not (a.syllable or b.syllable) and len(skeleton_a) >= 2 and skeleton_a == consonants(b.comparable)


def _slip(a: Part, b: Part) -> str | None:
    """The same sound (of about one length, not across a diphthong that marks another name on
    the same consonants: Husayn, Hasan), or one slip of the pen (two in a long part), the first
    letter kept; in a part of up to six letters, one consonant for another is another name."""
    if (
        a.metaphone
        and a.metaphone == b.metaphone
        and a.comparable[0] == b.comparable[0]
        and abs(len(a.comparable) - len(b.comparable)) <= 2
        and not (a.skeleton.letters == b.skeleton.letters and a.skeleton.diphthongs != b.skeleton.diphthongs)
    ):
        return "spelling"
    # a swap of two letters is one slip, as a deletion is (OSA)
    allowed = 1 if max(len(a.comparable), len(b.comparable)) <= 6 else 2
    for left in a.latin or {a.comparable}:
        for right in b.latin or {b.comparable}:
            if not _same_head(left, right) or OSA.distance(left, right, score_cutoff=allowed) > allowed:
                continue
            if _other_consonants(left, right):
                continue
            return "spelling"
    return None


_HEADS = frozenset({"gy", "yi", "jy", "ij", "ei", "ou", "ck", "kq", "vw", "fp"})
"""First letters that transliterations write for one sound (Georgalas, Yeorgalas; Ivan, Yvan)."""


def _same_head(a: str, b: str) -> bool:
    """The same first letter, or two that transliterations write for one sound: a slip of the
    pen keeps the first letter (Naina, Faina are two names)."""
    return a[:1] == b[:1] or "".join(sorted(a[:1] + b[:1])) in _HEADS


_ONE_SOUND = frozenset({"bp", "dt", "gk", "fv", "sz", "ck", "cs", "kq", "hk", "ch", "vw", "gj", "jy", "bv", "hx"})
"""Consonants that transliterations write for one sound (Arampatzis / Arambatzis, Vlachos /
Vlakhos)."""


def _other_consonants(a: str, b: str) -> bool:
    """Two words of one length that differ only in consonants put for other consonants (one or
    two, not two letters swapped, nor two spellings of one sound): Jarir / Jadir, Mashfaq /
    Machraq are other names."""
    if len(a) != len(b):
        return False
    differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if not 1 <= len(differ) <= 2:
        return False
    if (
        len(differ) == 2
        and differ[1] == differ[0] + 1
        and a[differ[0]] == b[differ[1]]
        and a[differ[1]] == b[differ[0]]
    ):
        return False  # two letters swapped: a slip
    return all(
        a[i] not in "aeiouy" and b[i] not in "aeiouy" and "".join(sorted(a[i] + b[i])) not in _ONE_SOUND for i in differ
    )


# --- aligning and scoring ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Link:
    left: tuple[int, ...]
    right: tuple[int, ...]
    how: str
    left_part: Part
    right_part: Part


def _align(a: AnalysedName, b: AnalysedName) -> list[_Link]:
    """Best pairs first (ties: single parts before run-together ones, then by position), each
    part used once."""
    arabic = a.arabic or b.arabic
    wade_giles = a.wade_giles or b.wade_giles
    candidates = []
    for left, pa in a.units:
        for right, pb in b.units:
            if len(left) + len(right) > 2 and not _may_join(pa, pb):
                continue
            if (pa.optional and pb.script not in SYLLABIC) or (pb.optional and pa.script not in SYLLABIC):
                continue  # particles never vote; but "An" and "Di" written for 안 and 邸 are names
            how = pair(pa, pb, arabic=arabic, wade_giles=wade_giles)
            if how is not None:
                candidates.append((-STRENGTH[how], len(left) + len(right), left, right, how, pa, pb))
    candidates.sort(key=lambda c: c[:5])
    used_left: set[int] = set()
    used_right: set[int] = set()
    chosen = []
    for _, _, left, right, how, pa, pb in candidates:
        if used_left.isdisjoint(left) and used_right.isdisjoint(right):
            used_left.update(left)
            used_right.update(right)
            chosen.append(_Link(left, right, how, pa, pb))
    return sorted(chosen, key=lambda link: (link.left, link.right))


def _may_join(a: Part, b: Part) -> bool:
    """Run-together parts are matched by their spelling alone: worth trying only between parts
    of about one length (Hangul and Chinese characters are short for their spelling)."""
    if a.initial or b.initial:
        return False
    if a.script in SYLLABIC or b.script in SYLLABIC:
        return True
    return abs(len(a.comparable) - len(b.comparable)) <= 3


def compare_names(left: str, right: str) -> NameComparison:
    """Score two names as variants of one name, with the part-by-part explanation."""
    a, b = analyse_name(left), analyse_name(right)
    size_a, size_b = len(a.substantive), len(b.substantive)
    if size_a > size_b or (size_a == size_b and left > right):
        flipped = _scored(right, left, b, a)
        parts = tuple(PartMatch(p.right, p.left, p.how, p.score) for p in flipped.parts)
        return NameComparison(left, right, flipped.score, parts, flipped.notes)
    return _scored(left, right, a, b)


def _scored(left: str, right: str, short: AnalysedName, long: AnalysedName) -> NameComparison:
    links = _align(short, long)
    matches = [PartMatch(k.left_part.form, k.right_part.form, k.how, STRENGTH[k.how]) for k in links]
    covered_short = {i: STRENGTH[k.how] for k in links for i in k.left}
    covered_long = {j for k in links for j in k.right}
    matches += [
        PartMatch(p.form, "", "particle" if p.optional else "unmatched", 0.0)
        for i, p in enumerate(short.parts)
        if i not in covered_short
    ]
    matches += [
        PartMatch("", p.form, "particle" if p.optional else "extra part", 0.0)
        for j, p in enumerate(long.parts)
        if j not in covered_long
    ]
    titles = [PartMatch(n.title, "", "title", 0.0) for n in (short, long) if n.title]
    needed = short.substantive
    if not needed or not long.substantive:
        return NameComparison(left, right, 0.0, tuple(matches + titles))
    strength = sum(covered_short.get(i, 0.0) for i in needed) / len(needed)
    cap, notes = _cap(short, long, links, set(covered_short), covered_long)
    return NameComparison(left, right, round(min(strength, cap), 4), tuple(matches + titles), tuple(notes))


def _cap(
    short: AnalysedName, long: AnalysedName, links: list[_Link], covered_short: set[int], covered_long: set[int]
) -> tuple[float, list[str]]:
    """The rules of the module's description: the highest score they allow, and why."""
    cap, notes = 1.0, []
    solid = [k for k in links if k.how != "initial"]
    needed_long = long.substantive
    if not links:
        return 0.0, []
    if not solid:
        cap, notes = PARTIAL_CAP, ["only initials agree"]
    elif len(needed_long) >= 2 and len(covered_long & set(needed_long)) < 2:
        title = short.title if len(short.substantive) == 1 else ""
        notes = [f"the title {title} with one name alone" if title else "too few parts line up"]
        cap = PARTIAL_CAP
    left_over = [j for j in needed_long if j not in covered_long and not long.parts[j].is_initial]
    if (
        cap > PARTIAL_CAP
        and len(left_over) >= 2
        and len(covered_long & set(needed_long)) / len(needed_long) < COVERED_ENOUGH
    ):
        cap = min(cap, PARTIAL_CAP)
        notes.append(f"{len(left_over)} of {len(needed_long)} parts of the longer name left over")
    order = _order(short, long, links)
    if order:
        cap = min(cap, SWAP_CAP)
        notes.append(order)
    conflict = _conflict(short, long, covered_short, covered_long)
    if conflict:
        cap = min(cap, CONFLICT_CAP)
        notes.append(conflict)
    return cap, notes


def _order(short: AnalysedName, long: AnalysedName, links: list[_Link]) -> str:
    """Why the order the parts line up in changes who is meant, or ``""``."""
    crossing = [
        (k, m)
        for n, k in enumerate(links)
        for m in links[n + 1 :]
        if (min(k.left) - min(m.left)) * (min(k.right) - min(m.right)) < 0
    ]
    if not crossing:
        return ""
    if short.chain or long.chain:
        return "the names around bin/ibn/ould/oglu are in the other order: father and son?"
    if short.family_marked or long.family_marked:
        return ""
    given = all(
        k.left_part.given_name and k.right_part.given_name and m.left_part.given_name and m.right_part.given_name
        for k, m in crossing
    )
    return "given names in the other order" if given else ""


def _conflict(short: AnalysedName, long: AnalysedName, covered_short: set[int], covered_long: set[int]) -> str:
    """Both names leave their family name, or their first name, unmatched: relatives."""
    if len(short.substantive) < 2 or len(long.substantive) < 2:
        return ""
    if short.family not in covered_short and long.family not in covered_long:
        return f"family names differ: {short.parts[short.family].form} / {long.parts[long.family].form}"
    first_short, first_long = short.substantive[0], long.substantive[0]
    if first_short not in covered_short and first_long not in covered_long:
        return f"first names differ: {short.parts[first_short].form} / {long.parts[first_long].form}"
    return ""


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
