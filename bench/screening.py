"""Watchlist screening: one name against 10k, 100k and 1M entries, through the index and by scans.

Entries are made from real given names and surnames (Faker's locale lists) in Latin, Cyrillic,
Greek and Arabic script, a third of them with an alias. Each size is written as FollowTheMoney
JSON lines and imported with ``gatewatch watchlist import`` (its own process, its progress bar),
whose wall time is the import figure. Then, in this process, the same queries are screened:

- **index**: ``WatchIndex.search`` on the index the import saved (mapped from its files), the
  way the server screens: candidates chosen by rare shared keys, the best judged in full;
- **scan, judged**: ``screen_entries``, every entry judged by the same matcher (the index's
  yardstick: what it finds, the index must find);
- **scan, rapidfuzz**: ``rapidfuzz.process.extract`` with ``token_sort_ratio`` over every name
  (a compiled linear scan: fast per name, but it neither transliterates nor knows nicknames).

Queries: half are variants of a listed name (another order, upper case, a letter dropped), half
names not on the list. The index's recall is the share of the judged scan's matches it also
returns (on the queries the judged scan runs on).

    python bench/screening.py [--quick] [--sizes 10000,100000,1000000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from faker import Faker
from rapidfuzz import fuzz, process
from rich.console import Console
from rich.table import Table

from gatewatch.core.names import analyse
from gatewatch.core.watch_index import WatchIndex
from gatewatch.core.watchlist import Candidate, Subject, WatchEntry, screen_entries
from gatewatch.files.index_files import index_folder, load_index
from gatewatch.store.log import EventLog, database_url
from gatewatch.store.watchlists import Watchlists

T = TypeVar("T")
LOCALES = ("en_US", "es_ES", "de_DE", "fr_FR", "pl_PL", "tr_TR", "ru_RU", "el_GR", "ar_AA")
QUERIES = 200
RAPIDFUZZ_QUERIES = 20
JUDGED_SCAN_SECONDS = 60.0
"""The judged scan runs on as many queries as fit in this budget per size (at least one)."""
JUDGED_SCAN_UP_TO = 100_000
"""Beyond this the judged scan takes minutes per query: it is not run."""


def name_parts(rng: random.Random, per_locale: int = 3000) -> dict[str, tuple[list[str], list[str]]]:
    parts = {}
    for locale in LOCALES:
        faker = Faker(locale)
        faker.seed_instance(rng.randrange(1 << 30))
        given = sorted({faker.first_name() for _ in range(per_locale)})
        surnames = sorted({faker.last_name() for _ in range(per_locale)})
        parts[locale] = (given, surnames)
    return parts


def made_name(parts: dict[str, tuple[list[str], list[str]]], rng: random.Random) -> str:
    given, surnames = parts[rng.choice(LOCALES)]
    if rng.random() < 0.2:
        return f"{rng.choice(given)} {rng.choice(given)} {rng.choice(surnames)}"
    return f"{rng.choice(given)} {rng.choice(surnames)}"


def write_entities(path: Path, size: int, parts: dict[str, tuple[list[str], list[str]]], seed: int) -> list[str]:
    """Write ``size`` Person entities; the names written, in order."""
    rng = random.Random(seed)
    written = []
    with path.open("w", encoding="utf-8") as out:
        for number in range(size):
            name = made_name(parts, rng)
            names = [name]
            properties: dict[str, list[str]] = {"name": [name]}
            if rng.random() < 0.33:
                alias = made_name(parts, rng)
                properties["alias"] = [alias]
                names.append(alias)
            if rng.random() < 0.5:
                properties["birthDate"] = [f"{rng.randrange(1930, 2005)}-{rng.randrange(1, 13):02d}-01"]
            entity = {"id": f"bench-{number}", "schema": "Person", "properties": properties}
            out.write(json.dumps(entity, ensure_ascii=False) + "\n")
            written.extend(names)
    return written


def variant(name: str, rng: random.Random) -> str:
    words = name.split()
    roll = rng.random()
    if roll < 0.33 and len(words) > 1:
        words = [words[-1] + ",", *words[:-1]]
    elif roll < 0.66:
        words = [w.upper() for w in words]
    else:
        longest = max(range(len(words)), key=lambda i: len(words[i]))
        word = words[longest]
        if len(word) > 5:
            cut = rng.randrange(1, len(word) - 1)
            words[longest] = word[:cut] + word[cut + 1 :]
    return " ".join(words)


def queries(listed: list[str], parts: dict[str, tuple[list[str], list[str]]], seed: int) -> list[str]:
    rng = random.Random(seed)
    on_list = [variant(rng.choice(listed), rng) for _ in range(QUERIES // 2)]
    off_list = [made_name(parts, rng) for _ in range(QUERIES - len(on_list))]
    mixed = on_list + off_list
    rng.shuffle(mixed)
    return mixed


def timed(run: Callable[[str], T], names: list[str]) -> tuple[list[float], list[T]]:
    seconds: list[float] = []
    answers: list[T] = []
    for name in names:
        started = time.perf_counter()
        answers.append(run(name))
        seconds.append(time.perf_counter() - started)
    return seconds, answers


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def import_list(path: Path, data: Path) -> float:
    started = time.perf_counter()
    command = [str(Path(sys.executable).parent / "gatewatch"), "watchlist", "import", str(path)]
    subprocess.run([*command, "--list", "bench", "--data", str(data), "--by", "bench"], check=True)
    return time.perf_counter() - started


def loaded_index(data: Path) -> tuple[WatchIndex, list[WatchEntry]]:
    log = EventLog.open(database_url(data))
    book = Watchlists(log.engine)
    (version,) = book.current()
    index = load_index(index_folder(data, version.list, version.version, version.digest))
    assert index is not None, "the import saved no index"
    entries = list(book.entries(version))
    log.close()
    return index, entries


def measure(size: int, parts: dict[str, tuple[list[str], list[str]]], console: Console) -> list[str]:
    """One list size: import it, then screen the same queries through the index and the scans."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "list.jsonl"
        console.print(f"[bold]{size:,} entries[/]: writing FollowTheMoney JSON lines")
        listed = write_entities(path, size, parts, seed=size)
        import_seconds = import_list(path, Path(folder) / "data")
        index, entries = loaded_index(Path(folder) / "data")
        names = queries(listed, parts, seed=size + 1)
        index.search(Subject((names[0],)))  # first touch of the mapped pages
        index_times, index_answers = timed(lambda n: index.search(Subject((n,))), names)
        fuzz_times, _ = timed(
            lambda n: process.extract(n, listed, scorer=fuzz.token_sort_ratio, limit=10), names[:RAPIDFUZZ_QUERIES]
        )
        judged = judged_scan(entries, names, index_answers) if size <= JUDGED_SCAN_UP_TO else None
    console.print(f"  index p95 {percentile(index_times, 0.95) * 1000:.2f} ms, import {import_seconds:.1f} s")
    return [
        f"{size:,}",
        f"{import_seconds:.1f} s",
        f"{percentile(index_times, 0.5) * 1000:.2f} ms",
        f"{percentile(index_times, 0.95) * 1000:.2f} ms",
        f"{percentile(fuzz_times, 0.5) * 1000:.1f} ms",
        f"{percentile(fuzz_times, 0.95) * 1000:.1f} ms",
        judged[0] if judged else "not run",
        judged[1] if judged else "not run",
    ]


