"""Reading watchlist files: FollowTheMoney JSON lines and CSV, and errors that name the line."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from gatewatch.core.watchlist import WatchEntry
from gatewatch.files.watchlist_files import (
    FIRST_KEPT,
    Finding,
    Reading,
    WatchlistFileError,
    guess_format,
    read_entries,
    write_report,
)

ON = date(2025, 6, 1)

PERSON = {
    "id": "NK-1",
    "schema": "Person",
    "properties": {
        "name": ["Ramón Mercader", "Ramon Mercader del Río"],
        "alias": ["Jacques Mornard"],
        "weakAlias": ["Frank Jacson"],
        "birthDate": ["1913-02-07"],
        "nationality": ["es"],
        "passportNumber": ["JX1940817"],
        "topics": ["crime"],
    },
}


def read(path: Path) -> tuple[list[WatchEntry], Reading]:
    reading = Reading(path, ON)
    return list(read_entries(path, guess_format(path), reading)), reading


def test_a_followthemoney_person_becomes_an_entry(tmp_path: Path) -> None:
    path = tmp_path / "list.jsonl"
    company = {"id": "c1", "schema": "Company", "properties": {"name": ["Import Business SA"]}}
    path.write_text(f"{json.dumps(PERSON)}\n\n{json.dumps(company)}\n", encoding="utf-8")
    entries, reading = read(path)
    assert entries == [
        WatchEntry(
            "Ramón Mercader",
            aliases=("Ramon Mercader del Río", "Jacques Mornard", "Frank Jacson"),
            note="crime",
            id="NK-1",
            birth_dates=("1913-02-07",),
            nationalities=("es",),
            documents=("JX1940817",),
        )
    ]
    assert reading.passed_over == {"Company entities (only Person is screened)": 1}


def test_a_line_that_is_not_an_entity_is_named(tmp_path: Path) -> None:
    path = tmp_path / "list.jsonl"
    path.write_text(f'{json.dumps(PERSON)}\n{{"schema": "Person", "properties": \n', encoding="utf-8")
    with pytest.raises(WatchlistFileError, match=r"list.jsonl, line 2: not a FollowTheMoney entity"):
        read(path)


def test_a_csv_with_aliases_and_a_quoted_field_over_two_lines(tmp_path: Path) -> None:
    path = tmp_path / "site.csv"
    path.write_text(
        "name,aliases,birth_date,documents,note\nRamón Mercader,Jacques Mornard; Frank Jacson,1913-02-07,JX1940817,"
        '"seen at the gate,\nasking for the secretaries"\nSylvia Ageloff,,,,\n',
        encoding="utf-8",
    )
    entries, _ = read(path)
    assert entries[0].aliases == ("Jacques Mornard", "Frank Jacson")
    assert entries[0].note == "seen at the gate,\nasking for the secretaries"
    assert entries[1] == WatchEntry("Sylvia Ageloff")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("alias,note\nX,Y\n", "line 1: the header has no 'name' column"),
        ("name,nickname\nX,Y\n", "line 1: unknown column 'nickname'"),
        ("name,note\nX\n", "line 2: 1 fields where the header has 2"),
    ],
)
def test_csv_errors_name_the_line(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WatchlistFileError, match=problem):
        read(path)


def test_every_entry_is_checked_and_what_was_set_aside_or_moved_is_counted_by_line(tmp_path: Path) -> None:
    path = tmp_path / "court.csv"
    path.write_text(
        "id,name,birth_date,nationality\n"
        "co-17,Ramón Mercader,1913-02-30,es\n"
        "sa-1,Sylvia Ageloff,US,1910-03-15\n"
        "dp-9,N/A,1970,ru\n"
        ",,1970,ru\n",
        encoding="utf-8",
    )
    found: list[Finding] = []
    reading = Reading(path, ON, sink=found.append)
    entries = list(read_entries(path, "csv", reading))
    assert [e.key for e in entries] == ["co-17", "sa-1"]
    assert entries[0].birth_dates == () and entries[1].birth_dates == ("1910-03-15",)
    assert (reading.entries_set_aside, reading.values_set_aside, reading.values_moved) == (2, 1, 2)
    assert [f.describe() for f in found] == [
        'line 2: co-17: birth_date "1913-02-30" set aside: not a day of the calendar',
        'line 3: sa-1: birth_date "US" moved to nationality: a country, not a date of birth',
        'line 3: sa-1: nationality "1910-03-15" moved to birth_date: a date of birth, not a nationality',
        'line 4: dp-9: entry "N/A" set aside: no usable name (name "N/A": a placeholder, not a name)',
        'line 5: (unnamed entry): entry "" set aside: no name',
    ]
    assert reading.first == found


def test_a_followthemoney_person_without_a_name_is_set_aside_by_its_id(tmp_path: Path) -> None:
    path = tmp_path / "list.jsonl"
    nameless = {"id": "NK-2", "schema": "Person", "properties": {"birthDate": ["1970"]}}
    path.write_text(f"{json.dumps(PERSON)}\n{json.dumps(nameless)}\n", encoding="utf-8")
    entries, reading = read(path)
    assert [e.key for e in entries] == ["NK-1"]
    assert [f.describe() for f in reading.first] == ['line 2: NK-2: entry "" set aside: no name']


def test_a_reading_keeps_the_first_findings_and_counts_them_all(tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    rows = "".join(f"Person Number{chr(65 + i % 26)},0193\n" for i in range(FIRST_KEPT + 5))
    path.write_text("name,birth_date\n" + rows, encoding="utf-8")
    entries, reading = read(path)
    assert len(entries) == FIRST_KEPT + 5
    assert reading.values_set_aside == FIRST_KEPT + 5 and len(reading.first) == FIRST_KEPT


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_the_report_holds_every_finding(tmp_path: Path, suffix: str) -> None:
    source = tmp_path / "court.csv"
    source.write_text("id,name,nationality\nsa-1,Sylvia Ageloff,1910-03-15\ndp-9,unknown,\n", encoding="utf-8")
    report = tmp_path / f"report{suffix}"
    with write_report(report) as sink:
        list(read_entries(source, "csv", Reading(source, ON, sink=sink)))
    text = report.read_text(encoding="utf-8")
    rows = (
        [json.loads(line) for line in text.splitlines()]
        if suffix == ".jsonl"
        else list(csv.DictReader(text.splitlines()))
    )
    assert [(str(r["line"]), r["entry"], r["field"], r["value"], r["action"]) for r in rows] == [
        ("2", "sa-1", "nationality", "1910-03-15", "moved to birth_date"),
        ("3", "dp-9", "entry", "unknown", "set aside"),
    ]
    assert rows[1]["reason"] == 'no usable name (name "unknown": a placeholder, not a name)'


def _csv_report(tmp_path: Path, source_text: str) -> list[dict[str, str]]:
    source = tmp_path / "hostile.csv"
    source.write_text(source_text, encoding="utf-8")
    report = tmp_path / "report.csv"
    with write_report(report) as sink:
        list(read_entries(source, "csv", Reading(source, ON, sink=sink)))
    return list(csv.DictReader(report.read_text(encoding="utf-8").splitlines()))


def test_a_csv_report_never_hands_a_spreadsheet_a_formula(tmp_path: Path) -> None:
    """A hostile list's id, values and names come back in the report; none may run when opened."""
    rows = _csv_report(
        tmp_path,
        'id,name,nationality,documents\n=HYPERLINK("http://x"),Sylvia Ageloff,+44,-2+3\n@SUM(1),=1+1,,\n',
    )
    assert [(r["entry"], r["field"], r["value"]) for r in rows] == [
        ('\'=HYPERLINK("http://x")', "nationality", "'+44"),
        ('\'=HYPERLINK("http://x")', "document", "'-2+3"),
        ("'@SUM(1)", "entry", "'=1+1"),
    ]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())


