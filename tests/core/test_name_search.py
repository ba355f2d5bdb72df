"""People search: words found in any name, case, accents, script and spelling aside."""

import pytest

from gatewatch.core.name_search import match


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Schussler", "Otto Schüssler"),
        ("schüssler", "Hans Schussler"),
        ("Schüssler", "Otto Schuessler"),
        ("SCHUSSLER", "Otto Schüssler"),
        ("Trotsky", "Лев Троцкий"),
        ("trockij", "Лев Троцкий"),
        ("Троцкий", "Leon Trotsky"),
        ("lev trotsky", "Лев Троцкий"),
        ("Ageloff, Sylvia", "Sylvia Ageloff"),
        ("garcia", "José García"),
    ],
)
def test_found_in_the_letters(typed: str, name: str) -> None:
    assert match(typed.split(), [name]) == "letters"


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Jacson", "Frank Jackson"),
        ("jackson", "Frank Jacson"),
        ("natalia", "Наталья Седова"),
        ("Trotski", "Лев Троцкий"),
    ],
)
def test_found_as_a_spelling(typed: str, name: str) -> None:
    assert match(typed.split(), [name]) == "spelling"


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Mornard", "Frank Jacson"),  # another name altogether
        ("ada", "Anna Principal"),  # a short word is no spelling of anything a letter off
        ("Kackson", "Frank Jackson"),  # a spelling starts with the same letter
        ("Schussler Trotsky", "Otto Schüssler"),  # every word must be found
    ],
)
def test_near_misses_are_not_found(typed: str, name: str) -> None:
    assert match(typed.split(), [name]) is None


def test_any_of_the_names_a_person_gave_is_searched() -> None:
    assert match(["mornard"], ["jacson", "Frank Jacson", "Jacques Mornard"]) == "letters"


def test_no_words_and_words_without_letters_match_everything() -> None:
    assert match([], ["Anna"]) == "letters"
    assert match(["-", "anna"], ["Anna"]) == "letters"
