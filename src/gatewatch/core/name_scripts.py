"""The Latin spellings of a name part written in another script, or in another romanisation.

A name written in Cyrillic, Greek, Chinese characters, Hangul or Kana is written in Latin
letters in more than one way: by each transliteration scheme (ICU's general one, and the
BGN/PCGN or UN schemes that gazetteers and many registries use), and for Chinese and Korean by
the conventions people write their own names in. A part is compared in every Latin spelling
it has:

- **Chinese characters** are read in pinyin, every reading a character has (单 is dan, shan
  and chan; 曾 is zeng and ceng), using the ``pypinyin`` dictionary;
- **Wade-Giles** (Chiang Ching-kuo) is read back into pinyin (Jiang Jingguo): pypinyin's
  Wade-Giles style gives each pinyin syllable's Wade-Giles spelling, and the table is inverted
  once; a Latin word is read as Chinese only when it splits into Chinese syllables;
- **Hangul** is compared syllable by syllable: each syllable's consonants and vowel may be
  written as the Revised Romanisation, McCune-Reischauer and the common passport spellings
  write them (김 is gim or kim, 정 is jeong, jung or chung, 민준 is minjun or minjoon), and a
  few surnames have spellings of their own (이: Lee, Rhee, Yi; 박: Park);
- **Kana** is read by ICU, long vowels written or not (たろう: tarou, taro);
- every other script by ICU's general transliteration and its script's BGN/PCGN or UN scheme
  (Юрий: jurij, yuriy).

Pure: the dictionaries are loaded on first use and answers are kept in memory.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache
from itertools import islice, product

MAX_SPELLINGS = 16
"""At most this many spellings of one part (a part of many readings keeps the first ones)."""

SYLLABIC = frozenset({"han", "hangul", "kana"})
"""Scripts whose every character is a syllable: one character apart is another name."""

_SCHEMES = {
    "cyrillic": ("Russian-Latin/BGN", "Ukrainian-Latin/BGN"),
    "greek": ("Greek-Latin/UNGEGN", "Greek-Latin/BGN"),
    "armenian": ("Armenian-Latin/BGN",),
    "georgian": ("Georgian-Latin/BGN",),
    "kana": ("Katakana-Latin/BGN",),
    "hebrew": ("Hebrew-Latin/BGN",),
    "arabic": ("Arabic-Latin/BGN",),
}
"""Schemes tried after ICU's general ``Any-Latin`` for a part in each script."""


def script_of(text: str) -> str:
    """The script of a part's first letter: latin, han, hangul, kana, arabic, hebrew, cyrillic, …"""
    for ch in text:
        if not ch.isalpha():
            continue
        if ch.isascii():
            return "latin"
        code = ord(ch)
        if 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
            return "hangul"
        if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF:
            return "kana"
        if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF:
            return "han"
        name = unicodedata.name(ch, "")
        return name.split(" ", 1)[0].lower() if name else "other"
    return "other"


def is_abjad(script: str) -> bool:
    """Written without vowels: Arabic and Hebrew."""
    return script in ("arabic", "hebrew")


@cache
def _transliterator(scheme: str) -> object:
    import icu  # type: ignore[import-untyped]  # loaded on first use

    return icu.Transliterator.createInstance(f"{scheme}; Latin-ASCII")


def _plain(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isascii() and ch.isalnum())


def icu_spellings(form: str, script: str) -> frozenset[str]:
    """The part as ICU's general transliteration and its script's named schemes write it."""
    spelt = set()
    for scheme in ("Any-Latin", *_SCHEMES.get(script, ())):
        text = _plain(_transliterator(scheme).transliterate(form))  # type: ignore[attr-defined]
        if text:
            spelt.add(text)
    if script == "kana":
        spelt |= {_short_vowels(s) for s in spelt}
    return frozenset(spelt)


def _short_vowels(text: str) -> str:
    """Kana read with long vowels unwritten, as most people write them (tarou: taro)."""
    return text.replace("ou", "o").replace("oo", "o").replace("uu", "u").replace("aa", "a").replace("ii", "i")


def _joined(choices: Iterable[Iterable[str]]) -> frozenset[str]:
    """Every way of writing a sequence whose items have several spellings, the first ones kept
    (each item's spellings in their own order, so that the same are kept in every process:
    a set's order changes from one process to the next)."""
    ordered = [c if isinstance(c, (list, tuple)) else sorted(c) for c in choices]
    return frozenset(islice(("".join(p) for p in product(*ordered)), MAX_SPELLINGS))