def judged_scan(
    entries: list[WatchEntry], names: list[str], index_answers: list[tuple[Candidate, ...]]
) -> tuple[str, str]:
    """The judged scan's median time, and the share of its matches the index also returned."""
    seconds: list[float] = []
    found = missed = 0
    started = time.perf_counter()
    for name, answer in zip(names, index_answers, strict=True):
        if seconds and time.perf_counter() - started > JUDGED_SCAN_SECONDS:
            break
        took, (scanned,) = timed(lambda n: screen_entries(entries, Subject((n,))), [name])
        seconds += took
        wanted = {c.entry for c in scanned if c.is_match}
        found += len(wanted & {c.entry for c in answer if c.is_match})
        missed += len(wanted - {c.entry for c in answer if c.is_match})
    share = f"{found / (found + missed):.3f} ({found} of {found + missed})" if found + missed else "none to find"
    return f"{statistics.median(seconds) * 1000:,.0f} ms ({len(seconds)} queries)", share


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10k and 100k entries only")
    parser.add_argument("--sizes", help="comma-separated list sizes (default 10000,100000,1000000)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else [10_000, 100_000]
    if not args.quick and not args.sizes:
        sizes.append(1_000_000)
    console = Console(width=max(Console().width, 150))
    console.print(f"machine: {os.cpu_count()} CPUs, {platform.python_implementation()} {platform.python_version()}")
    rng = random.Random(1940)
    parts = name_parts(rng)
    analyse("Warm Up")  # the matcher's data: seconds, once per process (the server does it at start)
    table = Table(
        "entries",
        "import",
        "index p50",
        "index p95",
        "rapidfuzz scan p50",
        "rapidfuzz scan p95",
        "judged scan p50",
        "index recall vs judged scan",
        title=f"Screening one name ({QUERIES} queries: half variants of listed names, half not listed)",
    )
    for size in sizes:
        table.add_row(*measure(size, parts, console))
    console.print(table)


if __name__ == "__main__":
    main()
