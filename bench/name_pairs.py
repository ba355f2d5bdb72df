"""Labelled name pairs by kind of difficulty, for ``bench/names_accuracy.py``.

Every pair is built from real name lists (Faker's locale lists of given names and surnames;
the ``nicknames`` package's English hypocorisms; ``pypinyin`` for Chinese characters; ICU's
transliterators; ``arabic_spelling`` for Arabic in two Latin conventions) and labelled by
construction, never by asking a matcher. Each kind draws as many positives (one person's
name written two ways) as negatives (two people's names that look alike), with a random
generator seeded from the kind's name, so a run is the same every time.

Kinds 1–6 are names a matcher may miss (the positives are the point; the negatives are look-
alikes to keep it honest); kinds 7–11 are names it may wrongly tie (the negatives are the
point; the positives are the same names written the ordinary other way). Kind 5 (a title and
a surname against the full name) expects a *weak* tie, not a variant.

Labels are kept honest by one rule wherever a negative swaps a name part for another from a
list: the two parts must not be possibly one name (``could_be_one_name``: the same spelling
key, or one an English nickname of the other in the ``nicknames`` data). Kinds that are about
one letter or one character (9) use their own rule instead: the two parts come from different
characters or syllables whose readings differ.
"""

from __future__ import annotations

import hashlib
import importlib
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache

import icu
from nicknames import NickNamer
from pypinyin import Style, lazy_pinyin
from rapidfuzz.distance import Levenshtein

import arabic_spelling as arabic

