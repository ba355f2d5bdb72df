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
