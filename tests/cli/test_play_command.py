"""``gatewatch log play``: a drill's events recorded through the desk, once each, up to ``--until``."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from gatewatch.cli.main import app
from gatewatch.store.log import EventLog, database_url

runner = CliRunner()
EXAMPLES = Path(__file__).parents[2] / "examples" / "coyoacan"
DRILL = str(EXAMPLES / "1940-08-20-long-approach.yaml")
SITE = str(EXAMPLES / "site.yaml")


def recorded(data: Path) -> list[tuple[str, str]]:
    store = EventLog.open(database_url(data))
    try:
        return [(entry.event_id, entry.type) for entry in store.entries()]
    finally:
        store.close()


def test_play_records_the_drill_up_to_until_and_never_twice(tmp_path: Path) -> None:
    first = runner.invoke(app, ["log", "play", DRILL, "--site", SITE, "--data", str(tmp_path), "--until", "q2"])
    assert first.exit_code == 0, first.output
    entries = recorded(tmp_path)
    ids = [event_id for event_id, _ in entries]
    assert entries[0][1] == "register"  # the drill's own people come first
    assert ids[-1] == "q2" and "z1" not in ids
    again = runner.invoke(app, ["log", "play", DRILL, "--site", SITE, "--data", str(tmp_path), "--until", "q2"])
    assert again.exit_code == 0, again.output
    assert f"0 of {len(entries)} events recorded" in again.output
    assert recorded(tmp_path) == entries
    verified = runner.invoke(app, ["log", "verify", "--data", str(tmp_path)])
    assert verified.exit_code == 0, verified.output


def test_play_names_an_unknown_until(tmp_path: Path) -> None:
    result = runner.invoke(app, ["log", "play", DRILL, "--site", SITE, "--data", str(tmp_path), "--until", "nope"])
    assert result.exit_code == 2
    assert '--until "nope": the drill has no event with that id' in result.output
    assert recorded(tmp_path) == []
