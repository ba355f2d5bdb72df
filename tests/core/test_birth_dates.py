"""Dates of birth as lists write them: whole or partial, and those that cannot be true."""

from __future__ import annotations

from datetime import date

import pytest

from gatewatch.core.birth_dates import BirthSpan, birth_date_problem, impossible_beside, read_birth_date, years_before

ON = date(2025, 6, 1)


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("1913-02-07", BirthSpan(date(1913, 2, 7), date(1913, 2, 7))),
        ("2000-02", BirthSpan(date(2000, 2, 1), date(2000, 2, 29))),
        ("1999-12", BirthSpan(date(1999, 12, 1), date(1999, 12, 31))),
        (" 1913 ", BirthSpan(date(1913, 1, 1), date(1913, 12, 31))),
    ],
)
def test_a_written_date_means_a_span_of_days(text: str, span: BirthSpan) -> None:
    assert read_birth_date(text) == span


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("1990-02-30", "not a day of the calendar"),
        ("1900-02-29", "not a day of the calendar"),
        ("1990-13", "not a day of the calendar"),
        ("0000", "not a day of the calendar"),
        ("07/02/1913", "not a date (write YYYY-MM-DD, YYYY-MM or YYYY)"),
        ("193", "not a date (write YYYY-MM-DD, YYYY-MM or YYYY)"),
        ("2025-06-02", "after 2025-06-01, the reference date"),
        ("2193", "after 2025-06-01, the reference date"),
        ("0193", "more than 120 years before 2025-06-01, the reference date"),
        ("1905-05", "more than 120 years before 2025-06-01, the reference date"),
    ],
)
def test_dates_that_cannot_be_true_say_why(text: str, problem: str) -> None:
    assert birth_date_problem(text, ON) == problem


@pytest.mark.parametrize("text", ["2025-06-01", "2025", "1905-06", "1905", "2000-02-29"])
def test_dates_at_the_edges_of_what_is_possible_pass(text: str) -> None:
    assert birth_date_problem(text, ON) is None


def test_a_29th_of_february_goes_back_to_the_28th_in_a_common_year() -> None:
    assert years_before(date(2024, 2, 29), 120) == date(1904, 2, 29)
    assert years_before(date(2024, 2, 29), 121) == date(1903, 2, 28)


def test_beside_a_living_subject_only_dates_no_living_person_has_are_impossible() -> None:
    born = date(1990, 3, 1)
    assert impossible_beside("0193", born) == "more than 120 years ago"
    assert impossible_beside("2193", born) == "in the future"
    assert impossible_beside("1990-02-30", born) == "not a day of the calendar"
    assert impossible_beside("1870", born) is None  # perhaps true of someone listed long before today
    assert impossible_beside("2105", born) is None
