"""Watchlists in the store: versions, the current one, and imports that fail whole."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from gatewatch.core.watchlist import WatchEntry
from gatewatch.store.log import EventLog
from gatewatch.store.watchlists import Watchlists

ENTRIES = (
    WatchEntry("Ramón Mercader", aliases=("Frank Jacson",), id="co-17", birth_dates=("1913-02-07",)),
    WatchEntry("José David Alfaro Siqueiros", id="co-18"),
)


def imported(book: Watchlists, name: str, entries: tuple[WatchEntry, ...], source: str = "list.jsonl") -> object:
    return book.import_version(name, entries, source=source, by="ada", at="2026-11-25T10:00:00+00:00")


def test_each_import_is_the_next_version_and_the_only_current_one(store: EventLog) -> None:
    book = Watchlists(store.engine)
    first = imported(book, "court orders", ENTRIES)
    second = imported(book, "court orders", ENTRIES[:1], source="newer.jsonl")
    assert (first.version, second.version) == (1, 2)  # type: ignore[attr-defined]
    (current,) = book.current()
    assert (current.version, current.entries, current.source) == (2, 1, "newer.jsonl")
    assert [e.id for e in book.entries(current)] == ["co-17"]
    assert [(v.version, v.current) for v in book.history("court orders")] == [(1, False), (2, True)]


def test_entries_are_kept_whole_and_filed_under_their_list(store: EventLog) -> None:
    book = Watchlists(store.engine)
    imported(book, "court orders", ENTRIES)
    (version,) = book.current()
    first = next(book.entries(version))
    assert first == WatchEntry(
        "Ramón Mercader", aliases=("Frank Jacson",), id="co-17", birth_dates=("1913-02-07",), list="court orders"
    )


def test_an_unchanged_list_imported_again_has_the_same_digest(store: EventLog) -> None:
    book = Watchlists(store.engine)
    one = imported(book, "a", ENTRIES)
    two = imported(book, "a", ENTRIES)
    other = imported(book, "a", ENTRIES[:1])
    assert one.digest == two.digest != other.digest  # type: ignore[attr-defined]


def test_an_import_that_fails_part_way_leaves_the_current_version(store: EventLog) -> None:
    book = Watchlists(store.engine)
    imported(book, "court orders", ENTRIES)

    def breaking() -> Iterator[WatchEntry]:
        yield ENTRIES[0]
        raise ValueError("line 2: not a FollowTheMoney entity")

    with pytest.raises(ValueError, match="line 2"):
        book.import_version("court orders", breaking(), source="bad.jsonl", by="ada", at="2026-11-25T11:00:00+00:00")
    (current,) = book.current()
    assert current.version == 1 and len(list(book.entries(current))) == 2


def test_a_withdrawn_list_is_no_longer_screened_but_stays_on_record(store: EventLog) -> None:
    book = Watchlists(store.engine)
    imported(book, "site", ENTRIES)
    assert book.withdraw("site")
    assert book.current() == () and len(book.history("site")) == 1
    assert not book.withdraw("site")
