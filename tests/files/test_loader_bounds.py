"""Drill and site files within bounds: size, events, UTF-8; every refusal names the file and the limit."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from files.drill_texts import DRILL, laughs, many_events
from gatewatch.core.parse import build_site
from gatewatch.core.site import Site
from gatewatch.files.loader import (
    DRILL_LIMITS,
    FileError,
    drill_limits,
    drill_on_site,
    load_drill,
    load_drill_or_site,
    load_site,
    read_yaml,
    time_zone,
)
from support import SITE_YAML


@pytest.fixture
def site_file(tmp_path: Path) -> Path:
    path = tmp_path / "site.yaml"
    path.write_text(SITE_YAML, encoding="utf-8")
    return path


def test_a_file_that_is_not_utf8_names_the_file_and_the_byte_offset(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"drill: x\n# caf\xe9\n")
    with pytest.raises(FileError) as refused:
        read_yaml(path)
    assert str(refused.value) == (
        f"{path}: not UTF-8 text: byte 0xe9 at byte offset 14 (line 2) (invalid continuation byte)"
    )


def test_the_same_text_in_utf8_is_read(tmp_path: Path) -> None:
    path = tmp_path / "utf8.yaml"
    path.write_bytes("drill: x\n# café\n".encode())
    assert read_yaml(path) == {"drill": "x"}


def test_a_drill_larger_than_the_bound_is_not_read(tmp_path: Path, site_file: Path) -> None:
    path = tmp_path / "drill.yaml"
    path.write_text(DRILL, encoding="utf-8")
    size = path.stat().st_size
    assert load_drill(path, drill_limits(max_bytes=size)).id == "forced"
    with pytest.raises(FileError) as refused:
        load_drill(path, drill_limits(max_bytes=size - 1))
    assert str(refused.value) == f"{path}: file size {size:,} bytes is over the limit of {size - 1:,} bytes"


def test_a_drill_is_bounded_at_2_mib_by_default(tmp_path: Path, site_file: Path) -> None:
    path = tmp_path / "padded.yaml"
    path.write_text(DRILL + "#" * (2 * 1024 * 1024 - len(DRILL.encode())), encoding="utf-8")
    assert load_drill(path).id == "forced"
    with path.open("a", encoding="utf-8") as more:
        more.write("#")
    with pytest.raises(FileError, match=r"padded\.yaml: file size 2,097,153 bytes is over the limit of 2,097,152"):
        load_drill_or_site(path)


def test_a_site_file_is_not_bounded_in_size(site_file: Path) -> None:
    site_file.write_text(SITE_YAML + "#" * (3 * 1024 * 1024), encoding="utf-8")
    assert load_site(site_file)[0].name == "Test house"
    with pytest.raises(FileError, match="over the limit of 2,097,152 bytes"):
        load_drill_or_site(site_file)  # given as a drill, it is bounded as one


def test_a_long_site_name_is_refused_naming_the_file(site_file: Path) -> None:
    site_file.write_text(SITE_YAML.replace("Test house", "x" * 10_000_000), encoding="utf-8")
    with pytest.raises(FileError) as refused:
        load_site(site_file)
    assert str(refused.value) == f"{site_file}: line 3, column 7: a text of 10,000,000 characters (at most 10,000)"


def test_a_drill_of_more_events_than_the_bound_is_refused(tmp_path: Path, site_file: Path) -> None:
    path = tmp_path / "many.yaml"
    path.write_text(many_events(30), encoding="utf-8")
    assert len(load_drill(path, drill_limits(max_events=30)).events) == 30
    with pytest.raises(FileError) as refused:
        load_drill(path, drill_limits(max_events=29))
    assert str(refused.value) == f"{path}: field 'events': 30 events, over the limit of 29"


def test_20000_events_is_the_default_bound() -> None:
    assert DRILL_LIMITS.max_events == 20_000
    with pytest.raises(FileError, match=r"up\.yaml: field 'events': 20,001 events, over the limit of 20,000"):
        drill_on_site("up.yaml", b"drill: x\nstart: 2024-06-03T09:00\nevents: [" + b"1," * 20_001 + b"]\n", *_site())


def test_an_uploaded_alias_bomb_names_the_file_and_the_limit() -> None:
    with pytest.raises(FileError) as refused:
        drill_on_site("bomb.yaml", laughs(8).encode(), *_site())
    assert str(refused.value) == "bomb.yaml: line 9, column 5: aliases expand to more than 1,048,576 values"


def test_an_uploaded_drill_is_played_on_the_given_site_whatever_site_it_names() -> None:
    drill = drill_on_site("up.yaml", DRILL.replace("site: site.yaml", "site: /etc/elsewhere.yaml").encode(), *_site())
    assert drill.id == "forced" and drill.site.name == "Test house"


def _site() -> tuple[Site, ZoneInfo]:
    site = build_site(yaml.safe_load(SITE_YAML))
    return site, time_zone(site)
