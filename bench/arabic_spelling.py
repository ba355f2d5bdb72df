"""Arabic names written in Latin letters in two conventions, for the name benchmarks.

ICU romanises Arabic letter for letter and without short vowels (عبد الرحيم: "ʿbd ạlrḥym"), as
the script itself is written. People write the same name as "'Abd al-Rahim" or "Abdul Raheem":
the letters are the name's, the vowels and digraphs are the writer's convention. This module
turns ICU's romanisation into a spoken form once (short vowels supplied by a few rules of
thumb, so both renderings share them), then spells that form in a convention:

- **scholarly**: long and short vowels a/i/u, ʿ and ʾ as an apostrophe, q, the article "al-"
  joined with a hyphen, "'Abd al-" apart, doubled letters kept;
- **popular**: each feature drawn at random from what writers use: u as u/ou/oo, i as i/ee,
  short i as i/e, short u as u/o, q as q/k, j as j/dj, sh as sh/ch, ʿ dropped or kept, the
  article as al-/Al-/el-/El/Al joined/dropped, "Abd al-" as Abdul/Abdel/Abd el-, apart or
  joined, doubled letters kept or single, a final -i as i/y/ee, the feminine ending as a/ah.

The short-vowel rules (a consonant pair at a word's start takes an "a"; after a long vowel a
pair takes an "i", as in Khalid; between two bare consonants an "a"; a doubled letter has a
vowel on both sides, as in Muhammad) do not recover the true vowels (القرشي becomes "al-Qarshi", not
"al-Qurashi"), but both conventions spell the same vowels, as two writers of one name would.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import icu
from rapidfuzz.distance import Levenshtein

ROMANISE = icu.Transliterator.createInstance("Arabic-Latin")

SHADDA = "\u0303"  # ICU writes the doubling mark as a tilde over the doubled letter
_LETTERS_NFC = {
    "tẖ": "th",
    "kẖ": "kh",
    "dẖ": "dh",
    "sẖ": "sh",
    "gẖ": "gh",
    "ḥ": "H",
    "ṣ": "S",
    "ḍ": "D",
    "ṭ": "T",
    "ẓ": "Z",
    "ʿ": "ʿ",
    "ʾ": "ʾ",
    "ạ̉": "ALIF_HAMZA",
    "ạ̹": "ALIF_HAMZA_BELOW",
    "ậ": "ALIF_MADDA",
    "ạ": "ALIF",
    "ẗ": "TA_MARBUTA",
    "y̱": "ALIF_MAQSURA",
    "w̉": "ʾ",
    "ỷ": "ʾ",
    **{c: c for c in "btjdrzsfqklmnhwy"},
    **{c: c.upper() + "_SHORT" for c in "aiu"},
}
LETTERS = {unicodedata.normalize("NFD", k): v for k, v in _LETTERS_NFC.items()}
LONGEST = max(len(k) for k in LETTERS)
VOWELS = frozenset({"a", "i", "u", "A", "I", "U", "aT"})  # aT: the feminine ending ة
LONG = frozenset({"A", "I", "U"})
VOWEL_LETTERS = frozenset({"ALIF", "ALIF_MADDA", "ALIF_MAQSURA", "TA_MARBUTA", "A_SHORT", "I_SHORT", "U_SHORT"})


@dataclass(frozen=True)
class Sound:
    """One consonant or vowel of a spoken name; ``double`` for a doubled (shadda) consonant."""

    symbol: str
    double: bool = False

    @property
    def is_vowel(self) -> bool:
        return self.symbol in VOWELS


@dataclass(frozen=True)
class Word:
    """One word of a name: its sounds, whether it carries the article al-, and its role."""

    sounds: tuple[Sound, ...]
    article: bool = False
    role: str = "name"  # "name", "abd" (the servant-of compound's first half), "allah", "bin", "abu", "aal"


def letters(icu_word: str) -> list[Sound]:
    """ICU's letters of one word, in order, with doubling marks folded into their letter."""
    text = unicodedata.normalize("NFD", icu_word)
    found: list[Sound] = []
    i = 0
    while i < len(text):
        if text[i] == SHADDA and found:
            found[-1] = replace(found[-1], double=True)
            i += 1
            continue
        for size in range(LONGEST, 0, -1):
            if text[i : i + size] in LETTERS:
                found.append(Sound(LETTERS[text[i : i + size]]))
                i += size
                break
        else:
            if unicodedata.category(text[i]) != "Mn":
                raise ValueError(f"no Arabic letter for {text[i]!r} in {icu_word!r}")
            i += 1
    return found


