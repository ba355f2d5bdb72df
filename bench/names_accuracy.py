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

Then the hard kinds (``bench/name_pairs.py``: joined or split names, initials together,
nicknames, romanisation, a title and a surname, Arabic in two conventions; Arabic lineage,
patronymics swapped, short names one letter apart, a partial name against a long one, given and
family names swapped), each with as many positives as negatives, scored by three matchers in
the same run: gatewatch's current ``compare_names``, gatewatch's previous one (``names.py`` as
it was at commit ``PREVIOUS_COMMIT``, read with git into a module of its own), and rapidfuzz's
``token_sort_ratio`` at the baseline threshold. Precision and recall of a kind are over that
kind's pairs alone. For "title and surname", where the right answer for one person is a *weak*
tie, a hit is a score at or above the weak threshold (gatewatch's ``WEAK_THRESHOLD``, used for
both of its matchers; the variant threshold where the module has none yet); token_sort has no
weak level, so its hit is its one threshold.

    python bench/names_accuracy.py [--quick] [--markdown]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import icu
from faker import Faker
from rapidfuzz import fuzz
from rich.console import Console
from rich.progress import track
from rich.table import Table

from gatewatch.core import names as current_names
from gatewatch.core.names import VARIANT_THRESHOLD, compare_names
from name_pairs import KINDS, Kind, Pair, pairs_of

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


PREVIOUS_COMMIT = "dbb2c98"
"""The commit whose ``src/gatewatch/core/names.py`` is "the previous matcher"."""


@dataclass(frozen=True)
class Matcher:
    """A way to score two names, with the score from which it calls them one name (``variant``)
    and from which it ties them at all (``weak``)."""

    label: str
    score: Callable[[str, str], float]
    variant: float
    weak: float


