"""The watchlist index finds what the entry-by-entry scan finds, from a fraction of the work."""

from __future__ import annotations

import random
from datetime import date

import numpy as np
import pytest
from faker import Faker

from gatewatch.core.name_nicknames import full_names_of
from gatewatch.core.name_scripts import hangul_pattern
from gatewatch.core.watch_index import (
    KEY_SCHEME,
    POOL,
    WatchIndex,
    all_keys,
    build_index,
    key_groups,
    name_keys,
    pattern_spellings,
    written_words,
)
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


# --- the forms the matcher pairs, found by the index ----------------------------------------------

KINDS = {
    "typed as one word": ("Ivan Petrov", "ivanpetrov"),
    "camel case": ("IvanPetrov", "Ivan Petrov"),
    "particle run together": ("Abdul Rahman", "Abdulrahman"),
    "Wade-Giles for pinyin": ("Jiang Jingguo", "Chiang Ching-kuo"),
    "Chinese characters for Wade-Giles, among Kuos": ("Chiang Ching-kuo", "蒋经国"),
    "Hangul for a romanisation": ("Kim Min-jun", "김민준"),
    "a romanisation for Hangul, among Minjoons": ("김민준", "Kim Minjoon"),
    "Kana for a romanisation": ("やまだ たろう", "Yamada Taro"),
    "Kana written as one word": ("ヤマダタロウ", "Yamada Taro"),
    "Arabic skeleton, particle run in": ("Abdelkarim Djaballah", "Abd al-Karim Jaballah"),
    "Arabic script for Latin": ("محمد حسين", "Muhammad Husayn"),
    "nickname among namesakes": ("Robert Smith", "Bob Smith"),
}
"""Kind: (the listed name, the name screened). The judged scan matches each pair."""

NEAR_MISSES = {
    "typed as one word": ("Ivan Petrov", "ivanpetrenko"),
    "camel case": ("IvanPetrov", "Ivan Petrenko"),
    "Wade-Giles for pinyin": ("Jiang Jingguo", "Chiang Ching-hua"),
    "Chinese characters for Wade-Giles": ("Chiang Ching-kuo", "蒋经纬"),
    "Hangul for a romanisation": ("Kim Min-jun", "김민재"),
    "a romanisation for Hangul": ("김민준", "Kim Minjae"),
    "Kana written as one word": ("ヤマダタロウ", "Yamada Jiro"),
    "Arabic skeleton, particle run in": ("Abdelkarim Djaballah", "Abd al-Rahim Jaballah"),
    "Arabic script for Latin": ("Djamel Benali", "Kamal Ben Ali"),
    "nickname among namesakes": ("Robert Smith", "Bert Smith"),
}
"""Kind: (the listed name, a name that shares keys with it but is another person's)."""

NAMESAKES = 200
"""Entries per crowd sharing one name (Smith, Kuo, Minjoon): a name that shares only that
name, or its sound, with the screened one ranks among them, not above."""


@pytest.fixture(scope="module")
def kinds_index(entries: tuple[WatchEntry, ...]) -> WatchIndex:
    """The Faker entries, crowds of namesakes, then each kind's listed name (filed last, so that
    among names ranked alike the earlier ones are chosen)."""
    faker = Faker("en_US")
    faker.seed_instance(12)
    bob = full_names_of("bob")
    given = [g for g in sorted({faker.first_name() for _ in range(2000)}) if not full_names_of(g.lower()) & bob]
    surnames = [s for s in sorted({faker.last_name() for _ in range(2000)}) if s != "Kim"]
    crowds = [f"{g} Smith" for g in given[:NAMESAKES]]
    crowds += [f"{g} Kuo" for g in given[:NAMESAKES]]
    crowds += [f"Minjoon {s}" for s in surnames[:NAMESAKES]]
    namesakes = [WatchEntry(name, id=f"namesake {name}", list="test") for name in crowds]
    listed = {name for name, _ in (*KINDS.values(), *NEAR_MISSES.values())}
    kinds = [WatchEntry(name, id=f"listed {name}", list="test") for name in sorted(listed)]
    return build_index((*entries, *namesakes, *kinds))