def words(arabic_name: str) -> tuple[Word, ...]:
    """The name's words as ICU romanises them, with the article, "Abd", "bin", "Abu" and "Al" told apart."""
    made: list[Word] = []
    for raw in ROMANISE.transliterate(arabic_name).split():
        sounds = letters(raw)
        symbols = [s.symbol for s in sounds]
        if symbols[:3] == ["ʿ", "b", "d"] and symbols[3:5] == ["ALIF", "l"] and len(symbols) > 5:
            made.append(Word(tuple(sounds[:3]), role="abd"))  # عبدالله written as one word
            sounds, symbols = sounds[3:], symbols[3:]
        made.append(_word(sounds, symbols))
    return tuple(made)


def _word(sounds: list[Sound], symbols: list[str]) -> Word:
    roles = {("ʿ", "b", "d"): "abd", ("b", "n"): "bin", ("ALIF_HAMZA", "b", "w"): "abu", ("ALIF_MADDA", "l"): "aal"}
    if tuple(symbols) in roles:
        return Word(tuple(sounds), role=roles[tuple(symbols)])
    if symbols[:2] == ["ALIF", "l"] and len(symbols) > 2:
        if [s.symbol for s in sounds[2:]] in (["l", "h"], ["h"]):
            return Word((Sound("l"), Sound("l"), Sound("A"), Sound("h")), role="allah")
        stem = [replace(sounds[2], double=False), *sounds[3:]]  # الرّحيم: the doubling is the article's
        return Word(vocalised(stem), article=True)
    return Word(vocalised(sounds))


def vocalised(sounds: list[Sound]) -> tuple[Sound, ...]:
    """Letters to sounds: alif, waw and ya as long vowels where they stand between consonants,
    then a short vowel wherever two consonants would otherwise meet (see the module's rules)."""
    marked = [_as_sound(s, i, sounds) for i, s in enumerate(sounds)]
    spoken: list[Sound] = []
    for i, sound in enumerate(marked):
        spoken.append(sound)
        following = marked[i + 1] if i + 1 < len(marked) else None
        if sound.is_vowel or following is None or following.is_vowel:
            continue
        before = spoken[-2] if len(spoken) >= 2 else None
        if following.double or sound.double or before is None:
            spoken.append(Sound("a"))
        elif before.symbol in LONG:
            spoken.append(Sound("i"))
        elif not before.is_vowel:
            spoken.append(Sound("a"))
    return tuple(spoken)


def _as_sound(letter: Sound, i: int, word: list[Sound]) -> Sound:
    """One letter as a sound, from its neighbours: و and ي are vowels between consonants."""
    first, last = i == 0, i == len(word) - 1
    previous_is_consonant = not first and word[i - 1].symbol not in VOWEL_LETTERS
    symbol = letter.symbol
    if symbol.endswith("_SHORT"):
        return Sound(symbol[0].lower())
    if symbol == "ALIF":
        return Sound("a" if first else "A")
    if symbol == "ALIF_HAMZA":
        return Sound("a" if first else "ʾ")
    if symbol == "ALIF_HAMZA_BELOW":
        return Sound("i")
    if symbol in {"ALIF_MADDA", "ALIF_MAQSURA"}:
        return Sound("A")
    if symbol == "TA_MARBUTA":
        return Sound("aT")
    if symbol in {"w", "y"} and not letter.double and not first and previous_is_consonant:
        next_is_consonant = last or word[i + 1].symbol not in VOWEL_LETTERS
        if next_is_consonant:
            return Sound("U" if symbol == "w" else "I")
    return letter


@dataclass(frozen=True)
class Convention:
    """How a writer spells each sound and particle."""

    long_i: str = "i"
    long_u: str = "u"
    short_i: str = "i"
    short_u: str = "u"
    final_i: str = "i"
    ayn: str = "'"
    hamza: str = "'"
    q: str = "q"
    j: str = "j"
    sh: str = "sh"
    ta_marbuta: str = "a"
    double: bool = True
    article: str = "al-"  # "al-", "Al-", "el-", "El ", "Al " (apart), "al" (joined), "" (dropped)
    abd: str = "'Abd al-"  # the compound's first half; ends in a space when written apart
    bin: str = "bin"
    abu: str = "Abu"


SCHOLARLY = Convention()

POPULAR_CHOICES: dict[str, tuple[Any, ...]] = {
    "long_i": ("i", "ee"),
    "long_u": ("u", "ou", "oo"),
    "short_i": ("i", "e"),
    "short_u": ("u", "o"),
    "final_i": ("i", "y", "ee"),
    "ayn": ("", "'"),
    "hamza": ("", "'"),
    "q": ("q", "k"),
    "j": ("j", "dj"),
    "sh": ("sh", "ch"),
    "ta_marbuta": ("a", "ah"),
    "double": (True, False),
    "article": ("al-", "Al-", "el-", "El ", "Al ", "al", ""),
    "abd": ("Abdul ", "Abdel ", "Abd el-", "Abdul", "Abdel"),
    "bin": ("bin", "ibn", "ben"),
    "abu": ("Abu", "Abou"),
}


