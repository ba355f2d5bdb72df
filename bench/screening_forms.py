"""Watchlist screening: listed names screened in another form the matcher pairs, found by the index?

The entries of ``bench/screening.py`` (real given names and surnames in nine locales, their own
scripts; a third with an alias) are indexed in this process, at 100k by default. Then listed
names are screened written another way:

- **typed as one word**: a listed name of two Latin words, run together in small letters
  (``ivanpetrov`` for Ivan Petrov);
- **camel case**: the same names written IvanPetrov;
- **other forms**: a handful of names added to the list and screened in another romanisation,
  script or spelling (Wade-Giles for pinyin, Hangul, Kana written as one word, an Arabic
  particle run in, Arabic script for Latin, a nickname among namesakes).

Only the pairs the matcher itself matches (``judge`` on the listed entry) are counted; the
figure is the share the index returns as matches (what the judged scan would find).

    python bench/screening_forms.py [--size 100000] [--names 150]
"""

from __future__ import annotations

import argparse
import random
import time

from rich.console import Console
from rich.table import Table

from gatewatch.core.names import analyse
from gatewatch.core.watch_index import WatchIndex, build_index
from gatewatch.core.watchlist import Subject, WatchEntry, judge
from screening import made_name, name_parts

OTHER_FORMS = (
    ("Jiang Jingguo", "Chiang Ching-kuo"),
    ("Chiang Ching-kuo", "蒋经国"),
    ("Kim Min-jun", "김민준"),
    ("김민준", "Kim Minjoon"),
    ("ヤマダタロウ", "Yamada Taro"),
    ("Abdelkarim Djaballah", "Abd al-Karim Jaballah"),
    ("محمد حسين", "Muhammad Husayn"),
    ("Abdul Rahman Qureshi", "Abdulrahman Qurashi"),
    ("Robert Smith", "Bob Smith"),
    ("Djamel Benali", "Jamal Ben Ali"),
)
"""(listed, screened): pairs the matcher matches that share no key under parts and sounds alone
(or only one that thousands of names share)."""


def entries(size: int, seed: int) -> list[WatchEntry]:
    parts = name_parts(random.Random(1940))
    rng = random.Random(seed)
    made = []
    for number in range(size):
        aliases = (made_name(parts, rng),) if rng.random() < 0.33 else ()
        made.append(WatchEntry(made_name(parts, rng), aliases=aliases, id=f"bench-{number}", list="bench"))
    made += [WatchEntry(listed, id=f"form-{n}", list="bench") for n, (listed, _) in enumerate(OTHER_FORMS)]
    return made


def cases(listed: list[WatchEntry], names: int, seed: int) -> list[tuple[str, WatchEntry, str]]:
    """(kind, the listed entry, the name screened)."""
    two_words = [
        e for e in listed if e.id and e.id.startswith("bench-") and e.name.isascii() and len(e.name.split()) == 2
    ]
    chosen = random.Random(seed).sample(two_words, min(names, len(two_words)))
    made = [("typed as one word", e, e.name.replace(" ", "").lower()) for e in chosen]
    made += [("camel case", e, "".join(w.capitalize() for w in e.name.split())) for e in chosen]
    by_id = {e.id: e for e in listed}
    made += [("other forms", by_id[f"form-{n}"], screened) for n, (_, screened) in enumerate(OTHER_FORMS)]
    return made


def found_by_kind(index: WatchIndex, screened: list[tuple[str, WatchEntry, str]]) -> dict[str, tuple[int, int]]:
    """For each kind: how many the index returns as matches, of those the matcher matches."""
    found: dict[str, tuple[int, int]] = {}
    for kind, entry, name in screened:
        subject = Subject((name,))
        truth = judge(entry, subject)
        if truth is None or not truth.is_match:
            continue
        hit = entry.id in {c.entry for c in index.search(subject) if c.is_match}
        done, of = found.get(kind, (0, 0))
        found[kind] = (done + hit, of + 1)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000, help="listed entries (default 100000)")
    parser.add_argument("--names", type=int, default=150, help="listed names screened per generated kind")
    args = parser.parse_args()
    console = Console()
    analyse("Warm Up")
    listed = entries(args.size, seed=args.size)
    started = time.perf_counter()
    index = build_index(listed)
    console.print(f"{args.size:,} entries indexed in {time.perf_counter() - started:.1f} s")
    table = Table("kind", "found by the index", title=f"Listed names screened in another form ({args.size:,} entries)")
    for kind, (done, of) in found_by_kind(index, cases(listed, args.names, seed=3)).items():
        table.add_row(kind, f"{done} of {of}")
    console.print(table)


if __name__ == "__main__":
    main()
