"""Acceptance: the shared drills (when ``../shared`` is beside the project) and the project's
own examples pass every check."""

from __future__ import annotations

from pathlib import Path

import pytest

from gatewatch.core.drill import play
from gatewatch.files.loader import is_site_file, load_drill, read_yaml

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "drills"
EXAMPLES = ROOT / "examples"


def drill_files(folder: Path, pattern: str = "**/*.yaml") -> list[Path]:
    return sorted(p for p in folder.glob(pattern) if not is_site_file(read_yaml(p)))


def _ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


SHARED_DRILLS = [*drill_files(SHARED, "*.yaml"), *drill_files(SHARED, "readers/*.yaml")] if SHARED.is_dir() else []
"""The contract's first version, and its readers, credentials and devices (version 2, ``readers/``)."""
EXAMPLE_DRILLS = drill_files(EXAMPLES)


@pytest.mark.skipif(not SHARED_DRILLS, reason="../shared/drills is not beside the project")
@pytest.mark.parametrize("path", SHARED_DRILLS, ids=_ids(SHARED_DRILLS))
def test_shared_drill_passes(path: Path) -> None:
    result = play(load_drill(path))
    assert [c.detail for c in result.checks if not c.met] == []


@pytest.mark.parametrize("path", EXAMPLE_DRILLS, ids=_ids(EXAMPLE_DRILLS))
def test_example_drill_passes(path: Path) -> None:
    result = play(load_drill(path))
    assert result.checks, "an example without checks proves nothing"
    assert [c.detail for c in result.checks if not c.met] == []


def test_the_examples_are_there() -> None:
    names = {p.name for p in EXAMPLE_DRILLS}
    assert "ordinary-day.yaml" in names
    assert len(names) >= 3
