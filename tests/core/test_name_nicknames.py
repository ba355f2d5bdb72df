"""Nicknames and hypocorisms, and which parts are given names."""

from __future__ import annotations

import pytest

from gatewatch.core.name_nicknames import HYPOCORISMS, arabic_skeletons, full_names_of, is_given_name


@pytest.mark.parametrize(
    ("nickname", "full"),
    [
        ("peggy", "margaret"),
        ("sandy", "alexander"),
        ("beto", "roberto"),
        ("lupita", "guadalupe"),
        ("misha", "mikhail"),
        ("mohd", "muhammad"),
        ("md", "muhammad"),
        ("liam", "william"),
        ("shura", "aleksandr"),
    ],
)
def test_a_nickname_has_its_full_names(nickname: str, full: str) -> None:
    assert full in full_names_of(nickname)


def test_near_miss_a_full_name_is_not_a_nickname_of_another() -> None:
    assert "margaret" in full_names_of("margaret") and "robert" not in full_names_of("margaret")
    assert "roberto" not in full_names_of("ernesto")
    assert "muhammad" not in full_names_of("mahmoud")


def test_the_table_is_small_and_in_small_letters() -> None:
    assert len(HYPOCORISMS) <= 80
    assert all(k.isascii() and k.islower() and all(n.islower() for n in v) for k, v in HYPOCORISMS.items())


def test_given_names_are_known_in_many_languages() -> None:
    assert all(is_given_name(n) for n in ("thomas", "martin", "heinrich", "antoine", "beto"))
    assert not is_given_name("ageloff") and not is_given_name("okafor")


def test_arabic_names_are_known_by_their_skeleton() -> None:
    found = arabic_skeletons()
    assert "mhmd" in found
    assert all(len(s) >= 3 for s in found)