# --- Chinese ---------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def han_spellings(chars: str) -> frozenset[str]:
    """Chinese characters in pinyin without tones, each character in every reading it has."""
    from pypinyin import Style, pinyin

    readings = pinyin(chars, style=Style.NORMAL, heteronym=True, errors="ignore")
    return _joined([list(dict.fromkeys(_ascii_pinyin(r) for r in each)) for each in readings if each])


def _ascii_pinyin(syllable: str) -> str:
    """ü written u (lü: lu), as passports write it."""
    return syllable.replace("ü", "u").replace("v", "u")


@cache
def _chinese_syllables() -> tuple[frozenset[str], frozenset[str], dict[str, frozenset[str]]]:
    """Every pinyin syllable, every syllable of either system, and each Wade-Giles syllable
    (apostrophes dropped) with the pinyin syllables it may stand for (ching: jing or qing)."""
    from pypinyin import Style
    from pypinyin.contrib.tone_convert import to_normal
    from pypinyin.pinyin_dict import pinyin_dict
    from pypinyin.style import convert

    toned = {reading for readings in pinyin_dict.values() for reading in readings.split(",")}
    plain = {_ascii_pinyin(to_normal(r)) for r in toned if r}
    syllables = frozenset(s for s in plain if any(v in s for v in "aeiou"))  # not the hums (ng, hm)
    wade_giles: dict[str, set[str]] = {}
    for syllable in syllables:
        spelt = _plain(_ascii_pinyin(convert(syllable, Style.WADEGILES, strict=False)))
        if spelt:
            wade_giles.setdefault(spelt, set()).add(syllable)
    return syllables, syllables | wade_giles.keys(), {k: frozenset(v) for k, v in wade_giles.items()}


@lru_cache(maxsize=65_536)
def chinese_reading(word: str) -> tuple[int, bool, frozenset[str]]:
    """How a Latin word reads as romanised Chinese: ``(syllables, wade_giles, pinyin)``.

    ``syllables`` is how many Chinese syllables the word splits into (0 when it does not split
    into one to three of them); ``wade_giles`` is true when a split needs a syllable only
    Wade-Giles has (hsi, ching, tung); ``pinyin`` is the word in pinyin under every split.
    """
    if not word.isascii() or not word.isalpha() or len(word) > 18:
        return 0, False, frozenset()
    pinyin_syllables, either, wade_giles = _chinese_syllables()
    splits = list(islice(_splits(word, either), 8))
    if not splits or not any(ch in "aeiou" for ch in word):
        return 0, False, frozenset()
    fewest = min(len(split) for split in splits)
    only_wade_giles = not any(all(s in pinyin_syllables for s in split) for split in splits if len(split) == fewest)
    read: set[str] = set()
    for split in splits:
        choices = [(wade_giles.get(s, frozenset()) | ({s} if s in pinyin_syllables else set())) for s in split]
        read |= _joined(choices)
    return fewest, only_wade_giles, frozenset(islice(sorted(read), MAX_SPELLINGS))


def _splits(word: str, syllables: frozenset[str], most: int = 3) -> Iterable[tuple[str, ...]]:
    """The ways of cutting a word into at most ``most`` syllables, fewest pieces first."""
    if not word:
        yield ()
        return
    if most == 0:
        return
    for end in range(len(word), 0, -1):
        head = word[:end]
        if head in syllables:
            for rest in _splits(word[end:], syllables, most - 1):
                yield (head, *rest)


# --- Korean ----------------------------------------------------------------------------------

_INITIALS = (
    ("g", "k"), ("kk", "gg", "k"), ("n",), ("d", "t"), ("tt", "dd"), ("r", "l"), ("m",), ("b", "p"),
    ("pp", "bb"), ("s", "sh"), ("ss", "s"), ("",), ("j", "ch"), ("jj", "tch", "ch"), ("ch", "c"),
    ("k",), ("t",), ("p",), ("h",),
)  # fmt: skip
"""Each Hangul initial consonant in Revised Romanisation, McCune-Reischauer and common use."""

_VOWELS = (
    ("a", "ah"), ("ae", "ai"), ("ya",), ("yae",), ("eo", "o", "u", "uh"), ("e",), ("yeo", "yo"),
    ("ye",), ("o", "oh"), ("wa",), ("wae",), ("oe", "oi", "we"), ("yo",), ("u", "oo"), ("wo",),
    ("we",), ("wi",), ("yu", "yoo"), ("eu", "u"), ("ui", "ee", "eui"), ("i", "ee"),
)  # fmt: skip
"""Each Hangul vowel, likewise."""

