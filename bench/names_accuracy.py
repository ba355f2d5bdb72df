"""Name matching accuracy: precision and recall at the operating threshold, against a plain
rapidfuzz ``token_sort_ratio`` baseline scored on the same pairs in the same run.

Pairs are generated from real given names and surnames (Faker's locale lists) in Cyrillic,
Arabic, Greek and Latin with diacritics and without. True variants: the name in its own script
against a romanisation (BGN for Russian, UNGEGN for Greek: not the schemes gatewatch uses; ICU's
Any-Latin for Arabic, which it does use), accents dropped, surname first with a comma, an initial
for the given name, one slip of the pen, a middle name added. True non-matches: different
people with similar names: the same surname and another given name (relatives), the same given
name and another surname, and the same initials. A few "non-matches" may be variants after all
(two spellings of one given name drawn at random): labels are as generated.

    python bench/names_accuracy.py [--quick]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import icu
from faker import Faker
from rapidfuzz import fuzz
from rich.console import Console
from rich.progress import track
from rich.table import Table

from gatewatch.core.names import VARIANT_THRESHOLD, compare_names

LOCALES = ("ru_RU", "ar_AA", "el_GR", "es_ES", "pl_PL", "tr_TR", "de_DE", "en_US")
BASELINE_THRESHOLD = 85.0
LATIN = icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")
ASCII = icu.Transliterator.createInstance("Latin-ASCII")
SCHEMES = {
    "ru_RU": icu.Transliterator.createInstance("Russian-Latin/BGN; Latin-ASCII"),
    "el_GR": icu.Transliterator.createInstance("Greek-Latin/UNGEGN; Latin-ASCII"),
}
"""Romanisations unlike both of gatewatch's (rigour's own, and ICU's Any-Latin): Yermakov for
Ермаков, Avgoustina for Αυγουστίνα. Arabic has no such second scheme here: its pairs use ICU's
Any-Latin, which gatewatch also uses, so they are easier than real ones."""


@dataclass(frozen=True)
class Person:
    given: str
    surname: str
    other_given: str
    other_surname: str
    middle: str
    locale: str


@dataclass(frozen=True)
class Pair:
    left: str
    right: str
    same: bool
    kind: str
    locale: str


def people(locale: str, count: int, rng: random.Random) -> list[Person]:
    faker = Faker(locale)
    faker.seed_instance(rng.randrange(1 << 30))
    made = []
    for _ in range(count):
        male = rng.random() < 0.5
        given = faker.first_name_male() if male else faker.first_name_female()
        surname_of = getattr(faker, "last_name_male" if male else "last_name_female", faker.last_name)
        surname = surname_of()
        other_given, other_surname = given, surname
        while other_given == given:
            other_given = faker.first_name_male() if male else faker.first_name_female()
        while other_surname == surname:
            other_surname = surname_of()
        middle = faker.first_name_male()
        made.append(Person(given, surname, other_given, other_surname, middle, locale))
    return made


def slip(word: str, rng: random.Random) -> str:
    """One slip of the pen in a word of four letters or more: two letters swapped, or one dropped."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + word[i + 1 :]


def variants(p: Person, rng: random.Random) -> list[Pair]:
    name = f"{p.given} {p.surname}"
    latin = SCHEMES.get(p.locale, LATIN).transliterate(name)
    made = [
        Pair(name, latin if latin != name else ASCII.transliterate(name), True, "script or accents", p.locale),
        Pair(name, f"{p.surname.upper()}, {p.given}", True, "surname first", p.locale),
        Pair(latin, f"{latin.split()[0][0]}. {' '.join(latin.split()[1:])}", True, "initial", p.locale),
        Pair(latin, " ".join(slip(w, rng) if len(w) > 5 else w for w in latin.split()), True, "slip", p.locale),
        Pair(name, f"{p.given} {p.middle} {p.surname}", True, "middle name", p.locale),
    ]
    return [pair for pair in made if pair.left != pair.right or pair.kind == "surname first"]


