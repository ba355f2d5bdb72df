"""``gatewatch names compare``: two names, or a CSV of pairs, with the score, decision and why."""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner

from gatewatch.cli.main import app

runner = CliRunner()


def test_two_names_give_score_decision_and_explanation() -> None:
    result = runner.invoke(app, ["names", "compare", "Natalia Sedova", "SEDOVA, Natalya"])
    assert result.exit_code == 0, result.output
    assert "match: natalia ≈ natalya (known variant); sedova = sedova" in result.output


def test_short_given_names_are_the_same_person() -> None:
    for left, right in (("Jon Smith", "John Smith"), ("Ann Lee", "Anne Lee")):
        result = runner.invoke(app, ["names", "compare", left, right])
        assert " match:" in result.output, result.output


def test_two_names_of_one_man_are_not_matched_by_spelling() -> None:
    result = runner.invoke(app, ["names", "compare", "Frank Jacson", "Jacques Mornard"])
    assert result.exit_code == 0 and "0.00 no match" in result.output


def test_a_csv_of_pairs_comes_back_with_three_columns_added(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "name1,name2,note\nЛев Троцкий,Lev Trotsky,script\nFrank Jacson,Jacques Mornard,alias\n"
        "President Lopez,Andres Manuel Lopez,title\n=cmd(),Ivan Petrov,hostile\n",
        "utf-8",
    )
    out = tmp_path / "scored.csv"
    result = runner.invoke(app, ["names", "compare", "--pairs", str(pairs), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["note"] for r in rows] == ["script", "alias", "title", "hostile"]
    assert [r["match"] for r in rows] == ["match", "no", "weak", "no"]
    assert rows[3]["name1"] == "'=cmd()"  # a spreadsheet shows it and never runs it
    assert rows[0]["explanation"] == "лев = lev; троцкий = trotsky"


def test_a_title_with_a_surname_alone_is_weak_worth_a_look() -> None:
    result = runner.invoke(app, ["names", "compare", "President Lopez", "Andres Manuel Lopez"])
    assert result.exit_code == 0 and "weak: worth a look" in result.output, result.output


def test_a_csv_without_the_columns_is_refused_by_name(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("first,second\nA,B\n", "utf-8")
    result = runner.invoke(app, ["names", "compare", "--pairs", str(pairs)])
    assert result.exit_code == 2 and "missing column name1, name2" in result.output


def test_one_name_alone_is_an_error() -> None:
    result = runner.invoke(app, ["names", "compare", "Frank Jacson"])
    assert result.exit_code == 2 and "give two names" in result.output
