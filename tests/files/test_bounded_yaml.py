"""YAML within bounds: each bound refuses just past it, with where and what, and lets its edge through."""

from __future__ import annotations

import time

import pytest

from gatewatch.files.bounded_yaml import YamlLimits, YamlRefused, load_bounded

SMALL = YamlLimits(max_bytes=None, max_nodes=100, max_aliases=5, max_depth=4, max_text=20)


def laughs(levels: int) -> str:
    """The "billion laughs": each level is nine aliases to the level before."""
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels + 1):
        lines.append(f"l{level}: &l{level} [{','.join([f'*l{level - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


def test_the_alias_bomb_is_refused_quickly_before_any_value_is_built() -> None:
    bomb = laughs(8)
    assert len(bomb) < 600
    began = time.monotonic()
    limits = YamlLimits(max_bytes=None, max_nodes=1_000_000, max_aliases=10_000, max_depth=50, max_text=10_000)
    with pytest.raises(YamlRefused, match=r"line 7, column 5: aliases expand to more than 1,000,000 values"):
        load_bounded(bomb, limits)
    assert time.monotonic() - began < 5


def test_a_few_aliases_within_the_bound_load_as_written() -> None:
    loaded = load_bounded("a: &x [1, 2]\nb: *x\nc: *x\n", SMALL)
    assert loaded == {"a": [1, 2], "b": [1, 2], "c": [1, 2]}


def test_expanded_values_are_counted_to_the_bound_and_not_one_past() -> None:
    # the mapping (1), key a (1), the list (1) and its 3 items: 6; each alias adds the list's 4
    text = "a: &x [1, 2, 3]\n" + "".join(f"k{i}: *x\n" for i in range(4))
    limits = YamlLimits(None, max_nodes=6 + 4 * 5, max_aliases=10, max_depth=5, max_text=20)
    assert len(load_bounded(text, limits)) == 5
    tighter = YamlLimits(None, max_nodes=6 + 4 * 5 - 1, max_aliases=10, max_depth=5, max_text=20)
    with pytest.raises(YamlRefused, match="aliases expand to more than 25 values"):
        load_bounded(text, tighter)


def test_values_without_aliases_are_bounded_too() -> None:
    limits = YamlLimits(None, max_nodes=11, max_aliases=10, max_depth=5, max_text=20)
    assert load_bounded(f"[{', '.join('1' * 10)}]", limits) == [1] * 10
    with pytest.raises(YamlRefused, match="line 1, column 1: more than 11 values"):
        load_bounded(f"[{', '.join('1' * 11)}]", limits)


def test_aliases_are_counted() -> None:
    five = "a: &x 1\nb: [*x, *x, *x, *x, *x]\n"
    assert load_bounded(five, SMALL) == {"a": 1, "b": [1] * 5}
    with pytest.raises(YamlRefused, match="line 2, column 4: more than 5 aliases"):
        load_bounded(five.replace("*x]", "*x, *x]"), SMALL)


def test_a_recursive_alias_is_refused() -> None:
    with pytest.raises(YamlRefused, match="line 1, column 4: an alias refers to a node that contains it"):
        load_bounded("a: &x [1, *x]\n", SMALL)


def test_nesting_is_bounded() -> None:
    assert load_bounded("[[[1]]]", SMALL) == [[[1]]]  # four levels: three lists and the number
    with pytest.raises(YamlRefused, match="line 1, column 5: nested more than 4 levels deep"):
        load_bounded("[[[[1]]]]", SMALL)


def test_nesting_far_deeper_than_the_bound_is_refused_without_a_crash() -> None:
    with pytest.raises(YamlRefused, match=r"not valid YAML at line 1, column 1001 \(exceeded maximum nesting depth\)"):
        load_bounded("[" * 100_000 + "]" * 100_000, SMALL)


def test_a_text_is_bounded_in_characters() -> None:
    assert load_bounded("name: " + "é" * 20, SMALL) == {"name": "é" * 20}
    with pytest.raises(YamlRefused, match="line 1, column 7: a text of 21 characters \\(at most 20\\)"):
        load_bounded("name: " + "é" * 21, SMALL)


def test_a_long_key_is_a_text_like_any_other() -> None:
    with pytest.raises(YamlRefused, match="line 1, column 1: a text of 21 characters"):
        load_bounded("k" * 21 + ": 1", SMALL)


def test_text_that_is_not_yaml_says_where() -> None:
    with pytest.raises(YamlRefused, match=r"not valid YAML at line 2, column 1 \(did not find expected ',' or ']'\)"):
        load_bounded("drill: [unclosed", SMALL)


def test_an_empty_document_is_nothing() -> None:
    assert load_bounded("", SMALL) is None


def test_a_date_that_names_no_day_is_refused_with_where_it_is() -> None:
    with pytest.raises(YamlRefused, match=r"'1940-02-30' at line 3, column 13 is not a date of the calendar"):
        load_bounded("people:\n  - id: x\n    expiry: 1940-02-30\n", SMALL)


def test_near_miss_a_leap_day_is_a_date() -> None:
    assert load_bounded("expiry: 1940-02-29\n", SMALL) == {"expiry": __import__("datetime").date(1940, 2, 29)}
