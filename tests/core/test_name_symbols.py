"""What rigour's data knows of a name part: asked once, remembered, and asked of whichever lookup is installed."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence

import pytest

from gatewatch.core import name_symbols
from gatewatch.core.name_symbols import NOTHING, PartSymbols

_fresh = itertools.count()


def fresh_parts(count: int) -> list[str]:
    """Parts no other test has looked up (the memory is the process's)."""
    return [f"zzpart{next(_fresh)}x{i}" for i in range(count)]


class Book:
    """A lookup answering from a table it was given, keeping each batch it was asked."""

    def __init__(self, table: Mapping[str, PartSymbols]) -> None:
        self.table = table
        self.batches: list[list[str]] = []

    def __call__(self, parts: Sequence[str]) -> dict[str, PartSymbols]:
        self.batches.append(list(parts))
        return {part: self.table.get(part, NOTHING) for part in parts}


@pytest.fixture
def book() -> Iterator[Book]:
    table = {"zzmargaret": PartSymbols(frozenset({"Q1"}), frozenset({"MAGGIE"}))}
    found = Book(table)
    name_symbols.install(found)
    try:
        yield found
    finally:
        name_symbols.install(None)


def test_the_installed_lookup_answers_and_the_answer_is_remembered(book: Book) -> None:
    assert name_symbols.symbols_of("zzmargaret") == PartSymbols(frozenset({"Q1"}), frozenset({"MAGGIE"}))
    assert name_symbols.symbols_of("zzmargaret").nicknames == {"MAGGIE"}
    assert book.batches == [["zzmargaret"]]
    assert name_symbols.is_known("zzmargaret")


def test_remember_asks_for_the_unknown_parts_in_one_batch(book: Book) -> None:
    known, *unknown = fresh_parts(4)
    name_symbols.symbols_of(known)
    assert name_symbols.remember([known, *unknown, unknown[0]]) == 3
    assert book.batches[-1] == unknown
    assert all(name_symbols.is_known(p) for p in unknown)
    assert name_symbols.remember(unknown) == 0
    assert len(book.batches) == 2
    name_symbols.symbols_of(unknown[1])
    assert len(book.batches) == 2


def test_a_lookup_that_leaves_a_part_out_is_an_error_naming_it() -> None:
    name_symbols.install(lambda parts: {})
    try:
        part = fresh_parts(1)[0]
        with pytest.raises(LookupError, match=part):
            name_symbols.symbols_of(part)
        assert not name_symbols.is_known(part)
    finally:
        name_symbols.install(None)


def test_installing_none_returns_to_rigour_in_this_process(book: Book) -> None:
    assert name_symbols.installed() is book
    name_symbols.install(None)
    assert name_symbols.installed() is name_symbols.looked_up_here