ASCII = icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")
HANGUL = icu.Transliterator.createInstance("Hangul-Latin")
KANA = icu.Transliterator.createInstance("Katakana-Latin; Latin-ASCII")
RUSSIAN_BGN = icu.Transliterator.createInstance("Russian-Latin/BGN; Latin-ASCII")
GREEK_UNGEGN = icu.Transliterator.createInstance("Greek-Latin/UNGEGN; Latin-ASCII")
GREEK_BGN = icu.Transliterator.createInstance("Greek-Latin/BGN; Latin-ASCII")
ICAO_RUSSIAN = {
    **dict(zip("абвгдезийклмнопрстуфыэ", "abvgdeziiklmnoprstufye", strict=True)),
    **{"ё": "e", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch"},
    **{"ъ": "ie", "ь": "", "ю": "iu", "я": "ia"},
}
"""Cyrillic to Latin as machine-readable passports write it (ICAO Doc 9303): Ekaterina, Iurii."""

TITLES = ("President", "Minister", "General", "Colonel", "Senator", "Ambassador", "Judge", "Governor", "Professor")
"""Offices written before a surname; the courtesy titles come from Faker's own prefix lists."""


@dataclass(frozen=True)
class Pair:
    """Two written names; ``same`` when they are one person's, by construction."""

    left: str
    right: str
    same: bool
    kind: str
    source: str


@dataclass(frozen=True)
class Kind:
    """A kind of hard pair: its name, whether it is about misses or false matches, and its pairs' maker."""

    name: str
    about: str  # "misses" or "false matches"
    draw: Callable[[random.Random, int], tuple[Pair, Pair] | None]
    expects_weak: bool = False


# --- name lists -------------------------------------------------------------------------------


@cache
def names(locale: str, attribute: str) -> tuple[str, ...]:
    """A Faker person list, sorted (weighted lists by their names), as single words unless they are tuples."""
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    values = getattr(provider, attribute)
    return tuple(sorted(set(values)))


def words_only(values: Sequence[str]) -> tuple[str, ...]:
    """The entries that are one word of letters (no spaces, hyphens, dots or brackets)."""
    return tuple(v for v in values if v.isalpha())


def given_names(locale: str, sex: str = "male") -> tuple[str, ...]:
    """The locale's given names for one sex where it lists them apart, else all its given names."""
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    attribute = f"first_names_{sex}" if hasattr(provider, f"first_names_{sex}") else "first_names"
    return words_only(names(locale, attribute))


def surnames(locale: str) -> tuple[str, ...]:
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    attribute = "last_names_male" if hasattr(provider, "last_names_male") else "last_names"
    return words_only(names(locale, attribute))


def arabic_names(attribute: str, locales: Sequence[str] = ("ar_AA", "ar_SA")) -> tuple[str, ...]:
    """Faker's Arabic names made only of Arabic letters and spaces."""
    merged = {n for loc in locales for n in names(loc, attribute)}
    return tuple(sorted(n for n in merged if re.fullmatch(r"[\u0600-\u06ff ]+", n)))


# --- the honesty rule ---------------------------------------------------------------------------


def spelling_key(part: str) -> str:
    """A name part reduced to what spellings of one name share: Latin letters, digraphs folded
    (ph/f, c/k/q, w/v, z/s, y/i, dj/j, ch/sh), its first letter (any vowel as one), then its
    consonants without doubling. Mohamed and Muhammad share "mhmd"; Tamer and Taher do not."""
    text = "".join(ch for ch in ASCII.transliterate(part).lower() if ch.isalpha())
    for old, new in (("ph", "f"), ("ck", "k"), ("dj", "j"), ("ch", "sh"), ("c", "k"), ("q", "k")):
        text = text.replace(old, new)
    text = text.translate(str.maketrans("wzy", "vsi"))
    if not text:
        return ""
    head = "*" if text[0] in "aeiou" else text[0]
    tail = re.sub(r"(.)\1+", r"\1", re.sub(r"[aeiou]", "", text[1:]))
    return head + tail


@cache
def nick_namer() -> NickNamer:
    return NickNamer()


def could_be_one_name(a: str, b: str) -> bool:
    """Two name parts that may be spellings of one name, or one a nickname of the other."""
    if spelling_key(a) == spelling_key(b):
        return True
    namer = nick_namer()
    x, y = a.lower(), b.lower()
    return (
        y in namer.nicknames_of(x)
        or x in namer.nicknames_of(y)
        or bool(namer.canonicals_of(x) & namer.canonicals_of(y))
    )


def other(rng: random.Random, pool: Sequence[str], than: str, tries: int = 50) -> str | None:
    """Another entry of the pool that cannot be a spelling of ``than``; ``None`` if none is found."""
    for _ in range(tries):
        candidate = rng.choice(pool)
        if candidate != than and not could_be_one_name(candidate, than):
            return candidate
    return None


# --- 1. joined or split ---------------------------------------------------------------------------

LATIN_LOCALES = ("en_US", "de_DE", "es_ES", "pl_PL", "sv_SE", "tr_TR", "it_IT", "fr_FR")


def joined_or_split(rng: random.Random, i: int) -> tuple[Pair, Pair] | None:
    """Camel-case run-together names, and compound given names joined or split."""
    kind = "joined or split"
    if i % 3 == 0:
        locale = rng.choice((*LATIN_LOCALES, "ru_RU"))
        given, surname = _latin(locale, rng.choice(given_names(locale))), _latin(locale, rng.choice(surnames(locale)))
        other_given = other(rng, given_names(locale), given)
        if other_given is None:
            return None
        return (
            Pair(f"{given} {surname}", f"{given}{surname}", True, kind, f"{locale} camel-case"),
            Pair(f"{given}{surname}", f"{_latin(locale, other_given)} {surname}", False, kind, f"{locale} camel-case"),
        )
    if i % 3 == 1:
        return _abd_compound(rng, kind)
    locale = rng.choice(LATIN_LOCALES)
    pool = given_names(locale)
    first, second, surname = rng.choice(pool), rng.choice(pool), rng.choice(surnames(locale))
    third = other(rng, pool, second)
    if third is None or could_be_one_name(first, second):
        return None
    return (
        Pair(f"{first} {second} {surname}", f"{first}{second} {surname}", True, kind, f"{locale} two given names"),
        Pair(f"{first}{second} {surname}", f"{first} {third} {surname}", False, kind, f"{locale} two given names"),
    )


def _latin(locale: str, name: str) -> str:
    return RUSSIAN_BGN.transliterate(name) if locale == "ru_RU" else name


def _abd_compound(rng: random.Random, kind: str) -> tuple[Pair, Pair] | None:
    """'Abd + a name of God, apart against joined in one popular convention: Abdul Rahman / Abdulrahman."""
    compounds = [n for n in arabic_names("first_names_male") if n.startswith("عبد ") and " ال" in n]
    given, family = rng.choice(compounds), rng.choice(arabic_names("last_names"))
    second = rng.choice(compounds)
    if arabic.skeleton(second) == arabic.skeleton(given):
        return None
    style = arabic.popular(rng)
    apart = replace(style, abd=rng.choice(("Abdul ", "Abdel ", "Abd el-")))
    joined = replace(style, abd="Abdul" if apart.abd == "Abdul " else "Abdel")
    left, right = arabic.written(f"{given} {family}", apart), arabic.written(f"{given} {family}", joined)
    negative = arabic.written(f"{second} {family}", apart)
    return (
        Pair(left, right, True, kind, "Arabic 'Abd compound"),
        Pair(right, negative, False, kind, "Arabic 'Abd compound"),
    )


# --- 2. initials together ---------------------------------------------------------------------------

INITIAL_LOCALES = ("ig_NG", "yo_NG", "fr_FR", "en_US", "en_GB", "es_ES", "de_DE")


def initials_together(rng: random.Random, i: int) -> tuple[Pair, Pair] | None:
    """Two given names as run-together initials: "Okafor, A.B.", "J.P. Morel", "AB Okafor"."""
    kind = "initials together"
    locale = INITIAL_LOCALES[i % len(INITIAL_LOCALES)]
    pool = given_names(locale)
    first, second, surname = rng.choice(pool), rng.choice(pool), rng.choice(surnames(locale))
    if could_be_one_name(first, second):
        return None
    full = f"{first} {second} {surname}"
    shape = rng.choice(("{s}, {a}.{b}.", "{a}.{b}. {s}", "{a}{b} {s}", "{s} {a}{b}"))
    initials = shape.format(a=first[0], b=second[0], s=surname)
    if i % 2:
        unlike = [n for n in pool if n[0] != second[0]]
        wrong = shape.format(a=first[0], b=rng.choice(unlike)[0], s=surname)
        source = f"{locale} one initial differs"
    else:
        other_surname = other(rng, surnames(locale), surname)
        if other_surname is None:
            return None
        wrong = shape.format(a=first[0], b=second[0], s=other_surname)
        source = f"{locale} other surname"
    return Pair(initials, full, True, kind, source), Pair(wrong, full, False, kind, source)


# --- 3. nicknames -----------------------------------------------------------------------------------


@cache
def formal_names() -> tuple[str, ...]:
    """English given names (Faker's en_US and en_GB lists) that have nicknames in the package's
    data and are not themselves the nickname of a longer name (Patricia, not Patty)."""
    listed = {n for loc in ("en_US", "en_GB") for n in given_names(loc) + words_only(names(loc, "first_names_female"))}
    namer = nick_namer()
    return tuple(
        sorted(n for n in listed if namer.nicknames_of(n) and not any(len(c) > len(n) for c in namer.canonicals_of(n)))
    )


@cache
def all_nicknames() -> tuple[str, ...]:
    return tuple(sorted({nick for formal in formal_names() for nick in nick_namer().nicknames_of(formal)}))


def nicknames(rng: random.Random, i: int) -> tuple[Pair, Pair] | None:
    """A formal given name against its hypocorism (Robert / Bob), same surname; the negative is
    another name's hypocorism, with the same first letter where one exists (Robert / Ron)."""
    kind = "nicknames"
    locale = ("en_US", "en_GB")[i % 2]
    formal, surname = rng.choice(formal_names()), rng.choice(surnames(locale))
    nickname = rng.choice(sorted(nick_namer().nicknames_of(formal))).title()
    own = nick_namer().nicknames_of(formal) | {formal.lower()}
    alike = [n for n in all_nicknames() if n[0] == formal[0].lower() and n not in own] or list(all_nicknames())
    for _ in range(50):
        wrong = rng.choice(alike)
        if wrong not in own and not any(could_be_one_name(wrong, mine) for mine in own):
            break
    else:
        return None
    source = f"{locale} + nicknames package (English)"
    return (
        Pair(f"{formal} {surname}", f"{nickname} {surname}", True, kind, source),
        Pair(f"{formal} {surname}", f"{wrong.title()} {surname}", False, kind, source),
    )


# --- 4. romanisation ---------------------------------------------------------------------------------


def pinyin(chars: str, style: Style = Style.NORMAL) -> list[str]:
    return [s.replace("v", "ü") for s in lazy_pinyin(chars, style=style, v_to_u=True)]


def chinese_given(syllables: list[str], hyphen: bool) -> str:
    return ("-" if hyphen else "").join(syllables).capitalize()


def romanisation(rng: random.Random, i: int) -> tuple[Pair, Pair] | None:
    """The same name in script and Latin, or in two Latin schemes; the negative is a relative
    (the same family name, another given name) in the second form."""
    makers = (_hanzi_pinyin, _wade_giles_pinyin, _hangul_revised, _kana_hepburn, _cyrillic_two, _greek_two)
    return makers[i % len(makers)](rng)


def _relative(rng: random.Random, pool: Sequence[str], given: str, reading: Callable[[str], str]) -> str | None:
    """Another given name whose reading is not possibly the same name."""
    for _ in range(50):
        candidate = rng.choice(pool)
        if candidate != given and not could_be_one_name(reading(candidate), reading(given)):
            return candidate
    return None


def _pair_of_forms(
    left: str, right: str, wrong: str, source: str, kind: str = "romanisation"
) -> tuple[Pair, Pair] | None:
    if _letters(left) == _letters(right):
        return None  # the two schemes agree on this name: nothing to measure
    return Pair(left, right, True, kind, source), Pair(left, wrong, False, kind, source)


def _letters(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalpha())


def _hanzi_pinyin(rng: random.Random) -> tuple[Pair, Pair] | None:
    family, given = rng.choice(names("zh_CN", "last_names")), rng.choice(names("zh_CN", "first_names"))
    relative = _relative(rng, names("zh_CN", "first_names"), given, lambda g: "".join(pinyin(g)))
    if relative is None:
        return None
    shape = rng.choice(("{f} {g}", "{F} {g}", "{g} {f}"))

    def latin(g: str) -> str:
        f = "".join(pinyin(family)).capitalize()
        return shape.format(f=f, F=f.upper(), g=chinese_given(pinyin(g), hyphen=False))

    return (
        Pair(family + given, latin(given), True, "romanisation", "zh_CN characters / pinyin"),
        Pair(family + given, latin(relative), False, "romanisation", "zh_CN characters / pinyin"),
    )


def _wade_giles_pinyin(rng: random.Random) -> tuple[Pair, Pair] | None:
    family, given = rng.choice(names("zh_TW", "last_names")), rng.choice(names("zh_TW", "first_names"))
    relative = _relative(rng, names("zh_TW", "first_names"), given, lambda g: "".join(pinyin(g)))
    if relative is None:
        return None

    def wade_giles(g: str) -> str:
        return (
            f"{''.join(pinyin(family, Style.WADEGILES)).capitalize()} {chinese_given(pinyin(g, Style.WADEGILES), True)}"
        )

    def hanyu(g: str) -> str:
        return f"{''.join(pinyin(family)).capitalize()} {chinese_given(pinyin(g), False)}"

    return _pair_of_forms(wade_giles(given), hanyu(given), hanyu(relative), "zh_TW Wade-Giles / pinyin")


def _hangul_revised(rng: random.Random) -> tuple[Pair, Pair] | None:
    family, given = rng.choice(names("ko_KR", "last_names")), rng.choice(names("ko_KR", "first_names"))
    relative = _relative(rng, names("ko_KR", "first_names"), given, HANGUL.transliterate)
    if relative is None:
        return None
    hyphen = rng.random() < 0.5

    def revised(g: str) -> str:
        syllables = [HANGUL.transliterate(s) for s in g]
        return f"{HANGUL.transliterate(family).capitalize()} {chinese_given(syllables, hyphen)}"

    return _pair_of_forms(family + given, revised(given), revised(relative), "ko_KR Hangul / revised (ICU)")


def _kana_hepburn(rng: random.Random) -> tuple[Pair, Pair] | None:
    _, family_kana, family_roman = rng.choice(names("ja_JP", "last_name_pairs"))
    given = rng.choice(names("ja_JP", "first_name_pairs"))
    relative = rng.choice(names("ja_JP", "first_name_pairs"))
    if could_be_one_name(relative[2], given[2]):
        return None
    icu_form = KANA.transliterate(f"{family_kana} {given[1]}").title()
    return _pair_of_forms(
        icu_form, f"{given[2]} {family_roman}", f"{relative[2]} {family_roman}", "ja_JP kana (ICU) / Faker's Hepburn"
    )


def _icao(name: str) -> str:
    return "".join(ICAO_RUSSIAN.get(ch.lower(), ch) for ch in name).title()


def _two_schemes(
    rng: random.Random, locale: str, one: Callable[[str], str], other: Callable[[str], str], label: str
) -> tuple[Pair, Pair] | None:
    """A name in one romanisation against the same name, and a relative's, in another."""
    given, surname = rng.choice(given_names(locale)), rng.choice(surnames(locale))
    relative = _relative(rng, given_names(locale), given, one)
    if relative is None:
        return None
    return _pair_of_forms(one(f"{given} {surname}"), other(f"{given} {surname}"), other(f"{relative} {surname}"), label)


def _cyrillic_two(rng: random.Random) -> tuple[Pair, Pair] | None:
    return _two_schemes(rng, "ru_RU", RUSSIAN_BGN.transliterate, _icao, "ru_RU BGN (ICU) / ICAO passport")


def _greek_two(rng: random.Random) -> tuple[Pair, Pair] | None:
    return _two_schemes(rng, "el_GR", GREEK_UNGEGN.transliterate, GREEK_BGN.transliterate, "el_GR UNGEGN / BGN (ICU)")


# --- 5. title and surname ----------------------------------------------------------------------------

TITLE_LOCALES = ("en_US", "en_GB", "de_DE", "es_MX", "it_IT", "pt_BR", "ig_NG")


def courtesy_titles(locale: str, sex: str) -> tuple[str, ...]:
    """Faker's prefixes for one sex in the locale (Mr., Sra., Dott., Chief)."""
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    return tuple(sorted(set(getattr(provider, f"prefixes_{sex}", ()))))


def title_and_surname(rng: random.Random, i: int) -> tuple[Pair, Pair] | None:
    """ "President Lopez" against "Juan Lopez": one person, but too little to tie them: a weak tie;
    the negative is the title with another surname."""
    kind = "title and surname"
    locale = TITLE_LOCALES[i % len(TITLE_LOCALES)]
    sex = rng.choice(("male", "female"))
    title = rng.choice(TITLES + courtesy_titles(locale, sex))
    given, surname = rng.choice(given_names(locale, sex)), rng.choice(surnames(locale))
    wrong = other(rng, surnames(locale), surname)
    if wrong is None:
        return None
    return (
        Pair(f"{title} {surname}", f"{given} {surname}", True, kind, locale),
        Pair(f"{title} {wrong}", f"{given} {surname}", False, kind, locale),
    )


# --- 6. Arabic skeletons ------------------------------------------------------------------------------


def arabic_skeletons(rng: random.Random, i: int) -> tuple[Pair, Pair] | None:
    """An Arabic name in the scholarly convention against a popular one ('Abd al-Rahim al-Qarshi /
    Abdul Raheem Karshy); the negative is another given name one letter apart where the list has
    one (Tamir / Tahir), else any other, in the same popular convention."""
    given, family = rng.choice(arabic_names("first_names_male")), rng.choice(arabic_names("last_names"))
    near = arabic.neighbours(given, arabic_names("first_names_male"))
    wrong = rng.choice(near) if near else rng.choice(arabic_names("first_names_male"))
    if arabic.skeleton(wrong) == arabic.skeleton(given):
        return None
    scholarly = arabic.written(f"{given} {family}", arabic.SCHOLARLY)
    for _ in range(5):
        style = arabic.popular(rng)
        popular = arabic.written(f"{given} {family}", style)
        if _letters(popular) != _letters(scholarly):
            break
    else:
        return None
    source = "Arabic (Faker), one letter apart" if near else "Arabic (Faker)"
    return (
        Pair(scholarly, popular, True, "Arabic skeletons", source),
        Pair(scholarly, arabic.written(f"{wrong} {family}", style), False, "Arabic skeletons", source),
    )


# --- 7. particles and lineage ---------------------------------------------------------------------------


def particles_and_lineage(rng: random.Random, i: int) -> tuple[Pair, Pair] | None:
    """Given, father, grandfather and family name, equal in all but the family (tribal) name: two
    people. The positive is the same man with the grandfather or the "bin"s left out."""
    men = arabic_names("first_names_male")
    families = arabic_names("last_names", ("ar_SA",)) + arabic_names("last_names", ("ar_AA",))
    given, father, grandfather = rng.choice(men), rng.choice(men), rng.choice(men)
    family = rng.choice(families)
    wrong = rng.choice(families)
    if arabic.skeleton(_tribe(wrong)) == arabic.skeleton(_tribe(family)):
        return None
    with_bin = rng.random() < 0.5
    joiner = " بن " if with_bin else " "
    full = joiner.join((given, father, grandfather)) + f" {family}"
    other_family = joiner.join((given, father, grandfather)) + f" {wrong}"
    short = f"{given} بن {father} {family}" if i % 2 else f"{given} {father} {grandfather} {family}"
    if short == full:
        short = f"{given} {father} {family}"
    script = ("Arabic script", "scholarly", "popular")[i % 3]
    style = arabic.SCHOLARLY if script == "scholarly" else arabic.popular(rng)

    def shown(name: str) -> str:
        return name if script == "Arabic script" else arabic.written(name, style)

    kind = "particles and lineage"
    return (
        Pair(shown(full), shown(short), True, kind, script),
        Pair(shown(full), shown(other_family), False, kind, script),
    )


def _tribe(family: str) -> str:
    """A family name without the "Al"/"al-"/"bin" that lead it: آل سعود → سعود."""
    words = [w for w in family.split() if w not in {"آل", "بن", "أبو", "أبا"}]
    stem = words[-1] if words else family
    return stem.removeprefix("ال") if len(stem) > 3 else stem


# --- 8. patronymic order swapped ---------------------------------------------------------------------


@cache
def russian_patronymics() -> dict[str, str]:
    """Given name → patronymic, where Faker's list of patronymics has the one the usual endings make."""
    listed = {p.replace("ё", "е"): p for p in names("ru_RU", "middle_names_male")}
    found = {}
    for given in given_names("ru_RU"):
        stem = given.replace("ё", "е")
        for guess in (stem + "ович", stem + "евич", stem[:-1] + "евич", stem[:-1] + "ович", stem[:-1] + "ич"):
            if guess in listed:
                found[given] = listed[guess]
                break
    return found


@cache
def icelandic_patronymics() -> dict[str, str]:
    """Given name → "son of" surname, as Faker's Icelandic provider makes them (Jón → Jónsson)."""
    provider = importlib.import_module("faker.providers.person.is_IS").Provider
    return {
        given: stem + "son"
        for given, stem in zip(provider.first_names_male, provider.last_names_without_suffix, strict=True)
        if given.isalpha()
    }


def patronymic_order(rng: random.Random, i: int) -> tuple[Pair, Pair] | None:
    """Father and son: KHALID BIN SAEED / SAEED BIN KHALID, Иван Петрович / Пётр Иванович,
    Jón Einarsson / Einar Jónsson. The positive is the same man written the other ordinary way."""
    return (_arabic_order, _russian_order, _icelandic_order)[i % 3](rng)


def _arabic_order(rng: random.Random) -> tuple[Pair, Pair] | None:
    men = arabic_names("first_names_male")
    son, father, grandfather = rng.choice(men), rng.choice(men), rng.choice(men)
    if arabic.skeleton(son) == arabic.skeleton(father):
        return None
    family = f" {rng.choice(arabic_names('last_names', ('ar_SA',)))}" if rng.random() < 0.5 else ""
    style = arabic.popular(rng)
    name = arabic.written(f"{son} بن {father}{family}", style)
    swapped = arabic.written(f"{father} بن {son}{family}", style)
    longer = arabic.written(f"{son} بن {father} بن {grandfather}{family}", style)
    kind = "patronymic order"
    return Pair(name.upper(), longer, True, kind, "Arabic bin"), Pair(name.upper(), swapped, False, kind, "Arabic bin")


def _russian_order(rng: random.Random) -> tuple[Pair, Pair] | None:
    patronymic = russian_patronymics()
    son, father = rng.choice(sorted(patronymic)), rng.choice(sorted(patronymic))
    if could_be_one_name(son, father):
        return None
    surname = rng.choice(surnames("ru_RU"))
    latin = rng.random() < 0.5

    def shown(name: str) -> str:
        return RUSSIAN_BGN.transliterate(name) if latin else name

    with_surname = rng.random() < 0.5
    tail = f" {surname}" if with_surname else ""
    name = f"{son} {patronymic[father]}{tail}"
    swapped = f"{father.replace('ё', 'е')} {patronymic[son]}{tail}"
    same = f"{surname} {son} {patronymic[father]}" if with_surname else f"{son} {patronymic[father]} {surname}"
    source = "ru_RU patronymic" + (" (BGN)" if latin else "")
    kind = "patronymic order"
    return Pair(shown(name), shown(same), True, kind, source), Pair(shown(name), shown(swapped), False, kind, source)


def _icelandic_order(rng: random.Random) -> tuple[Pair, Pair] | None:
    son_of = icelandic_patronymics()
    son, father = rng.choice(sorted(son_of)), rng.choice(sorted(son_of))
    if could_be_one_name(son, father):
        return None
    name = f"{son} {son_of[father]}"
    middle = rng.choice(sorted(son_of))
    same = rng.choice(
        (f"{son} {middle} {son_of[father]}", f"{son_of[father].upper()}, {son}", ASCII.transliterate(name))
    )
    kind = "patronymic order"
    return (
        Pair(name, same, True, kind, "is_IS patronymic"),
        Pair(name, f"{father} {son_of[son]}", False, kind, "is_IS patronymic"),
    )


# --- 9. short names one letter apart -----------------------------------------------------------------


def one_letter_apart(rng: random.Random, i: int) -> tuple[Pair, Pair] | None:
    """Short East Asian names one letter, syllable or character apart: Chen Li / Chen Lu,
    Daniel Gim / Daniel Im, 김서준 / 김서윤, 山田太郎 / 山本太郎. The positive is the same name in
    script and Latin, surname first with a comma, or with a space between the parts."""
    return (_pinyin_apart, _korean_family_apart, _hangul_apart, _kanji_apart)[i % 4](rng)


def _one_edit(a: str, b: str) -> bool:
    """One letter replaced, added or dropped."""
    return Levenshtein.distance(a, b, score_cutoff=2) == 1


def _apart_from(rng: random.Random, pool: Sequence[str], reading: Callable[[str], str]) -> tuple[str, str] | None:
    """Two entries of the pool whose readings are one letter apart (so different characters)."""
    first = rng.choice(pool)
    near = [p for p in pool if _one_edit(reading(p), reading(first))]
    return (first, rng.choice(near)) if near else None


def _pinyin_apart(rng: random.Random) -> tuple[Pair, Pair] | None:
    single = [g for g in names("zh_CN", "first_names") if len(g) == 1]
    family = rng.choice(names("zh_CN", "last_names"))
    found = _apart_from(rng, single, lambda g: "".join(pinyin(g)))
    if found is None:
        return None
    given, near = found
    f = "".join(pinyin(family)).capitalize()
    latin, wrong = f"{f} {pinyin(given)[0].capitalize()}", f"{f} {pinyin(near)[0].capitalize()}"
    same = rng.choice((family + given, f"{f.upper()}, {pinyin(given)[0].capitalize()}"))
    kind = "one letter apart"
    return Pair(latin, same, True, kind, "zh_CN pinyin"), Pair(latin, wrong, False, kind, "zh_CN pinyin")


def _korean_family_apart(rng: random.Random) -> tuple[Pair, Pair] | None:
    longer = [
        f for f in names("ko_KR", "last_names") if len(HANGUL.transliterate(f)) > 1
    ]  # "I" (이) reads as an initial
    found = _apart_from(rng, longer, HANGUL.transliterate)
    if found is None:
        return None
    family, near = (HANGUL.transliterate(f).capitalize() for f in found)
    given = rng.choice(given_names("en_US"))
    kind = "one letter apart"
    source = "ko_KR family (revised) + en_US given"
    return (
        Pair(f"{given} {family}", f"{family.upper()}, {given}", True, kind, source),
        Pair(f"{given} {family}", f"{given} {near}", False, kind, source),
    )


def _hangul_apart(rng: random.Random) -> tuple[Pair, Pair] | None:
    pool = names("ko_KR", "first_names")
    given = rng.choice(pool)
    near = [g for g in pool if len(g) == len(given) and sum(a != b for a, b in zip(g, given, strict=True)) == 1]
    if not near:
        return None
    family = rng.choice(names("ko_KR", "last_names"))
    revised = f"{HANGUL.transliterate(family).capitalize()} {HANGUL.transliterate(given).capitalize()}"
    kind = "one letter apart"
    return (
        Pair(family + given, revised, True, kind, "ko_KR Hangul one syllable apart"),
        Pair(family + given, family + rng.choice(near), False, kind, "ko_KR Hangul one syllable apart"),
    )


def _kanji_apart(rng: random.Random) -> tuple[Pair, Pair] | None:
    families = [p for p in names("ja_JP", "last_name_pairs") if len(p[0]) == 2]
    family = rng.choice(families)
    near = [p for p in families if sum(a != b for a, b in zip(p[0], family[0], strict=True)) == 1 and p[1] != family[1]]
    if not near:
        return None
    given = rng.choice(names("ja_JP", "first_name_pairs"))[0]
    kind = "one letter apart"
    return (
        Pair(family[0] + given, f"{family[0]} {given}", True, kind, "ja_JP kanji one character apart"),
        Pair(family[0] + given, rng.choice(near)[0] + given, False, kind, "ja_JP kanji one character apart"),
    )


# --- 10. partial against long -------------------------------------------------------------------------

LONG_NAME_LOCALES = ("es_ES", "es_MX", "pt_BR", "it_IT", "fr_FR", "en_US", "de_DE")


def partial_vs_long(rng: random.Random, i: int) -> tuple[Pair, Pair] | None:
    """A two-part name against a five-part name sharing only those two parts: too little to call
    them one person. The positive is the same person with one middle name added."""
    locale = LONG_NAME_LOCALES[i % len(LONG_NAME_LOCALES)]
    given, surname = rng.choice(given_names(locale)), rng.choice(surnames(locale))
    extra = [rng.choice(given_names(locale)), rng.choice(given_names(locale)), rng.choice(surnames(locale))]
    if any(could_be_one_name(e, given) or could_be_one_name(e, surname) for e in extra):
        return None
    tail = [surname, extra[2]] if rng.random() < 0.5 else [extra[2], surname]
    long = " ".join([given, extra[0], extra[1], *tail])
    kind = "partial vs long"
    return (
        Pair(f"{given} {surname}", f"{given} {extra[0]} {surname}", True, kind, locale),
        Pair(f"{given} {surname}", long, False, kind, locale),
    )


# --- 11. given and family swapped ---------------------------------------------------------------------

SWAP_LOCALES = ("en_US", "en_GB", "fr_FR", "de_DE")


@cache
def both_given_and_surname(locale: str) -> tuple[str, ...]:
    """Names that are in the locale's given-name list and in its surname list (Thomas, Martin)."""
    return tuple(sorted(set(given_names(locale)) & set(surnames(locale))))


def given_family_swapped(rng: random.Random, i: int) -> tuple[Pair, Pair] | None:
    """ "Thomas Martin" / "Martin Thomas", both parts given names: two people. The positive says
    which is the surname with a comma: "MARTIN, Thomas" / "Thomas Martin"."""
    locale = SWAP_LOCALES[i % len(SWAP_LOCALES)]
    pool = both_given_and_surname(locale)
    first, second = rng.choice(pool), rng.choice(pool)
    if could_be_one_name(first, second):
        return None
    surname_first = f"{second.upper() if rng.random() < 0.5 else second}, {first}"
    kind = "given/family swapped"
    return (
        Pair(f"{first} {second}", surname_first, True, kind, locale),
        Pair(f"{first} {second}", f"{second} {first}", False, kind, locale),
    )


# --- all kinds ----------------------------------------------------------------------------------------

KINDS = (
    Kind("joined or split", "misses", joined_or_split),
    Kind("initials together", "misses", initials_together),
    Kind("nicknames", "misses", nicknames),
    Kind("romanisation", "misses", romanisation),
    Kind("title and surname", "misses", title_and_surname, expects_weak=True),
    Kind("Arabic skeletons", "misses", arabic_skeletons),
    Kind("particles and lineage", "false matches", particles_and_lineage),
    Kind("patronymic order", "false matches", patronymic_order),
    Kind("one letter apart", "false matches", one_letter_apart),
    Kind("partial vs long", "false matches", partial_vs_long),
    Kind("given/family swapped", "false matches", given_family_swapped),
)


def seed_of(kind: Kind) -> int:
    """A seed from the kind's name alone, so each kind's pairs stay put when others change."""
    return int.from_bytes(hashlib.sha256(kind.name.encode()).digest()[:8], "big")


def pairs_of(kind: Kind, people: int) -> list[Pair]:
    """``people`` positives and as many negatives of one kind; draws that break a rule are redrawn."""
    rng = random.Random(seed_of(kind))
    made: list[Pair] = []
    step = 0
    while len(made) < 2 * people:
        drawn = kind.draw(rng, step)
        step += 1
        if drawn is not None:
            made.extend(drawn)
        if step > 50 * people:
            raise RuntimeError(f"kind {kind.name!r}: only {len(made)} pairs after {step} draws")
    return made


def all_pairs(people: int) -> list[Pair]:
    return [pair for kind in KINDS for pair in pairs_of(kind, people)]
