"""Reading watchlist files: FollowTheMoney JSON lines and CSV, and errors that name the line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gatewatch.core.watchlist import WatchEntry
from gatewatch.files.watchlist_files import Reading, WatchlistFileError, guess_format, read_entries

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
    reading = Reading(path)
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
        ("name,note\n,why\n", "line 2: the name is empty"),
    ],
)
def test_csv_errors_name_the_line(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WatchlistFileError, match=problem):
        read(path)
