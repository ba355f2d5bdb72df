"""``gatewatch drill`` on files beyond a drill's bounds: a clear error naming the file, never a
traceback or a hang; the flags allow a larger drill."""

from __future__ import annotations

import time
from pathlib import Path

from typer.testing import CliRunner

from files.drill_texts import DRILL, laughs, many_events
from gatewatch.cli.main import app
from support import SITE_YAML

runner = CliRunner()


def written(tmp: Path, drill: str | bytes, name: str = "drill.yaml", site: str = SITE_YAML) -> Path:
    (tmp / "site.yaml").write_text(site, encoding="utf-8")
    path = tmp / name
    if isinstance(drill, bytes):
        path.write_bytes(drill)
    else:
        path.write_text(drill, encoding="utf-8")
    return path


def test_invalid_utf8_is_a_clear_error_naming_the_file_and_byte_offset(tmp_path: Path) -> None:
    path = written(tmp_path, DRILL.encode().replace(b"forced", b"forc\xe9d", 1))
    result = runner.invoke(app, ["drill", str(path)])
    assert result.exit_code == 2 and result.exception is not None  # typer.Exit, not a traceback
    assert f"{path}: not UTF-8 text: byte 0xe9 at byte offset 11 (line 1)" in " ".join(result.output.split())


def test_a_10_mb_site_name_is_refused_at_once(tmp_path: Path) -> None:
    path = written(tmp_path, DRILL, site=SITE_YAML.replace("Test house", "x" * 10_000_000))
    began = time.monotonic()
    result = runner.invoke(app, ["drill", str(path)])
    assert result.exit_code == 2
    assert "site.yaml: line 3, column 7: a text of 10,000,000 characters (at most 10,000)" in " ".join(
        result.output.split()
    )
    assert time.monotonic() - began < 60


def test_the_same_site_with_its_own_name_passes(tmp_path: Path) -> None:
    result = runner.invoke(app, ["drill", str(written(tmp_path, DRILL))])
    assert result.exit_code == 0 and "PASSED forced" in result.output


def test_an_alias_bomb_is_refused_naming_the_limit(tmp_path: Path) -> None:
    result = runner.invoke(app, ["drill", str(written(tmp_path, laughs(9), "bomb.yaml"))])
    assert result.exit_code == 2
    assert "bomb.yaml: line 9, column 5: aliases expand to more than 1,048,576 values" in " ".join(
        result.output.split()
    )


def test_a_drill_over_2_mib_is_refused_unless_allowed(tmp_path: Path) -> None:
    padded = DRILL + "#" * (2 * 1024 * 1024 + 1 - len(DRILL))
    path = written(tmp_path, padded, "padded.yaml")
    refused = runner.invoke(app, ["drill", str(path)])
    assert refused.exit_code == 2
    assert "padded.yaml: file size 2,097,153 bytes is over the limit of 2,097,152 bytes" in " ".join(
        refused.output.split()
    )
    allowed = runner.invoke(app, ["drill", "--max-bytes", str(3 * 1024 * 1024), str(path)])
    assert allowed.exit_code == 0 and "PASSED forced" in allowed.output


def test_more_events_than_allowed_are_refused_and_the_flag_allows_them(tmp_path: Path) -> None:
    path = written(tmp_path, many_events(40), "many.yaml")
    refused = runner.invoke(app, ["drill", "--max-events", "39", str(path)])
    assert refused.exit_code == 2
    assert "many.yaml: field 'events': 40 events, over the limit of 39" in " ".join(refused.output.split())
    assert runner.invoke(app, ["drill", "--max-events", "40", str(path)]).exit_code == 0
