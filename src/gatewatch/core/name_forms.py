"""How a name is written: titles, initials, family name first, particles, and spelling keys.

Pure helpers for ``gatewatch.core.names``:

- **titles** ("President", "Dr.", "Sheikh") at the head of a name are taken off and kept: a
  title with one name is too little to tie a person, but worth an analyst's look. rigour's
  list of person-name prefixes is used, with the few religious and military titles it lacks;
- **initials written together** ("A.B.", "J.P.", an initial against the next word as in
  "I.Petrov", and "JP" in capitals without a vowel in a name otherwise written in small
  letters) are written apart, one initial each;
- **the family name** is known when the name says it: written first before a comma
  ("AGELOFF, Sylvia"), or in capitals among parts in small letters ("TROTSKY Lev");
- **particles** (al, bin, van, de, …) may be written or left out and never count as a part
  that agrees; **connectors** (bin, ibn, bint, ould, oglu, …) tie a chain of names in which
  order means who is whose son;
- **spelling keys** fold the letters transliteration schemes write differently (y/i, w/v,
  k/c/q, zh/j, kh/h, doubled letters, a silent h or final e): Yury/Yuri, Karl/Carl, Jon/John;
- the **consonant skeleton** of a name of Arabic origin drops the vowels, which transliterations
  write as they please, and folds the digraphs (kh, gh, sh, th, dh; the French ch and dj) and
  q/k: Muhammad and Mohamed are both m-h-m-d, Shakib and Chakib S-k-b; a diphthong (ay, ai,
  ei) marks the ي that tells Husayn from Hasan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

SUN_ARTICLES = frozenset({"ad", "ar", "as", "ash", "at", "az", "ud", "ur", "us"})
"""The Arabic article before a "sun letter", written as that letter (ad-Din, ur-Rahman): particles
in small letters; in capitals among small letters, initials (AD Ogunbamigbe)."""

PARTICLES = frozenset(
    {
        "al",
        "el",
        "ul",
        "bin",
        "ibn",
        "ben",
        "bint",
        "binti",
        "abu",
        "abd",
        "abdul",
        "abdel",
        "abdal",
        "abdol",
        "abdoul",
        "abdur",
        "abdus",
        "ould",
        "walad",
        "oglu",
        "ogly",
        "kyzy",
        "qizi",
        "uulu",
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
        "degli",
        "delle",
        "dos",
        "das",
        "des",
        "los",
        "las",
        "la",
        "le",
        "ter",
        "ten",
        "zu",
        "y",
        "e",
        "بن",
        "ابن",
        "بنت",
        "أبو",
        "ابو",
        "عبد",
        "آل",
        "ولد",
        *SUN_ARTICLES,
    }
)
"""Particles that may be written or left out, and never count as a part that agrees. Only these:
rigour's stop words (written for names of organisations) hold names too: Un in Kim Jong-un,
Do, An, In and Ou as family names, Per as a given name."""

CONNECTORS = frozenset(
    {
        "bin",
        "ibn",
        "ben",
        "bint",
        "binti",
        "ould",
        "walad",
        "oglu",
        "ogly",
        "kyzy",
        "qizi",
        "uulu",
        "بن",
        "ابن",
        "بنت",
        "ولد",
    }
)
"""Words tying a person's name to the father's: "Khalid bin Saeed" is Khalid, son of Saeed."""

ARABIC_MARKERS = frozenset({"al", "el", "ul", "bin", "ibn", "bint", "binti", "abu", "ould"}) | {
    p for p in PARTICLES if p.startswith("abd") or not p.isascii()
}
"""Particles that say a name is of Arabic origin."""

EXTRA_TITLES = (
    "Sheikh",
    "Shaikh",
    "Sheik",
    "Shaykh",
    "Emir",
    "Mullah",
    "Imam",
    "Ayatollah",
    "Hajji",
    "Haji",
    "Maulana",
    "Gen",
    "Lt",
    "Maj",
    "Col",
    "Sgt",
    "Brig",
    "Gov",
    "Governor",
    "Sen",
    "Senator",
    "Minister",
    "Judge",
    "Prince",
    "Princess",
    "King",
    "Mlle",
    "Sra",
)
"""Titles rigour's list of person-name prefixes does not have."""


@cache
def _title_pattern() -> re.Pattern[str]:
    from rigour._core import person_name_prefixes_list

    titles = sorted({*person_name_prefixes_list(), *EXTRA_TITLES}, key=len, reverse=True)
    words = "|".join(re.escape(t.rstrip(".")) for t in titles)
    return re.compile(rf"^\W*((?:(?:{words})\.?\s+)+)(?=\S)", re.IGNORECASE)


def split_title(name: str) -> tuple[str, str]:
    """``(title, rest)``: the title(s) at the head of a name, in small letters, and the rest."""
    found = _title_pattern().match(name)
    if found is None:
        return "", name
    title = " ".join(found.group(1).replace(".", " ").split()).lower()
    return title, name[found.end() :]


