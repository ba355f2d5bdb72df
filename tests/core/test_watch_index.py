"""The watchlist index finds what the entry-by-entry scan finds, from a fraction of the work."""

from __future__ import annotations

import random
from datetime import date

import pytest
from faker import Faker

from gatewatch.core.watch_index import POOL, build_index, name_keys
from gatewatch.core.watchlist import Subject, WatchEntry, screen_entries

LOCALES = ("en_US", "de_DE", "es_ES", "ru_RU", "uk_UA", "el_GR", "ar_AA", "fr_FR")


@pytest.fixture(scope="module")
def entries() -> tuple[WatchEntry, ...]:
    faker = Faker(list(LOCALES))
    faker.seed_instance(1940)
    made = [
        WatchEntry(faker.name(), aliases=(faker.name(),) if i % 3 == 0 else (), id=f"e{i}", list="test")
        for i in range(3000)
    ]
    made.append(WatchEntry("Лев Троцкий", id="trotsky", list="test"))
    made.append(WatchEntry("Ramón Mercader", aliases=("Frank Jacson",), id="mercader", documents=("JX1940817",)))
    return tuple(made)


def _variant(name: str, rng: random.Random) -> str:
    parts = name.split()
    choice = rng.randrange(3)
    if choice == 0 and len(parts) > 1:
        parts.reverse()
    elif choice == 1:
        parts[-1] = parts[-1].upper()
    elif len(parts[-1]) > 5:
        i = rng.randrange(1, len(parts[-1]) - 1)
        parts[-1] = parts[-1][:i] + parts[-1][i + 1 :]
    return " ".join(parts)


def test_the_index_finds_every_match_the_scan_finds(entries: tuple[WatchEntry, ...]) -> None:
    index = build_index(entries)
    rng = random.Random(7)
    queries = [_variant(rng.choice(entries).name, rng) for _ in range(60)]
    queries += ["Leon Trotsky", "Frank Jackson", "Mercader, Ramon"]
    for query in queries:
        subject = Subject((query,))
        scanned = {c.entry for c in screen_entries(entries, subject) if c.is_match}
        indexed = {c.entry for c in index.search(subject) if c.is_match}
        assert scanned <= indexed, f"{query}: the scan found {scanned - indexed} that the index did not"


def test_the_index_judges_as_the_scan_does(entries: tuple[WatchEntry, ...]) -> None:
    index = build_index(entries)
    subject = Subject(("Leon Trotsky",))
    assert index.search(subject)[0] == screen_entries(entries, subject)[0]


def test_a_document_number_alone_finds_its_entry(entries: tuple[WatchEntry, ...]) -> None:
    found = build_index(entries).search(Subject(("Unknown Person",), documents=("jx 1940817",)))
    assert found[0].entry == "mercader" and found[0].is_match


def test_a_birth_date_is_weighed_in_the_index_too(entries: tuple[WatchEntry, ...]) -> None:
    with_date = WatchEntry("Ramón Mercader", id="m2", birth_dates=("1913-02-07",))
    found = build_index((with_date,)).search(Subject(("Ramon Mercader",), birth_date=date(1913, 2, 7)))
    assert "as the entry" in found[0].reasons[-1]


def test_near_miss_an_unrelated_name_finds_no_match(entries: tuple[WatchEntry, ...]) -> None:
    found = build_index(entries).search(Subject(("Zyx Qwvutsr",)))
    assert not any(c.is_match for c in found)


def test_an_empty_list_finds_nothing() -> None:
    assert build_index(()).search(Subject(("Frank Jacson",))) == ()


def test_the_work_per_screening_is_bounded(entries: tuple[WatchEntry, ...]) -> None:
    index = build_index(entries)
    assert len(index._ranked_names(Subject(("Maria Garcia Lopez",)))) <= POOL


def test_keys_leave_out_particles_and_initials() -> None:
    from rigour.text.phonetics import metaphone

    assert name_keys("J. van Gogh") == {"gogh", f"~{metaphone('gogh')}"}
