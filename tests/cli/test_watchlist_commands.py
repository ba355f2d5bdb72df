"""``gatewatch watchlist import | list | withdraw | screenings`` and ``gatewatch screen``."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gatewatch.cli.main import app
from gatewatch.store.log import EventLog, database_url
from support import SITE_YAML

runner = CliRunner()

LIST = [
    {
        "id": "co-17",
        "schema": "Person",
        "properties": {"name": ["Ramón Mercader"], "alias": ["Frank Jacson"], "birthDate": ["1913-02-07"]},
    },
    {"id": "x", "schema": "Company", "properties": {"name": ["Import Business SA"]}},
]


def setup(tmp_path: Path) -> tuple[Path, Path]:
    site = tmp_path / "site.yaml"
    site.write_text(SITE_YAML, encoding="utf-8")
    listed = tmp_path / "court.jsonl"
    listed.write_text("".join(json.dumps(e) + "\n" for e in LIST), encoding="utf-8")
    data = tmp_path / "data"
    done = runner.invoke(app, ["watchlist", "import", str(listed), "--list", "court orders", "--data", str(data)])
    assert done.exit_code == 0, done.output
    assert "imported 1 entries as court orders version 1" in done.output
    assert "passed over 1 Company entities" in done.output
    return site, data


def test_import_then_screen_prints_the_candidate_records_it_and_exports_it(tmp_path: Path) -> None:
    site, data = setup(tmp_path)
    assert any((data / "watchlists").iterdir())  # the index is kept beside the record
    listed = runner.invoke(app, ["watchlist", "list", "--data", str(data)])
    assert "court orders v1 current: 1 entries" in listed.output
    screened = runner.invoke(
        app, ["screen", "Frank Jackson", "--site", str(site), "--data", str(data), "--by", "ada", "--json"]
    )
    assert screened.exit_code == 1, screened.output  # a match
    body = json.loads(screened.output)
    (best,) = body["candidates"]
    assert (best["entry"], best["alias"], body["result"]) == ("co-17", "Frank Jacson", "match")
    assert body["lists"] == [{"list": "court orders", "version": 1}]
    clear = runner.invoke(app, ["screen", "Natalia Sedova", "--site", str(site), "--data", str(data), "--by", "ada"])
    assert clear.exit_code == 0 and "clear" in clear.output
    exported = runner.invoke(app, ["watchlist", "screenings", "--data", str(data)])
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert [(r["names"], r["screened_by"], r["lists"], r["result"]) for r in rows] == [
        ("Frank Jackson", "ada", "court orders v1", "match"),
        ("Natalia Sedova", "ada", "court orders v1", "clear"),
    ]
    log = EventLog.open(database_url(data))
    assert log.verify().ok and log.head()[0] == 2
    log.close()


def test_a_birth_date_that_disagrees_is_given_as_a_reason(tmp_path: Path) -> None:
    site, data = setup(tmp_path)
    screened = runner.invoke(
        app,
        ["screen", "Ramon Mercader", "--birth-date", "1920-01-01", "--site", str(site), "--data", str(data), "--json"],
    )
    (best,) = json.loads(screened.output)["candidates"]
    assert best["reasons"][-1] == "born 1920-01-01, the entry 1913-02-07: score lowered"


def test_a_bad_file_changes_nothing_and_names_the_line(tmp_path: Path) -> None:
    _, data = setup(tmp_path)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(LIST[0]) + "\n{not json\n", encoding="utf-8")
    failed = runner.invoke(app, ["watchlist", "import", str(bad), "--list", "court orders", "--data", str(data)])
    assert failed.exit_code == 2
    assert "bad.jsonl, line 2: not a FollowTheMoney entity" in failed.output and "nothing was imported" in failed.output
    listed = runner.invoke(app, ["watchlist", "list", "--all", "--data", str(data)])
    assert "bad.jsonl" not in listed.output


def test_a_withdrawn_list_is_not_screened(tmp_path: Path) -> None:
    site, data = setup(tmp_path)
    assert runner.invoke(app, ["watchlist", "withdraw", "court orders", "--data", str(data)]).exit_code == 0
    screened = runner.invoke(app, ["screen", "Frank Jacson", "--site", str(site), "--data", str(data), "--json"])
    assert screened.exit_code == 0 and json.loads(screened.output)["lists"] == []


COURT_CSV = (
    "id,name,aliases,birth_date,nationality,documents\n"
    "co-17,Ramón Mercader,Frank Jacson,1913-02-30,es,\n"
    "sa-1,Sylvia Ageloff,,US,1910-03-15,\n"
    "dp-9,N/A,,1970,ru,\n"
)


@pytest.mark.slow  # the name matcher's and the country data's first load
def test_import_reports_what_it_set_aside_and_moved_and_screens_what_passed(tmp_path: Path) -> None:
    site = tmp_path / "site.yaml"
    site.write_text(SITE_YAML, encoding="utf-8")
    listed, report, data = tmp_path / "court.csv", tmp_path / "findings.csv", tmp_path / "data"
    listed.write_text(COURT_CSV, encoding="utf-8")
    args = ["watchlist", "import", str(listed), "--list", "court orders", "--report", str(report), "--data", str(data)]
    done = runner.invoke(app, [*args, "--published", "2024-01-15"])
    assert done.exit_code == 0, done.output
    assert "imported 2 entries as court orders version 1" in done.output
    assert "set aside 1 entries and 1 values; moved 2 values to their fields" in done.output
    assert 'line 2: co-17: birth_date "1913-02-30" set aside: not a day of the calendar' in done.output
    assert (
        'line 3: sa-1: nationality "1910-03-15" moved to birth_date: a date of birth, not a nationality' in done.output
    )
    assert 'line 4: dp-9: entry "N/A" set aside: no usable name (name "N/A": a placeholder, not a name)' in done.output
    rows = list(csv.DictReader(io.StringIO(report.read_text(encoding="utf-8"))))
    assert [(r["line"], r["entry"], r["field"], r["action"]) for r in rows] == [
        ("2", "co-17", "birth_date", "set aside"),
        ("3", "sa-1", "birth_date", "moved to nationality"),
        ("3", "sa-1", "nationality", "moved to birth_date"),
        ("4", "dp-9", "entry", "set aside"),
    ]
    screen = ["screen", "Ramon Mercader", "--birth-date", "1913-02-07", "--site", str(site), "--data", str(data)]
    (best,) = json.loads(runner.invoke(app, [*screen, "--json"]).output)["candidates"]
    assert (best["entry"], best["score"]) == ("co-17", 1.0)  # the impossible date was never stored


def test_import_refuses_a_publication_date_to_come_and_a_report_over_the_list(tmp_path: Path) -> None:
    listed = tmp_path / "court.csv"
    listed.write_text(COURT_CSV, encoding="utf-8")
    base = ["watchlist", "import", str(listed), "--list", "court orders", "--data", str(tmp_path / "data")]
    later = runner.invoke(app, [*base, "--published", "2999-01-01"])
    assert later.exit_code == 2 and "--published 2999-01-01: that is after today" in later.output
    over = runner.invoke(app, [*base, "--report", str(listed)])
    assert over.exit_code == 2 and "that is the file being imported" in over.output
    assert listed.read_text(encoding="utf-8") == COURT_CSV


@pytest.mark.parametrize(
    ("published", "said"),
    [
        ("2024-02-30", "--published 2024-02-30: not a day of the calendar"),
        ("0024-06-01", "--published 0024-06-01: before 1800; no list is that old (a mistyped year?)"),
        ("20240601", '--published "20240601": write it as YYYY-MM-DD'),
    ],
)
def test_import_names_what_is_wrong_with_a_publication_date(tmp_path: Path, published: str, said: str) -> None:
    listed = tmp_path / "court.csv"
    listed.write_text(COURT_CSV, encoding="utf-8")
    base = ["watchlist", "import", str(listed), "--list", "court orders", "--data", str(tmp_path / "data")]
    refused = runner.invoke(app, [*base, "--published", published])
    assert refused.exit_code == 2 and said in refused.output


def test_import_writes_a_report_in_which_no_cell_is_a_formula(tmp_path: Path) -> None:
    listed = tmp_path / "hostile.csv"
    listed.write_text('id,name,nationality\n=HYPERLINK("http://x"),Sylvia Ageloff,+44\n', encoding="utf-8")
    report = tmp_path / "report.csv"
    done = runner.invoke(
        app,
        ["watchlist", "import", str(listed), "--list", "l", "--data", str(tmp_path / "data"), "--report", str(report)],
    )
    assert done.exit_code == 0, done.output
    (row,) = list(csv.DictReader(io.StringIO(report.read_text(encoding="utf-8"))))
    assert (row["entry"], row["value"]) == ('\'=HYPERLINK("http://x")', "'+44")


def test_import_refuses_a_report_over_the_record(tmp_path: Path) -> None:
    """A report named inside the data directory would overwrite the database (the whole record)."""
    _, data = setup(tmp_path)
    listed = tmp_path / "court.csv"
    listed.write_text(COURT_CSV, encoding="utf-8")
    database = data / "gatewatch.db"
    with closing(sqlite3.connect(database)) as connection:  # what the import wrote, all in the file itself
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = database.read_bytes()
    base = ["watchlist", "import", str(listed), "--list", "court orders"]
    in_data = runner.invoke(app, [*base, "--data", str(data), "--report", str(database)])
    assert in_data.exit_code == 2 and "that is in the data directory" in in_data.output
    by_url = runner.invoke(app, [*base, "--db", f"sqlite:///{database}", "--report", str(database)])
    assert by_url.exit_code == 2 and "that is the database --db names" in by_url.output
    assert database.read_bytes() == before
    assert "court orders v1" in runner.invoke(app, ["watchlist", "list", "--data", str(data)]).output