_DOTTED = re.compile(r"^(?:[^\W\d_]\.){2,4}$|^(?:[^\W\d_]\.){1,3}[^\W\d_]$")
_SYLLABLES = frozenset({"ng", "hm"})
"""Words without a vowel that are names, not initials (Ng is a family name)."""


def spread_initials(words: list[str], mixed_case: bool) -> list[str]:
    """Initials written together, written apart: "A.B."; and in a name not all in capitals, a
    word of two capitals ("JP", "AB": not a particle, nor a Chinese syllable among Chinese
    names: "LI Wei") or of three capitals without a vowel."""
    spread: list[str] = []
    for word in words:
        if _DOTTED.match(word):
            spread += [f"{ch}." for ch in word if ch != "."]
        elif (
            mixed_case
            and 2 <= len(word) <= 3
            and word.isalpha()
            and word.isupper()
            and _initials_in_capitals(word, words)
        ):
            spread += [f"{ch}." for ch in word]
        else:
            spread.append(word)
    return spread


def _initials_in_capitals(word: str, words: list[str]) -> bool:
    """Whether a word in capitals stands for initials rather than a family name in capitals."""
    from gatewatch.core.name_scripts import chinese_reading

    lower = word.lower()
    if (lower in PARTICLES and lower not in SUN_ARTICLES) or lower in _SYLLABLES:
        return False
    if not re.search("[AEIOUYÀ-ÖØ-Ý]", word):
        return True
    if len(word) > 2:
        return False
    others = [piece for w in words if w != word for piece in re.split(r"[^a-z]+", w.lower()) if piece]
    chinese = bool(others) and all(chinese_reading(piece)[0] for piece in others)
    return not (chinese and chinese_reading(lower)[0])


_NUMERALS = re.compile(r"^(?:[IVX]+|JR|SR)\.?$")


@dataclass(frozen=True, slots=True)
class Layout:
    """A name as written, in the order given names first, family name last."""

    given: str
    family: str
    """The family name when the name marks it (before a comma, or in capitals), else ``""``."""
    title: str


_GLUED_INITIAL = re.compile(r"(?<![^\W\d_])([^\W\d_]\.)(?=[^\W\d_]{2})")
"""An initial with its dot written against the next word (I.Petrov, J.P.Morel)."""


@lru_cache(maxsize=65_536)
def layout(name: str) -> Layout:
    """The name's title, given names and (when marked) family name; an initial written against
    the next word is written apart from it."""
    title, rest = split_title(_GLUED_INITIAL.sub(r"\1 ", name.strip()))
    if rest.count(",") == 1:
        family, given = (half.strip() for half in rest.split(","))
        if family and given:
            mixed = _mixed_case(rest)
            return Layout(" ".join(spread_initials(given.split(), mixed)), family, title)
    words = rest.split()
    mixed = _mixed_case(rest)
    words = spread_initials(words, mixed)
    if mixed:
        capitals = [w for w in words if _is_capitals(w)]
        if capitals and len(capitals) < len(words):
            rest_given = [w for w in words if not _is_capitals(w)]
            return Layout(" ".join(rest_given), " ".join(capitals), title)
    return Layout(" ".join(words), "", title)


def _mixed_case(text: str) -> bool:
    return any(ch.islower() for ch in text) and any(ch.isupper() for ch in text)


def _is_capitals(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters) and not _NUMERALS.match(word)


# --- spelling keys ------------------------------------------------------------------------------

