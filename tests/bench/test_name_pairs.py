"""The name benchmark's pair makers: labels checked on examples a reader can check by hand."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

BENCH = str(Path(__file__).resolve().parents[2] / "bench")
# on the path only while the benchmark's modules load: its service.py must not hide the tests' own
# service folder (a module anywhere on the path wins over a folder without __init__.py)
sys.path.insert(0, BENCH)
try:
    import arabic_spelling as arabic
    import name_pairs
    from name_pairs import KINDS, Kind, could_be_one_name, pairs_of, spelling_key
finally:
    sys.path.remove(BENCH)


def kind(name: str) -> Kind:
    return next(k for k in KINDS if k.name == name)


def test_spelling_key_joins_spellings_of_one_name_and_parts_others() -> None:
    assert spelling_key("Mohamed") == spelling_key("Muhammad")
    assert spelling_key("Philip") == spelling_key("Filip")
    assert spelling_key("Tamer") != spelling_key("Taher")


def test_could_be_one_name_knows_english_nicknames() -> None:
    assert could_be_one_name("Robert", "Bob")
    assert could_be_one_name("Bob", "Robert")
    assert not could_be_one_name("Robert", "Ron")


def test_arabic_name_in_the_scholarly_convention() -> None:
    assert arabic.written("عبد الرّحيم القرشي", arabic.SCHOLARLY) == "'Abd al-Rahim al-Qarshi"
    assert arabic.written("خالد بن سعيد", arabic.SCHOLARLY) == "Khalid bin Sa'id"
    assert arabic.written("عبدالله", arabic.SCHOLARLY) == "'Abd Allah"


def test_arabic_name_in_a_popular_convention() -> None:
    style = arabic.Convention(long_i="ee", final_i="ee", long_u="oo", q="k", ayn="", article="", abd="Abdul")
    assert arabic.written("عبد الرّحيم القرشي", style) == "Abdulraheem Karshee"
    assert arabic.written("عبد الله", style) == "Abdullah"


def test_arabic_names_one_letter_apart_are_neighbours() -> None:
    assert arabic.neighbours("تامر", ("طاهر", "تامر", "محمد")) == ["طاهر"]


def test_russian_and_icelandic_patronymics_come_from_the_fathers_name() -> None:
    assert name_pairs.russian_patronymics()["Александр"] == "Александрович"
    assert name_pairs.russian_patronymics()["Андрей"] == "Андреевич"
    assert name_pairs.icelandic_patronymics()["Jón"] == "Jónsson"
    assert name_pairs._icao("Юрий Щербаков") == "Iurii Shcherbakov"


@pytest.mark.parametrize("which", KINDS, ids=lambda k: k.name)
def test_each_kind_has_as_many_negatives_as_positives_every_time(which: Kind) -> None:
    made = pairs_of(which, 6)
    assert len(made) == 12
    assert sum(p.same for p in made) == 6
    assert {p.kind for p in made} == {which.name}
    assert made == pairs_of(which, 6)


def test_swapped_names_are_negatives_and_the_comma_form_positive() -> None:
    for pair in pairs_of(kind("given/family swapped"), 10):
        if pair.same:
            surname, given = pair.right.split(", ")
            assert pair.left.lower() == f"{given} {surname}".lower()
        else:
            assert pair.right.split() == pair.left.split()[::-1]


def test_title_positives_share_the_surname_and_negatives_do_not() -> None:
    for pair in pairs_of(kind("title and surname"), 10):
        title_surname, full_surname = pair.left.split()[-1], pair.right.split()[-1]
        assert (title_surname == full_surname) == pair.same
        if not pair.same:
            assert not could_be_one_name(title_surname, full_surname)


def test_patronymic_negatives_swap_father_and_son() -> None:
    rng = random.Random(7)
    found = None
    while found is None:
        found = name_pairs._icelandic_order(rng)
    _, swapped = found
    son, father_patronymic = swapped.left.split()
    father, son_patronymic = swapped.right.split()
    assert father_patronymic == name_pairs.icelandic_patronymics()[father]
    assert son_patronymic == name_pairs.icelandic_patronymics()[son]


def test_one_letter_apart_negatives_differ_by_one_character_or_letter() -> None:
    for pair in pairs_of(kind("one letter apart"), 8):
        if not pair.same:
            assert name_pairs._one_edit(pair.left, pair.right), pair