def non_matches(p: Person) -> list[Pair]:
    name = f"{p.given} {p.surname}"
    return [
        Pair(name, f"{p.other_given} {p.surname}", False, "relative (same surname)", p.locale),
        Pair(name, f"{p.given} {p.other_surname}", False, "same given name", p.locale),
        Pair(
            LATIN.transliterate(name),
            LATIN.transliterate(f"{p.given[0]}{p.other_given[1:]} {p.surname[0]}{p.other_surname[1:]}"),
            False,
            "same initials",
            p.locale,
        ),
    ]


def ours(pair: Pair) -> bool:
    return compare_names(pair.left, pair.right).score >= VARIANT_THRESHOLD


def baseline(threshold: float) -> Callable[[Pair], bool]:
    def decide(pair: Pair) -> bool:
        return fuzz.token_sort_ratio(pair.left, pair.right, processor=str.lower) >= threshold

    return decide


def scores(pairs: list[Pair], decided: list[bool]) -> tuple[float, float, float]:
    tp = sum(d and p.same for p, d in zip(pairs, decided, strict=True))
    fp = sum(d and not p.same for p, d in zip(pairs, decided, strict=True))
    fn = sum(not d and p.same for p, d in zip(pairs, decided, strict=True))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="40 people per script instead of 250")
    per_locale = 40 if parser.parse_args().quick else 250
    rng = random.Random(1940)
    pairs: list[Pair] = []
    for locale in LOCALES:
        for person in people(locale, per_locale, rng):
            pairs += variants(person, rng) + non_matches(person)
    console = Console(width=max(110, Console().width))
    compare_names("warm up", "the name data")  # rigour builds its tagger once per process
    began = time.perf_counter()
    decided_ours = [ours(p) for p in track(pairs, description="gatewatch names", console=console, transient=True)]
    ours_seconds = time.perf_counter() - began
    by_threshold = {t: [baseline(t)(p) for p in pairs] for t in range(50, 101)}
    best = max(by_threshold, key=lambda t: scores(pairs, by_threshold[t])[2])
    rows = [
        (f"gatewatch names (score ≥ {VARIANT_THRESHOLD})", decided_ours),
        (f"token_sort_ratio ≥ {BASELINE_THRESHOLD:.0f}", by_threshold[int(BASELINE_THRESHOLD)]),
        (f"token_sort_ratio ≥ {best} (its best F1 on these pairs)", by_threshold[best]),
    ]
    kinds = Counter(p.kind for p in pairs)
    table = Table(title=f"name matching on {len(pairs):,} labelled pairs ({sum(p.same for p in pairs):,} variants)")
    for column in ("method", "precision", "recall", "F1"):
        table.add_column(column, justify="right")
    for label, decided in rows:
        precision, recall, f1 = scores(pairs, decided)
        table.add_row(label, f"{precision:.3f}", f"{recall:.3f}", f"{f1:.3f}")
    console.print(table)
    detail = Table(title="by kind of pair: share decided correctly")
    for column in ("kind", "pairs", "gatewatch", f"token_sort ≥ {BASELINE_THRESHOLD:.0f}"):
        detail.add_column(column, justify="right")
    for kind in kinds:
        chosen = [i for i, p in enumerate(pairs) if p.kind == kind]
        right_ours = sum(decided_ours[i] == pairs[i].same for i in chosen) / len(chosen)
        right_base = sum(by_threshold[int(BASELINE_THRESHOLD)][i] == pairs[i].same for i in chosen) / len(chosen)
        detail.add_row(kind, str(len(chosen)), f"{right_ours:.3f}", f"{right_base:.3f}")
    console.print(detail)
    console.print(
        f"machine: {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{1000 * ours_seconds / len(pairs):.2f} ms per pair (names analysed once each, cached); "
        "target: recall ≥ 0.98 at precision ≥ 0.98"
    )


if __name__ == "__main__":
    main()