_KEY_DIGRAPHS = (
    ("shch", "sh"),
    ("sch", "sh"),
    ("tch", "ch"),
    ("dzh", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("gh", "g"),
    ("ck", "k"),
    ("q", "k"),
    ("x", "ks"),
    ("w", "v"),
)
_HARD_C = re.compile(r"c(?![ehiy])")
_LONG_VOWELS = (("ou", "u"), ("oo", "u"), ("ee", "i"))
_INNER_Y = re.compile(r"(?<=.)y")
_FINAL_I = re.compile(r"i[ij]$")
_SILENT_H = re.compile(r"(?<=[^csh])h")
_DOUBLES = re.compile(r"(.)\1+")
_FINAL_E = re.compile(r"(?<=.[^aeiou])e$")


@lru_cache(maxsize=65_536)
def spelling_key(word: str) -> str:
    """A Latin word with the letters transliterations write differently folded together."""
    key = word.lower()
    for old, new in _KEY_DIGRAPHS:
        key = key.replace(old, new)
    key = _HARD_C.sub("k", key)
    for old, new in _LONG_VOWELS:
        key = key.replace(old, new)
    key = _INNER_Y.sub("i", key)
    key = _FINAL_I.sub("i", key)
    key = _SILENT_H.sub("", key)
    key = _DOUBLES.sub(r"\1", key)
    return _FINAL_E.sub("", key)


def consonants(word: str) -> str:
    """The word's consonants in order (y and w count as vowels)."""
    return "".join(ch for ch in word if ch.isalpha() and ch not in "aeiouyw")


# --- consonant skeletons ------------------------------------------------------------------------

_SKELETON_DIGRAPHS = (
    ("tch", "S"),
    ("dj", "j"),
    ("kh", "K"),
    ("gh", "G"),
    ("sh", "S"),
    ("th", "T"),
    ("dh", "D"),
    ("ch", "S"),
    ("ph", "f"),
    ("ck", "k"),
    ("q", "k"),
)
_DIPHTHONG = re.compile(r"(?:ay|ai|ei|ey)(?=[^aeiouy]|$)")
_FINAL_TA = re.compile(r"(?<=[aeiu])h$")


@dataclass(frozen=True, slots=True)
class Skeleton:
    """A name's consonants as an Arabic spelling has them."""

    letters: str
    diphthongs: int
    """Diphthongs written in Latin letters (ay, ai, ei): the ي of Husayn, which Hasan lacks."""
    inner_y: int
    """A y between two consonants, as ICU writes the ي of an Arabic-script name (hsyn)."""
    vowels: tuple[str, ...] = ()
    """The vowels written before the first consonant, between each two, and after the last."""


@lru_cache(maxsize=65_536)
def skeleton(word: str) -> Skeleton:
    """The consonant skeleton of a word in Latin letters: vowels dropped, digraphs folded."""
    text = _FINAL_TA.sub("", word.lower())
    for old, new in _SKELETON_DIGRAPHS:
        text = text.replace(old, new)
    text = _DOUBLES.sub(r"\1", text)  # a doubled letter is one (Muhammad)
    diphthongs = len(_DIPHTHONG.findall(text))
    inner_y = len(re.findall(r"(?<=[^aeiouyw])y(?=[^aeiouyw])", text))
    head = text[:1] if text[:1] in ("y", "w") else ""
    letters = head + "".join(ch for ch in text[len(head) :] if ch.isalpha() and ch not in "aeiouyw")
    return Skeleton(letters, diphthongs, inner_y, _vowel_groups(text, len(head)))


def _vowel_groups(text: str, head: int) -> tuple[str, ...]:
    """The vowels (y and w among them) around and between the consonants, one group for each
    place: before the first consonant, between each two, after the last."""
    groups: list[str] = []
    current = ""
    for at, ch in enumerate(text):
        if not ch.isalpha():
            continue
        if ch in "aeiouyw" and at >= head:
            current += ch
        else:
            groups.append(current)
            current = ""
    return (*groups, current)


_VOWEL_KINDS = {"a": "a", "o": "a", "u": "a", "w": "a", "i": "i", "y": "i", "e": "ai"}
"""The vowels of a name of Arabic origin in Latin letters, as they tell one name of a root from
another: i (and y) is one kind, a, o and u (and w) the other; e is written for either."""


def _kinds(group: str) -> set[str]:
    return {kind for ch in group for kind in _VOWEL_KINDS.get(ch, "ai")}


def vowels_agree(a: Skeleton, b: Skeleton) -> bool:
    """Whether two spellings on one consonant skeleton write the vowels of one name: a vowel
    in the same places (only the last two consonants may have one written between them or not:
    Badr, Bader; Zawahri, Zawahiri), and not i in one where the other has a, o or u. Names of one
    root differ only there: Hamid and Hamad, Jamil and Jamal, Muhammad and Mahmud, Karim and
    Akram, Amin and Amina."""
    if len(a.vowels) != len(b.vowels):
        return True
    last_gap = len(a.vowels) - 2
    for place, (left, right) in enumerate(zip(a.vowels, b.vowels, strict=True)):
        if bool(left) != bool(right):
            if place != last_gap:
                return False
        elif left and not _kinds(left) & _kinds(right):
            return False
    return True


def skeletons_agree(a: Skeleton, b: Skeleton, *, a_vowelless: bool = False, b_vowelless: bool = False) -> bool:
    """Two skeletons of three consonants or more, equal, with the diphthongs written alike
    (a spelling without vowels, as ICU's of Arabic script, may have a y for one)."""
    if len(a.letters) < 3 or a.letters != b.letters:
        return False
    if a_vowelless and b_vowelless:
        return True
    if a_vowelless:
        return b.diphthongs <= a.inner_y
    if b_vowelless:
        return a.diphthongs <= b.inner_y
    return a.diphthongs == b.diphthongs


_ARABIC_FOLDS = (
    ("dj", "j"),
    ("tch", "sh"),
    ("ch", "sh"),
    ("ee", "i"),
    ("oo", "u"),
    ("ou", "u"),
    ("q", "k"),
    ("w", "v"),
)
_ARABIC_VOWELS = str.maketrans({"e": "i", "o": "u"})


@lru_cache(maxsize=65_536)
def arabic_key(word: str) -> str:
    """A name of Arabic origin as the usual conventions (English, French, scholarly) all write
    it: dj is j, ch is sh, q is k, e is i and o is u, a doubled letter one (Chakib / Shakib,
    Kaed / Qaid, Radjee / Raji); every h is kept, as each may be a letter of the name."""
    text = word.lower()
    for old, new in _ARABIC_FOLDS:
        text = text.replace(old, new)
    text = _INNER_Y.sub("i", text.translate(_ARABIC_VOWELS))
    return _DOUBLES.sub(r"\1", _FINAL_TA.sub("", text))