def _matched(index: WatchIndex, query: str) -> set[str]:
    return {c.entry for c in index.search(Subject((query,))) if c.is_match}


@pytest.mark.parametrize("kind", KINDS)
def test_the_index_finds_a_name_written_in_another_form(kinds_index: WatchIndex, kind: str) -> None:
    listed, screened = KINDS[kind]
    entry = WatchEntry(listed, id=f"listed {listed}")
    assert screen_entries((entry,), Subject((screened,)))[0].is_match, "the matcher itself pairs them"
    assert f"listed {listed}" in _matched(kinds_index, screened)


@pytest.mark.parametrize("kind", NEAR_MISSES)
def test_near_miss_another_persons_name_in_another_form_is_no_match(kinds_index: WatchIndex, kind: str) -> None:
    listed, screened = NEAR_MISSES[kind]
    assert f"listed {listed}" not in _matched(kinds_index, screened)


def test_a_camel_case_word_is_cut_where_its_capitals_begin() -> None:
    assert written_words("IvanPetrov McDONALD-Smith") == ["ivan", "petrov", "mc", "donald", "smith"]


def test_neighbours_are_filed_run_together_with_and_without_a_particle() -> None:
    keys = all_keys("Abd al-Karim")
    assert {"abdalkarim", "abdkarim", "alkarim"} <= keys
    assert "%bdlkrm" in keys and "%bdlkrm" in all_keys("Abdelkarim")


def test_wade_giles_is_filed_in_pinyin_only_when_every_part_reads_as_chinese() -> None:
    assert {"jiang", "jingguo"} <= all_keys("Chiang Ching-kuo")
    assert "jing" not in all_keys("Ching Brandenburg")


def test_hangul_is_filed_under_every_usual_spelling() -> None:
    assert {"kim", "gim", "minjun", "minjoon"} <= all_keys("김민준")


def test_every_spelling_of_a_hangul_syllable_matches_its_pattern() -> None:
    for code in range(0xAC00, 0xD7A4, 37):
        pattern = hangul_pattern(chr(code))
        spelt = list(pattern_spellings(pattern.pattern))
        assert spelt, chr(code)
        assert all(pattern.fullmatch(s) for s in spelt), chr(code)


def test_a_pattern_other_than_letters_and_groups_is_refused() -> None:
    with pytest.raises(ValueError, match="left open"):
        list(pattern_spellings("(?:a|b"))
    with pytest.raises(ValueError, match="not a letter or a group"):
        list(pattern_spellings("ab+"))


def test_a_nickname_is_filed_under_its_full_names() -> None:
    assert "robert" in all_keys("Bob Smith")


def test_the_keys_of_a_long_name_are_bounded() -> None:
    assert len(all_keys(" ".join(["Abd al Karim Jaballah"] * 500))) == len(
        all_keys(" ".join(["Abd al Karim Jaballah"] * 4))
    )


def test_an_index_filed_under_other_keys_refuses_to_search(entries: tuple[WatchEntry, ...]) -> None:
    index = build_index(entries[:10])
    assert index.is_current and index.key_scheme.tolist() == [KEY_SCHEME]
    old = WatchIndex(**{**{n: getattr(index, n) for n in WatchIndex.array_names()}, "key_scheme": np.array([1])})
    assert not old.is_current
    with pytest.raises(ValueError, match="build it again"):
        old.search(Subject(("Frank Jacson",)))


def test_a_part_read_two_ways_is_one_group_of_keys() -> None:
    groups = key_groups("Лев Троцкий")
    assert len(groups) == 3  # лев, троцкий, and the two run together
    assert any({"trockij", "trotsky"} <= group for group in groups)


def test_each_part_of_a_latin_name_is_a_group_of_its_own() -> None:
    assert [sorted(g)[:2] for g in key_groups("Ivan Petrov")] == [["ivan", "~IFN"], ["%ptrv", "petrov"], ["ivanpetrov"]]