def popular(rng: random.Random) -> Convention:
    """A popular convention with each feature drawn at random."""
    return Convention(**{feature: rng.choice(options) for feature, options in POPULAR_CHOICES.items()})


CONSONANTS = {"H": "h", "S": "s", "D": "d", "T": "t", "Z": "z", "th": "th", "kh": "kh", "dh": "dh", "gh": "gh"}


def spelled(word: Word, convention: Convention) -> str:
    """One word's sounds in the convention's letters, in lower case."""
    last = len(word.sounds) - 1
    return "".join(_letter(sound, i == last, convention) for i, sound in enumerate(word.sounds))


def _letter(sound: Sound, last: bool, convention: Convention) -> str:
    symbol = sound.symbol
    vowels = {
        "a": "a",
        "A": "a",
        "aT": convention.ta_marbuta,
        "i": convention.short_i,
        "u": convention.short_u,
        "I": convention.final_i if last else convention.long_i,
        "U": convention.long_u,
    }
    if symbol in vowels:
        return vowels[symbol]
    letter = {
        "ʿ": convention.ayn,
        "ʾ": convention.hamza,
        "q": convention.q,
        "j": convention.j,
        "sh": convention.sh,
    }.get(symbol, CONSONANTS.get(symbol, symbol))
    return letter * 2 if sound.double and convention.double and len(letter) == 1 else letter


def written(arabic_name: str, convention: Convention) -> str:
    """The Arabic name spelled in Latin letters in the convention."""
    parts: list[str] = []
    pending_abd = False
    for word in words(arabic_name):
        if word.role == "abd":
            pending_abd = True
            continue
        text = _word_text(word, convention)
        if pending_abd:
            text = _after_abd(word, text, convention)
            pending_abd = False
        parts.append(text)
    if pending_abd:
        parts.append(_bare_abd(convention))
    return " ".join(p for p in parts if p)


def _word_text(word: Word, convention: Convention) -> str:
    if word.role == "bin":
        return convention.bin
    if word.role == "abu":
        return convention.abu
    if word.role == "aal":
        return "Al"
    if word.role == "allah":
        return "Allah"
    stem = spelled(word, convention)
    if not word.article:
        return _capitalised(stem)
    return _with_article(stem, convention.article)


def _with_article(stem: str, article: str) -> str:
    if article == "al":
        return "Al" + stem
    if article.endswith(" ") or article == "":
        return (article + _capitalised(stem)).strip()
    return article + _capitalised(stem)


ABD_ALLAH = {"'Abd al-": "'Abd Allah", "Abd el-": "Abd Allah", "Abdul ": "Abdullah", "Abdul": "Abdullah"}


def _after_abd(word: Word, text: str, convention: Convention) -> str:
    """The servant-of compound: "'Abd al-Rahim", "Abdul Rahim", "Abdulrahim"; "Abdullah", "Abdellah"."""
    if word.role == "allah":
        return ABD_ALLAH.get(convention.abd, "Abdellah")
    if not word.article:
        return f"{_bare_abd(convention)} {text}"
    stem = spelled(word, convention)
    if convention.abd in {"Abdul", "Abdel"}:
        return convention.abd + stem
    return convention.abd + _capitalised(stem)


def _bare_abd(convention: Convention) -> str:
    return "'Abd" if convention.abd.startswith("'") else "Abd"


def _capitalised(text: str) -> str:
    """Upper-case the first letter, past a leading apostrophe ("'abd" → "'Abd")."""
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1 :]
    return text


ASCII = icu.Transliterator.createInstance("Latin-ASCII")


@cache
def skeleton(arabic_name: str) -> str:
    """The name's letters as ICU writes them, accents and spaces dropped: عبد الرحيم → "bdalrhym".
    Two names with different skeletons are spelled differently in Arabic: different names."""
    return "".join(ch for ch in ASCII.transliterate(ROMANISE.transliterate(arabic_name)).lower() if ch.isalpha())


def neighbours(arabic_name: str, pool: tuple[str, ...]) -> list[str]:
    """The names of the pool whose skeleton is one letter from this one's (تامر / طاهر)."""
    own = skeleton(arabic_name)
    return [name for name in pool if _one_letter(own, skeleton(name))]


def _one_letter(a: str, b: str) -> bool:
    """One letter replaced, added or dropped."""
    return Levenshtein.distance(a, b, score_cutoff=2) == 1
