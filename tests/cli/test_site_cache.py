"""A site file is parsed once per content and kept as MessagePack in the data directory."""

from __future__ import annotations

from pathlib import Path

from gatewatch.files.loader import load_site
from support import SITE_YAML


def test_the_cached_site_is_the_same_site(tmp_path: Path) -> None:
    path = tmp_path / "site.yaml"
    path.write_text(SITE_YAML, encoding="utf-8")
    first, _ = load_site(path, tmp_path / "data")
    assert len(list((tmp_path / "data").glob("site-*.msgpack"))) == 1
    again, _ = load_site(path, tmp_path / "data")
    assert again == first == load_site(path)[0]


def test_an_edited_file_is_parsed_again(tmp_path: Path) -> None:
    path = tmp_path / "site.yaml"
    path.write_text(SITE_YAML, encoding="utf-8")
    load_site(path, tmp_path)
    path.write_text(SITE_YAML.replace("name: Test house", "name: Other house"), encoding="utf-8")
    assert load_site(path, tmp_path)[0].name == "Other house"


def test_a_damaged_cache_is_parsed_over(tmp_path: Path) -> None:
    path = tmp_path / "site.yaml"
    path.write_text(SITE_YAML, encoding="utf-8")
    load_site(path, tmp_path)
    for kept in tmp_path.glob("site-*.msgpack"):
        kept.write_bytes(b"\xc1 not msgpack")
    assert load_site(path, tmp_path)[0].name == "Test house"
    for kept in tmp_path.glob("site-*.msgpack"):
        kept.write_bytes(b"\x07")  # valid MessagePack, but no site
    assert load_site(path, tmp_path)[0].name == "Test house"
