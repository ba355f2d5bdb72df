"""``gatewatch drill``: exit status, errors that name the file, event and field, and JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gatewatch.cli.main import app

SITE = """
site: tiny
timezone: Europe/Paris
night: {from: "22:00", to: "06:00"}
zones:
  - {id: street, level: 0}
  - {id: hall, level: 1}
  - {id: salon, level: 3}
doors:
  - {id: front, between: [street, hall], controlled_by: desk}
  - {id: inner, between: [hall, salon]}
posts:
  - {id: desk, zone: hall, staff: 1, staff_at_night: 2}
people:
  - {id: host, name: Hélène Hôte, role: resident, in: salon}
  - {id: g, name: Georges Garde, role: guard, lead: true}
"""

DRILL = """
drill: tiny-visit
site: tiny.site.yaml
start: 2025-03-01T10:00
events:
  - {id: e1, at: "10:00", type: post, post: desk, on_duty: [g]}
  - {id: e2, at: "10:05", type: invite, by: host, person: ann}
  - {id: e3, at: "10:30", type: arrive, people: [ann], door: front}
  - {id: e4, at: "10:30", type: request, door: front, by: g, for: [ann]}
expect:
  - {event: e4, decision: grant, quiet: true}
"""

runner = CliRunner()


def write(tmp: Path, drill: str = DRILL, site: str = SITE) -> Path:
    (tmp / "tiny.site.yaml").write_text(site, encoding="utf-8")
    path = tmp / "tiny.yaml"
    path.write_text(drill, encoding="utf-8")
    return path


def test_a_passing_drill_exits_0_with_a_verdict(tmp_path: Path) -> None:
    result = runner.invoke(app, ["drill", str(write(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "PASSED tiny-visit" in result.output


def test_an_unmet_check_exits_1(tmp_path: Path) -> None:
    drill = DRILL.replace("decision: grant", "decision: deny")
    result = runner.invoke(app, ["drill", str(write(tmp_path, drill))])
    assert result.exit_code == 1
    assert "FAILED tiny-visit" in result.output


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("door: front, by", "door: frnt, by"),
            ["event e4", "field 'door'", 'unknown door "frnt"', 'did you mean "front"?'],
        ),
        (("type: request", "type: reqest"), ["event e4", 'unknown event type "reqest"', 'did you mean "request"?']),
        (("for: [ann]}", "for: [ann], fro: x}"), ["event e4", 'unknown field "fro"']),
        (('at: "10:30", type: request', "at: 10:30, type: request"), ["event e4", "quoted", 'at: "10:30"']),
        (('at: "10:30", type: request', 'at: "10:20", type: request'), ["event e4", "time goes backwards"]),
        (("{event: e4,", "{event: e44,"), ["expect[0]", 'unknown event "e44"', 'did you mean "e4"?']),
    ],
)
def test_an_invalid_drill_exits_2_naming_file_event_and_field(
    tmp_path: Path, change: tuple[str, str], expected: list[str]
) -> None:
    drill = DRILL.replace(*change)
    assert drill != DRILL
    path = write(tmp_path, drill)
    result = runner.invoke(app, ["drill", str(path)])
    assert result.exit_code == 2
    for words in [str(path), *expected]:
        assert words in result.stderr


def test_an_invalid_site_names_the_site_file(tmp_path: Path) -> None:
    path = write(tmp_path, site=SITE.replace("controlled_by: desk", "controlled_by: dsk"))
    result = runner.invoke(app, ["drill", str(path)])
    assert result.exit_code == 2
    assert "tiny.site.yaml" in result.stderr
    assert 'unknown post "dsk", did you mean "desk"?' in result.stderr


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, DRILL + "  - {event: e4, quiet: [\n")
    result = runner.invoke(app, ["drill", str(path)])
    assert result.exit_code == 2
    assert "not valid YAML" in result.stderr and "line" in result.stderr


def test_a_site_file_among_drills_is_checked_not_played(tmp_path: Path) -> None:
    path = write(tmp_path)
    result = runner.invoke(app, ["drill", str(tmp_path / "tiny.site.yaml"), str(path)])
    assert result.exit_code == 0, result.output
    assert "a site file" in result.stderr


def test_json_output_has_the_contract_shape(tmp_path: Path) -> None:
    result = runner.invoke(app, ["drill", "--json", str(write(tmp_path))])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) == {"passed", "drills"} and data["passed"] is True
    (drill,) = data["drills"]
    assert set(drill) == {"drill", "file", "passed", "steps", "expectations"}
    assert [s["event"] for s in drill["steps"]] == ["e1", "e2", "e3", "e4"]
    for step in drill["steps"]:
        assert set(step) == {"event", "type", "at", "decision", "reasons", "alerts"}
    assert drill["steps"][0]["decision"] is None
    assert drill["steps"][3]["decision"] == "grant"
    assert drill["steps"][3]["at"] == "2025-03-01T10:30:00+01:00"
    (expectation,) = drill["expectations"]
    assert set(expectation) == {"expect", "met", "detail"}
    assert expectation["expect"] == {"event": "e4", "decision": "grant", "quiet": True}


def test_json_alerts_carry_code_severity_subjects_and_message(tmp_path: Path) -> None:
    more = """
  - {id: e5, at: "10:31", type: open, door: front, by: g}
  - {id: e6, at: "10:32", type: close, door: front}
  - {id: e7, at: "10:33", type: open, door: front, by: g}
expect:"""
    drill = DRILL.replace("\nexpect:", more)
    result = runner.invoke(app, ["drill", "--json", str(write(tmp_path, drill))])
    steps = json.loads(result.stdout)["drills"][0]["steps"]
    (alert,) = steps[-1]["alerts"]
    assert alert["code"] == "DOOR_FORCED" and alert["severity"] == "critical"
    assert alert["subjects"] == ["g", "front"]
    assert "Georges Garde" in alert["message"]


@pytest.mark.slow
def test_the_installed_command_runs(tmp_path: Path) -> None:
    command = Path(sys.executable).parent / "gatewatch"
    done = subprocess.run([str(command), "drill", str(write(tmp_path))], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_a_drill_watchlist_takes_dates_of_birth_as_yaml_writes_them(tmp_path: Path) -> None:
    drill = """
drill: dated
site: tiny.site.yaml
start: 2024-06-03T09:00
watchlist:
  - {name: Ramón Mercader, birth_dates: [1913-02-07, 1914], id: co-17, list: court orders}
events:
  - {id: i1, at: "09:00", type: identify, person: v, name: Ramon Mercader, birth_date: 1913-02-07}
expect:
  - {event: i1, alert: WATCHLIST_MATCH}
"""
    result = runner.invoke(app, ["drill", "--json", str(write(tmp_path, drill))])
    assert result.exit_code == 0, result.output
    (alert,) = json.loads(result.output)["drills"][0]["steps"][0]["alerts"]
    assert "born 1913-02-07, as the entry (1913-02-07)" in alert["message"]
