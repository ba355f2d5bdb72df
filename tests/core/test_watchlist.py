"""Judging someone against a watchlist entry: names and aliases, documents, dates of birth."""

from __future__ import annotations

from datetime import date

from gatewatch.core.watchlist import BIRTH_DATE_PENALTY, Subject, WatchEntry, judge, screen_entries

MERCADER = WatchEntry(
    "Ramón Mercader",
    aliases=("Jacques Mornard", "Frank Jacson"),
    note="wanted",
    list="court orders",
    id="co-17",
    birth_dates=("1913-02-07",),
    documents=("JX 1940817",),
)


def test_an_alias_under_another_spelling_is_a_match_that_names_the_alias() -> None:
    found = judge(MERCADER, Subject(("Frank Jackson",)))
    assert found is not None and found.is_match
    assert (found.list, found.entry, found.alias) == ("court orders", "co-17", "Frank Jacson")
    assert found.against == "Frank Jackson"
    assert "jackson ≈ jacson (spelling)" in found.reasons[0]


def test_a_listed_document_number_is_a_match_whatever_the_name() -> None:
    found = judge(MERCADER, Subject(("Somebody Else",), documents=("jx1940817",)))
    assert found is not None and found.is_match and found.score == 1.0
    assert found.reasons[0] == "document number JX1940817 is on the entry"


def test_a_birth_date_that_agrees_is_said_and_one_that_disagrees_lowers_the_score() -> None:
    agreeing = judge(MERCADER, Subject(("Ramon Mercader",), birth_date=date(1913, 2, 7)))
    assert agreeing is not None and agreeing.score == 1.0
    assert agreeing.reasons[-1] == "born 1913-02-07, as the entry (1913-02-07)"
    other = judge(MERCADER, Subject(("Ramon Mercader",), birth_date=date(1920, 5, 1)))
    assert other is not None and other.score == 1.0 - BIRTH_DATE_PENALTY
    assert other.is_match  # a name matching this well still holds the person


def test_a_partial_birth_date_on_the_list_agrees_to_its_precision() -> None:
    entry = WatchEntry("Ramón Mercader", birth_dates=("1913",))
    found = judge(entry, Subject(("Ramon Mercader",), birth_date=date(1913, 2, 7)))
    assert found is not None and "as the entry (1913)" in found.reasons[-1]


def test_near_miss_a_relative_sharing_the_surname_is_not_a_match() -> None:
    found = judge(MERCADER, Subject(("Caridad Mercader",)))
    assert found is None or not found.is_match


def test_screen_entries_ranks_best_first_and_drops_the_unrelated() -> None:
    entries = (WatchEntry("Frank Miller", id="m"), MERCADER, WatchEntry("Natalia Sedova", id="s"))
    found = screen_entries(entries, Subject(("Frank Jacson",)))
    assert found[0].entry == "co-17"
    assert all(c.entry != "s" for c in found)


def test_a_birth_date_that_names_no_day_never_lowers_the_score() -> None:
    subject = Subject(("Ramon Mercader",), birth_date=date(1990, 2, 28))
    undated = judge(WatchEntry("Ramón Mercader"), subject)
    impossible = judge(WatchEntry("Ramón Mercader", birth_dates=("1990-02-30",)), subject)
    assert undated is not None and impossible is not None
    assert impossible.score == undated.score == 1.0 and impossible.is_match
    assert (
        impossible.reasons[-1]
        == "the entry's date of birth 1990-02-30 cannot be true (not a day of the calendar): left out"
    )


def test_stored_dates_no_living_person_has_are_left_out_and_a_true_one_still_counts() -> None:
    subject = Subject(("Ramon Mercader",), birth_date=date(1993, 4, 1))
    for impossible in ("0193", "2193-04-01", "1 April 1993", "ES"):
        found = judge(WatchEntry("Ramón Mercader", birth_dates=(impossible,)), subject)
        assert found is not None and found.score == 1.0, impossible
    both = judge(WatchEntry("Ramón Mercader", birth_dates=("0193", "1993-04")), subject)
    assert both is not None and both.reasons[-1] == "born 1993-04-01, as the entry (1993-04)"


def test_near_miss_a_plausible_date_that_disagrees_still_lowers_the_score() -> None:
    subject = Subject(("Ramon Mercader",), birth_date=date(1990, 3, 1))
    found = judge(WatchEntry("Ramón Mercader", birth_dates=("1990-02-28", "2193")), subject)
    assert found is not None and found.score == 1.0 - BIRTH_DATE_PENALTY
    assert found.reasons[-1] == "born 1990-03-01, the entry 1990-02-28: score lowered"