_FINALS = (
    ("",), ("k", "g"), ("k", "kk"), ("k",), ("n",), ("n",), ("n",), ("t", "d"), ("l", "r"), ("k",),
    ("m",), ("l",), ("l",), ("l",), ("p",), ("l",), ("m",), ("p", "b"), ("p",), ("t", "s"),
    ("t", "ss"), ("ng",), ("t",), ("t",), ("k",), ("t",), ("p",), ("t",),
)  # fmt: skip
"""Each Hangul final consonant, likewise."""

_SURNAME_SPELLINGS = {"이": ("lee", "rhee", "yi", "rhie", "li", "ri"), "박": ("park",), "허": ("hur", "huh")}
"""Surnames whose usual spellings no rule gives (the initial ㄹ/ㄴ that South Korea drops is
given by a rule: 임 Lim, 류 Ryu, 노 Roh)."""

_Y_VOWELS = frozenset({2, 3, 6, 7, 12, 17, 20})
"""Vowels (ya, yae, yeo, ye, yo, yu, i) before which a dropped ㄹ/ㄴ is still written (Rim, Ryu)."""


def hangul_syllables(text: str) -> list[str]:
    return [ch for ch in text if 0xAC00 <= ord(ch) <= 0xD7A3]


def _syllable_pattern(ch: str) -> str:
    code = ord(ch) - 0xAC00
    lead, vowel, tail = code // 588, (code % 588) // 28, code % 28
    initials = set(_INITIALS[lead])
    if lead == 11:  # ㅇ: silent, but a dropped ㄹ may be written before i/y vowels, and 우 is "woo"
        if vowel in _Y_VOWELS:
            initials |= {"r", "l"}
        if vowel == 13:
            initials.add("w")
    if lead == 5:  # ㄹ: not written at the head of a South Korean surname (류: Ryu, Yoo)
        initials.add("")
    if lead == 2:  # ㄴ: written r in some surnames (노: Roh)
        initials.add("r")
    spelt = "".join(
        "(?:" + "|".join(sorted(choices, key=len, reverse=True)) + ")"
        for choices in (initials, _VOWELS[vowel], _FINALS[tail])
    )
    own = _SURNAME_SPELLINGS.get(ch)
    return f"(?:{'|'.join(own)}|{spelt})" if own else spelt


@lru_cache(maxsize=8192)
def hangul_pattern(text: str) -> re.Pattern[str]:
    """A pattern for every Latin spelling of a run of Hangul syllables, syllable by syllable."""
    return re.compile("".join(_syllable_pattern(ch) for ch in hangul_syllables(text)))


COMPOUND_SURNAMES = frozenset(
    {
        "欧阳", "歐陽", "司马", "司馬", "诸葛", "諸葛", "上官", "东方", "東方", "皇甫", "尉迟", "尉遲",
        "公孙", "公孫", "慕容", "令狐", "长孙", "長孫", "宇文", "司徒", "夏侯", "轩辕", "軒轅", "端木",
        "独孤", "獨孤", "南宫", "南宮", "西门", "西門", "钟离", "鍾離", "澹台", "濮阳", "濮陽", "淳于",
        "남궁", "황보", "제갈", "선우", "독고", "사공", "서문",
    }
)  # fmt: skip
"""The two-character family names of Chinese and Korean (欧阳, 남궁): a short, closed list."""


def split_written_together(text: str, script: str) -> list[str]:
    """A whole name written as one word in Chinese characters or Hangul, as family and given
    name: one character of family name (two for a compound family name, or in a name of four),
    the rest given name."""
    if script not in ("han", "hangul") or not 2 <= len(text) <= 4:
        return [text]
    cut = 2 if len(text) == 4 or (len(text) == 3 and text[:2] in COMPOUND_SURNAMES) else 1
    return [text[:cut], text[cut:]]


_KOREAN_SYLLABLE = re.compile(
    "^(?:kk|gg|tt|dd|pp|bb|ss|jj|tch|ch|sh|[gkndtrlmbpsjch])?"
    "(?:yae|yeo|wae|eui|eo|ae|ya|ye|wa|oe|oi|we|yo|oo|wo|wi|yu|yoo|eu|ui|ee|a|e|o|u|i)"
    "(?:ng|kk|ss|[kgntdlrmpbsh])?$"
)
"""One Hangul syllable in Latin letters (Kim, Jeong, Seong): one letter apart is another name."""


def is_one_syllable(word: str) -> bool:
    """A Latin word that is one Chinese syllable or one Korean syllable (Zhang, Jeon, Kim)."""
    return chinese_reading(word)[0] == 1 or bool(_KOREAN_SYLLABLE.match(word))
