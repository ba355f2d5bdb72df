"""Checking a watchlist entry at import: values that cannot be true set aside, misplaced ones moved."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from gatewatch.core.watch_checks import SHOWN_CHARS, EntryIssue, check_entry
from gatewatch.core.watchlist import WatchEntry

ON = date(2025, 6, 1)


def test_an_entry_whose_values_all_pass_comes_back_as_it_was() -> None:
    entry = WatchEntry(
        "Ramón Mercader",
        aliases=("Jacques Mornard",),
        id="co-17",
        birth_dates=("1913-02-07", "1913"),
        nationalities=("es", "Mexico", "MEX", "Soviet Union"),
        documents=("JX 1940817",),
    )
    checked = check_entry(entry, ON)
    assert checked.entry is entry and checked.issues == ()


def test_a_date_and_a_nationality_swapped_are_each_moved_to_their_field() -> None:
    entry = WatchEntry("Sylvia Ageloff", id="sa-1", birth_dates=("US",), nationalities=("1910-03-15",))
    checked = check_entry(entry, ON)
    assert checked.entry is not None
    assert (checked.entry.birth_dates, checked.entry.nationalities) == (("1910-03-15",), ("US",))
    assert checked.issues == (
        EntryIssue("sa-1", "birth_date", "US", "a country, not a date of birth", moved_to="nationality"),
        EntryIssue("sa-1", "nationality", "1910-03-15", "a date of birth, not a nationality", moved_to="birth_date"),
    )
    assert checked.issues[1].describe() == (
        'sa-1: nationality "1910-03-15" moved to birth_date: a date of birth, not a nationality'
    )


def test_dates_of_birth_that_cannot_be_true_are_set_aside_each_with_its_reason() -> None:
    entry = WatchEntry("Ramón Mercader", id="co-17", birth_dates=("1990-02-30", "0193", "2193", "2025-07", "1993"))
    checked = check_entry(entry, ON, said="the list's date of publication")
    assert checked.entry is not None and checked.entry.birth_dates == ("1993",)
    assert [(i.field, i.value, i.moved_to, i.reason) for i in checked.issues] == [
        ("birth_date", "1990-02-30", None, "not a day of the calendar"),
        ("birth_date", "0193", None, "more than 120 years before 2025-06-01, the list's date of publication"),
        ("birth_date", "2193", None, "after 2025-06-01, the list's date of publication"),
        ("birth_date", "2025-07", None, "after 2025-06-01, the list's date of publication"),
    ]


def test_a_placeholder_name_sets_the_entry_aside_whole_with_its_reason() -> None:
    entry = WatchEntry("N/A", aliases=("unknown", "-"), id="dp-9", birth_dates=("1970",), nationalities=("ru",))
    checked = check_entry(entry, ON)
    assert checked.entry is None
    assert checked.issues == (
        EntryIssue("dp-9", "entry", "N/A", 'no usable name (name "N/A": a placeholder, not a name)'),
    )


def test_a_value_with_a_terminal_s_escape_sequences_is_described_with_them_written_out() -> None:
    """A hostile list's value is printed on the importer's terminal: it must not drive it."""
    entry = WatchEntry("Sylvia Ageloff", id="sa-\x1b]0;x\x07", nationalities=("\x1b[2J\u202eUS",))
    (issue,) = check_entry(entry, ON).issues
    assert issue.value == "\x1b[2J\u202eUS"  # kept as it was, for the report
    assert issue.describe() == (
        'sa-\\x1b]0;x\\x07: nationality "\\x1b[2J\\u202eUS" set aside: not a known country code or name'
    )
    assert not any(ch in issue.describe() for ch in "\x1b\x07\u202e")


def test_a_name_too_long_to_keep_is_cut_in_the_reason_and_the_description() -> None:
    name = "Sylvia " * 10_000
    (issue,) = check_entry(WatchEntry(name.strip(), id="sa-1"), ON).issues
    assert issue.reason.endswith(f'… ({len(name.strip())} characters)": longer than 200 characters)')
    assert len(issue.reason) < SHOWN_CHARS + 100
    assert len(issue.describe()) < 2 * SHOWN_CHARS + 150


def test_names_of_digits_or_no_letters_or_one_letter_leave_no_usable_name() -> None:
    for name, why in [("12345", "digits only"), ("?? !!", "a placeholder"), ("X", "a single letter"), ("", "")]:
        checked = check_entry(WatchEntry(name), ON)
        assert checked.entry is None and len(checked.issues) == 1, name
        assert why in checked.issues[0].reason


def test_a_passport_number_as_the_name_is_moved_and_the_first_alias_named() -> None:
    entry = WatchEntry("JX1940817", aliases=("N/A", "Frank Jacson", "Jacques Mornard"), id="co-17")
    checked = check_entry(entry, ON)
    assert checked.entry == WatchEntry(
        "Frank Jacson", aliases=("Jacques Mornard",), id="co-17", documents=("JX1940817",)
    )
    assert [i.describe() for i in checked.issues] == [
        'co-17: name "JX1940817" moved to document: a document number, not a name',
        'co-17: alias "N/A" set aside: a placeholder, not a name',
        'co-17: alias "Frank Jacson" moved to name: the name "JX1940817" was moved to document',
    ]


def test_nationalities_and_documents_that_are_nothing_of_the_kind_are_set_aside() -> None:
    entry = WatchEntry(
        "Natalia Sedova",
        id="ns",
        nationalities=("zz", "Atlantis", "n/a", "AB123456", "1990-02-30"),
        documents=("none", "000000", "PASSPORT", "12", "1882-04-05", "RUS", "4510 123456"),
    )
    checked = check_entry(entry, ON)
    assert checked.entry is not None
    assert checked.entry.documents == ("AB123456", "4510 123456")  # moved ones first: nationalities come first
    assert checked.entry.birth_dates == ()
    assert checked.entry.nationalities == ("RUS",)
    assert {(i.value, i.action) for i in checked.issues} == {
        ("zz", "set aside"),
        ("Atlantis", "set aside"),
        ("n/a", "set aside"),
        ("AB123456", "moved to document"),
        ("1990-02-30", "set aside"),
        ("none", "set aside"),
        ("000000", "set aside"),
        ("PASSPORT", "set aside"),
        ("12", "set aside"),
        ("1882-04-05", "set aside"),  # as a date of birth, more than 120 years before
        ("RUS", "moved to nationality"),
    }


def test_near_miss_names_with_a_digit_and_short_real_names_are_kept() -> None:
    entry = WatchEntry("Ng Li", aliases=("Louis XVI", "Wu", "John Smith 2"), nationalities=("German",))
    checked = check_entry(entry, ON)
    assert checked.entry is entry and checked.issues == ()


TRICKY = st.sampled_from(
    [
        "Ramón Mercader",
        "N/A",
        "-",
        "12345",
        "JX1940817",
        "1990-02-30",
        "1913-02-07",
        "1913",
        "0193",
        "2193",
        "es",
        "Spain",
        "zz",
        "000000",
        "4510 123456",
        "X",
        "",
        " ",
    ]
)
VALUES = st.one_of(TRICKY, st.text(max_size=12))


@settings(max_examples=150, deadline=None)
@given(
    name=VALUES,
    aliases=st.lists(VALUES, max_size=3),
    birth_dates=st.lists(VALUES, max_size=3),
    nationalities=st.lists(VALUES, max_size=3),
    documents=st.lists(VALUES, max_size=3),
)
def test_nothing_is_lost_unreported_and_what_is_kept_passes_again(
    name: str, aliases: list[str], birth_dates: list[str], nationalities: list[str], documents: list[str]
) -> None:
    entry = WatchEntry(
        name, tuple(aliases), None, "list", "e1", tuple(birth_dates), tuple(nationalities), tuple(documents)
    )
    checked = check_entry(entry, ON)
    if checked.entry is None:
        assert [i.field for i in checked.issues] == ["entry"]
        return
    kept = checked.entry
    assert check_entry(kept, ON).issues == ()  # every value kept or moved passes where it now is
    everywhere = {kept.name, *kept.aliases, *kept.birth_dates, *kept.nationalities, *kept.documents}
    reported = {i.value for i in checked.issues}
    originals = [name, *aliases, *birth_dates, *nationalities, *documents]
    assert all(v.strip() in everywhere or v in reported for v in originals if v.strip())
