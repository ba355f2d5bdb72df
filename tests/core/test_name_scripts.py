"""Latin spellings of parts written in other scripts and romanisations."""

from __future__ import annotations

import pytest

from gatewatch.core.name_scripts import (
    chinese_reading,
    han_spellings,
    hangul_pattern,
    icu_spellings,
    is_one_syllable,
    script_of,
    split_written_together,
)


def test_chinese_characters_are_read_in_every_pinyin_reading() -> None:
    assert han_spellings("张") == {"zhang"}
    assert {"dan", "shan"} <= han_spellings("单")
    assert "zedong" in han_spellings("泽东")


def test_wade_giles_is_read_back_into_pinyin() -> None:
    syllables, wade_giles, pinyin = chinese_reading("chiang")
    assert (syllables, wade_giles) == (1, True) and "jiang" in pinyin
    assert "xi" in chinese_reading("hsi")[2]
    assert "zedong" in chinese_reading("tsetung")[2]


def test_near_miss_pinyin_and_other_words_are_not_wade_giles() -> None:
    assert chinese_reading("zhang")[1] is False
    assert chinese_reading("tina")[1] is False  # ti + na in pinyin
    assert chinese_reading("daniel") == (0, False, frozenset())


@pytest.mark.parametrize(
    ("hangul", "latin"),
    [
        ("김", "kim"),
        ("김", "gim"),
        ("민준", "minjun"),
        ("민준", "minjoon"),
        ("이", "lee"),
        ("박", "park"),
        ("정", "chung"),
    ],
)
def test_hangul_is_compared_in_its_usual_spellings_syllable_by_syllable(hangul: str, latin: str) -> None:
    assert hangul_pattern(hangul).fullmatch(latin)


@pytest.mark.parametrize(("hangul", "latin"), [("서준", "seoyun"), ("김", "lim"), ("민준", "minju")])
def test_near_miss_another_syllable_is_not_a_spelling(hangul: str, latin: str) -> None:
    assert hangul_pattern(hangul).fullmatch(latin) is None


def test_other_scripts_have_each_scheme_spelling() -> None:
    assert {"yuriy", "urij"} <= icu_spellings("Юрий", "cyrillic")
    assert {"tarou", "taro"} <= icu_spellings("たろう", "kana")
    assert "avgoustina" in icu_spellings("Αυγουστίνα", "greek")


def test_scripts_and_names_written_together() -> None:
    assert [script_of(t) for t in ("Lev", "Лев", "张", "김", "やまだ", "محمد")] == [
        "latin",
        "cyrillic",
        "han",
        "hangul",
        "kana",
        "arabic",
    ]
    assert split_written_together("毛泽东", "han") == ["毛", "泽东"]
    assert split_written_together("欧阳利", "han") == ["欧阳", "利"]  # a compound family name
    assert split_written_together("山田太郎", "han") == ["山田", "太郎"]
    assert split_written_together("Trotsky", "latin") == ["Trotsky"]


def test_one_syllable_names() -> None:
    assert is_one_syllable("zhang") and is_one_syllable("jeong") and is_one_syllable("kim")
    assert not is_one_syllable("ageloff") and not is_one_syllable("maria")