def previous_names_module() -> ModuleType:
    """gatewatch's matcher as it was at ``PREVIOUS_COMMIT``: the file read with ``git show``,
    written to a temporary folder and imported from there as a module of its own (it imports
    only rigour, normality and rapidfuzz, so the current package is not involved)."""
    root = Path(__file__).resolve().parent.parent
    try:
        source = subprocess.run(
            ["git", "show", f"{PREVIOUS_COMMIT}:src/gatewatch/core/names.py"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", "") or str(error)
        raise SystemExit(f"cannot read the previous matcher from git commit {PREVIOUS_COMMIT}: {detail}") from error
    name = f"gatewatch_names_{PREVIOUS_COMMIT}"
    with tempfile.TemporaryDirectory(prefix="gatewatch-names-") as folder:
        path = Path(folder) / f"{name}.py"
        path.write_text(source, encoding="utf-8")
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise SystemExit(f"cannot load the previous matcher from {path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while the class is made
        spec.loader.exec_module(module)
    return module


def matchers(previous: ModuleType) -> list[Matcher]:
    """The three matchers the kinds are scored by, in the order their columns are printed."""
    weak = float(getattr(current_names, "WEAK_THRESHOLD", VARIANT_THRESHOLD))
    return [
        Matcher("gatewatch", lambda a, b: compare_names(a, b).score, VARIANT_THRESHOLD, weak),
        Matcher(
            f"previous ({PREVIOUS_COMMIT})",
            lambda a, b: previous.compare_names(a, b).score,
            previous.VARIANT_THRESHOLD,
            weak,
        ),
        Matcher(
            f"token_sort ≥ {BASELINE_THRESHOLD:.0f}",
            lambda a, b: fuzz.token_sort_ratio(a, b, processor=str.lower),
            BASELINE_THRESHOLD,
            BASELINE_THRESHOLD,
        ),
    ]


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


@dataclass(frozen=True)
class Scored:
    """One matcher's scores for a list of pairs, and the seconds they took."""

    matcher: Matcher
    scores: list[float]
    seconds: float


def score_all(matcher: Matcher, pairs: list[Pair], console: Console) -> Scored:
    began = time.perf_counter()
    found = [
        matcher.score(p.left, p.right) for p in track(pairs, description=matcher.label, console=console, transient=True)
    ]
    return Scored(matcher, found, time.perf_counter() - began)


def hits(scored: Scored, kind: Kind, chosen: list[int]) -> list[bool]:
    """Which of the kind's pairs the matcher ties: at its variant threshold, or at its weak one
    for a kind whose positives should be weak ties."""
    threshold = scored.matcher.weak if kind.expects_weak else scored.matcher.variant
    return [scored.scores[i] >= threshold for i in chosen]


def overall(pairs: list[Pair], console: Console, previous: ModuleType) -> None:
    """The first tables: the common variants and non-matches, against the baseline at two thresholds."""
    compare_names("warm up", "the name data")  # rigour builds its tagger once per process
    previous.compare_names("warm up", "the name data")
    began = time.perf_counter()
    decided_ours = [
        compare_names(p.left, p.right).score >= VARIANT_THRESHOLD
        for p in track(pairs, description="gatewatch names", console=console, transient=True)
    ]
    ours_seconds = time.perf_counter() - began
    decided_previous = [previous.compare_names(p.left, p.right).score >= previous.VARIANT_THRESHOLD for p in pairs]
    by_threshold = {t: [baseline(t)(p) for p in pairs] for t in range(50, 101)}
    best = max(by_threshold, key=lambda t: scores(pairs, by_threshold[t])[2])
    rows = [
        (f"gatewatch names (score ≥ {VARIANT_THRESHOLD})", decided_ours),
        (f"previous gatewatch names ({PREVIOUS_COMMIT})", decided_previous),
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
    for column in ("kind", "pairs", "gatewatch", "previous", f"token_sort ≥ {BASELINE_THRESHOLD:.0f}"):
        detail.add_column(column, justify="right")
    for kind in kinds:
        chosen = [i for i, p in enumerate(pairs) if p.kind == kind]
        shares = [
            sum(decided[i] == pairs[i].same for i in chosen) / len(chosen)
            for decided in (decided_ours, decided_previous, by_threshold[int(BASELINE_THRESHOLD)])
        ]
        detail.add_row(kind, str(len(chosen)), *(f"{share:.3f}" for share in shares))
    console.print(detail)
    console.print(
        f"machine: {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{1000 * ours_seconds / len(pairs):.2f} ms per pair (names analysed once each, cached); "
        "target: recall ≥ 0.98 at precision ≥ 0.98"
    )


@dataclass(frozen=True)
class KindRow:
    """One kind's line: its pairs, and precision, recall and F1 for each matcher in order
    (precision ``None`` where the matcher tied none of the kind's pairs)."""

    kind: Kind
    pairs: int
    results: list[tuple[float | None, float, float]]


def by_kind(pairs: list[Pair], scored: list[Scored]) -> list[KindRow]:
    rows = []
    for kind in KINDS:
        chosen = [i for i, p in enumerate(pairs) if p.kind == kind.name]
        mine = [pairs[i] for i in chosen]
        results: list[tuple[float | None, float, float]] = []
        for s in scored:
            tied = hits(s, kind, chosen)
            precision, recall, f1 = scores(mine, tied)
            results.append((precision if any(tied) else None, recall, f1))
        rows.append(KindRow(kind, len(chosen), results))
    return rows


def _shown(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def kinds_table(rows: list[KindRow], scored: list[Scored]) -> Table:
    table = Table(
        title="hard kinds: precision / recall / F1 over each kind's own positives and negatives "
        "(precision – where nothing was tied)"
    )
    table.add_column("kind")
    table.add_column("looks for")
    table.add_column("pairs", justify="right")
    for s in scored:
        table.add_column(s.matcher.label, justify="right")
    for row in rows:
        cells = [" / ".join(_shown(v) for v in result) for result in row.results]
        table.add_row(_kind_label(row.kind), row.kind.about, str(row.pairs), *cells)
    return table


def _kind_label(kind: Kind) -> str:
    return f"{kind.name} (weak)" if kind.expects_weak else kind.name


def kinds_markdown(rows: list[KindRow], scored: list[Scored]) -> str:
    """The kinds' table in markdown, for docs/performance.md."""
    head = ["kind", "looks for", "pairs"]
    for s in scored:
        head += [f"{s.matcher.label} P", "R", "F1"]
    lines = ["| " + " | ".join(head) + " |", "|---|---|" + "---:|" * (len(head) - 2)]
    for row in rows:
        cells = [_kind_label(row.kind), row.kind.about, f"{row.pairs:,}"]
        cells += [_shown(v) for result in row.results for v in result]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def weak_band(pairs: list[Pair], scored: list[Scored]) -> str:
    """How the weak kind's positives fell: in the weak band exactly, above it, below it."""
    kind = next(k for k in KINDS if k.expects_weak)
    chosen = [i for i, p in enumerate(pairs) if p.kind == kind.name and p.same]
    said = []
    for s in scored[:2]:
        band = [s.scores[i] for i in chosen]
        inside = sum(s.matcher.weak <= v < s.matcher.variant for v in band)
        above = sum(v >= s.matcher.variant for v in band)
        said.append(f"{s.matcher.label}: {inside} weak, {above} variant, {len(band) - inside - above} below")
    weak = scored[0].matcher.weak
    note = "" if hasattr(current_names, "WEAK_THRESHOLD") else " (no WEAK_THRESHOLD in gatewatch yet: the variant one)"
    return f"{kind.name}, {len(chosen)} positives, weak threshold {weak}{note}: " + "; ".join(said)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="40 people per script and 30 per kind, not 250 and 150")
    parser.add_argument("--markdown", action="store_true", help="also print the kinds' table as markdown")
    arguments = parser.parse_args()
    per_locale, per_kind = (40, 30) if arguments.quick else (250, 150)
    rng = random.Random(1940)
    pairs: list[Pair] = []
    for locale in LOCALES:
        for person in people(locale, per_locale, rng):
            pairs += variants(person, rng) + non_matches(person)
    console = Console(width=max(150, Console().width))
    previous = previous_names_module()
    judges = matchers(previous)
    overall(pairs, console, previous)
    hard = [pair for kind in KINDS for pair in pairs_of(kind, per_kind)]
    scored = [score_all(m, hard, console) for m in judges]
    rows = by_kind(hard, scored)
    console.print(kinds_table(rows, scored))
    console.print(weak_band(hard, scored))
    console.print(
        "time per hard pair: "
        + "; ".join(f"{s.matcher.label} {1000 * s.seconds / len(hard):.2f} ms" for s in scored)
        + " (each gatewatch matcher caches its own analyses)"
    )
    if arguments.markdown:
        console.print(kinds_markdown(rows, scored), soft_wrap=True, markup=False, highlight=False)


if __name__ == "__main__":
    main()
