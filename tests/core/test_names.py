"""Name variants: ordinary spellings are one name; different names are not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gatewatch.core.names import VARIANT_THRESHOLD, best_variant, compare_names, is_variant

VARIANTS = [
    ("Natalia Sedova", "Natalya Sedova"),
    ("AGELOFF, Sylvia", "Sylvia Ageloff"),
    ("Aleksandr Pushkin", "Alexander Pushkin"),
    ("Mohammed Ali", "Muhammad Ali"),
    ("Leon Trotsky", "Лев Троцкий"),
    ("Robert Sheldon Harte", "Robert Harte"),
    ("R. S. Harte", "Robert Sheldon Harte"),
    ("Omar al-Bashir", "Omar Bashir"),
    ("Omar al-Bashir", "Omar el-Bashir"),
    ("Ludwig van Beethoven", "Ludwig Beethoven"),
    ("José Martí", "Jose Marti"),
    ("Jon Smith", "John Smith"),
    ("Ann Lee", "Anne Lee"),
    ("Bob Dylan", "Robert Dylan"),
    ("Frank Jacson", "Frank Jackson"),
    ("Αλέξανδρος Παπαδόπουλος", "Alexandros Papadopoulos"),
    ("محمد علي", "Mohamed Ali"),
    ("Jacques Mornard", "MORNARD VANDENDRESCHD, Jacques"),
    ("Maria Garcia", "Mario Garcia"),  # one slip of the pen: the desk checks the papers
]

DIFFERENT = [
    ("Frank Jacson", "Jacques Mornard"),
    ("Frank Jacson", "Frank Miller"),
    ("Frank Jacson", "Frank Johnson"),
    ("John Smith", "Jane Smith"),
    ("Sylvia Ageloff", "Ruth Ageloff"),
    ("Leon Trotsky", "Leon Sedov"),
    ("Sylvia", "Sylvia Ageloff"),  # a lone given name ties nothing
    ("تامر العفيفي", "طاهر الديسي"),  # written without vowels, a letter apart is another name
    ("", "Sylvia Ageloff"),
    ("   ", ""),
]


@pytest.mark.parametrize(("left", "right"), VARIANTS)
def test_variants_of_one_name(left: str, right: str) -> None:
    found = compare_names(left, right)
    assert found.is_variant, found.explanation
    assert found.score >= VARIANT_THRESHOLD


@pytest.mark.parametrize(("left", "right"), DIFFERENT)
def test_different_names(left: str, right: str) -> None:
    assert not is_variant(left, right), compare_names(left, right).explanation


def test_the_explanation_says_which_part_matched_which_and_how() -> None:
    said = compare_names("Natalia Sedova", "Natalya Sedova").explanation
    assert "natalia ≈ natalya (known variant)" in said and "sedova = sedova" in said
    assert "(initial)" in compare_names("R. Harte", "Robert Harte").explanation
    assert "(nickname)" in compare_names("Bob Dylan", "Robert Dylan").explanation
    assert "(unmatched)" in compare_names("Frank Jacson", "Frank Miller").explanation


def test_best_variant_picks_the_alias_that_matches() -> None:
    found = best_variant("Jaques Mornard", ["Frank Jacson", "Jacques Mornard", "Leon Sedov"])
    assert found is not None and found.right == "Jacques Mornard"
    assert best_variant("Ruth Ageloff", ["Sylvia Ageloff"]) is None


PARTS = ["anna", "maria", "jon", "john", "smith", "garcía", "van", "al", "r.", "lee", "ageloff", "sylvia", "de", "leon"]
LATIN_NAME = st.lists(st.sampled_from(PARTS), min_size=1, max_size=4)


@settings(max_examples=200, deadline=None)
@given(LATIN_NAME, LATIN_NAME)
def test_the_score_is_symmetric(left: list[str], right: list[str]) -> None:
    a, b = " ".join(left), " ".join(right)
    assert compare_names(a, b).score == compare_names(b, a).score


@settings(max_examples=100, deadline=None)
@given(LATIN_NAME)
def test_a_name_is_a_variant_of_itself_reordered(parts: list[str]) -> None:
    name = " ".join(parts)
    assert compare_names(name, " ".join(reversed(parts))).score == compare_names(name, name).score