def test_near_miss_a_json_lines_report_keeps_values_as_they_were(tmp_path: Path) -> None:
    source = tmp_path / "hostile.csv"
    source.write_text("id,name,nationality\n=cmd(),Sylvia Ageloff,+44\n", encoding="utf-8")
    report = tmp_path / "report.jsonl"
    with write_report(report) as sink:
        list(read_entries(source, "csv", Reading(source, ON, sink=sink)))
    (row,) = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert (row["entry"], row["value"]) == ("=cmd()", "+44")


def test_a_csv_field_too_long_to_read_is_an_error_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(f'name,note\nSylvia Ageloff,x\n"{"A" * (csv.field_size_limit() + 1)}",x\n', encoding="utf-8")
    with pytest.raises(
        WatchlistFileError, match=r"long.csv, line 3: not readable as CSV \(field larger than field limit"
    ):
        read(path)


def test_a_followthemoney_value_that_is_not_text_makes_the_line_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "list.jsonl"
    person = {"id": "p2", "schema": "Person", "properties": {"name": ["Sylvia Ageloff", {"a": 1}]}}
    path.write_text(f"{json.dumps(PERSON)}\n{json.dumps(person)}\n", encoding="utf-8")
    with pytest.raises(
        WatchlistFileError,
        match=r"line 2: not a FollowTheMoney entity \(Expected `int \| float \| str \| null`, got `object`",
    ):
        read(path)


def test_near_miss_followthemoney_numbers_are_read_as_text_and_nulls_as_nothing(tmp_path: Path) -> None:
    path = tmp_path / "list.jsonl"
    person = {"id": "p3", "schema": "Person", "properties": {"name": [None, "Sylvia Ageloff"], "idNumber": [19401234]}}
    path.write_text(f"{json.dumps(person)}\n", encoding="utf-8")
    entries, reading = read(path)
    assert entries == [WatchEntry("Sylvia Ageloff", id="p3", documents=("19401234",))]
    assert reading.findings == 0
