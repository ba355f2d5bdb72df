"""Load site and drill files: YAML in, checked core objects out, errors naming the file."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec
import yaml

from gatewatch.core.drill import Drill, build_drill
from gatewatch.core.errors import InvalidInput
from gatewatch.core.parse import build_site
from gatewatch.core.site import Site

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FileError(Exception):
    """A file that cannot be used, with the file's name and what is wrong in it."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


def read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise FileError(path, error.strerror or str(error)) from None
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise FileError(path, f"{where}not valid YAML ({problem})") from None


def read_yaml_cached(path: Path, cache: Path) -> Any:
    """YAML parsed once per content: kept as MessagePack under the SHA-256 of the file's bytes.

    A site of 20,000 people takes seconds to parse as YAML and milliseconds as MessagePack. The
    cache is used only for content it reproduces exactly (the file is parsed as usual otherwise);
    a damaged cache file is parsed over.
    """
    try:
        content = path.read_bytes()
    except OSError as error:
        raise FileError(path, error.strerror or str(error)) from None
    kept = cache / f"site-{hashlib.sha256(content).hexdigest()}.msgpack"
    if kept.exists():
        try:
            decoded = msgspec.msgpack.decode(kept.read_bytes())
        except (OSError, msgspec.DecodeError):
            decoded = None
        if isinstance(decoded, dict):
            return decoded
    raw = read_yaml(path)
    packed = msgspec.msgpack.encode(raw)
    if msgspec.msgpack.decode(packed) == raw:
        cache.mkdir(parents=True, exist_ok=True)
        partial = kept.with_suffix(".partial")
        partial.write_bytes(packed)
        partial.replace(kept)
    return raw


def time_zone(site: Site) -> ZoneInfo:
    try:
        return ZoneInfo(site.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f'unknown time zone "{site.timezone}" (an IANA name such as Europe/Paris)', field="timezone"
        ) from None


def load_site(path: Path, cache: Path | None = None) -> tuple[Site, ZoneInfo]:
    """The checked site; with a ``cache`` folder, a large site file is parsed once, not at every start."""
    raw = read_yaml(path) if cache is None else read_yaml_cached(path, cache)
    try:
        site = build_site(raw)
        return site, time_zone(site)
    except InvalidInput as error:
        raise FileError(path, error.describe()) from None


def is_site_file(raw: object) -> bool:
    """A site file among drill files (``drills/*.yaml`` matches both): zones and no drill."""
    return isinstance(raw, Mapping) and "zones" in raw and "drill" not in raw


def load_drill_or_site(path: Path) -> Drill | Site:
    """A drill, or, for a site file given among drills, the checked site."""
    raw = read_yaml(path)
    if is_site_file(raw):
        try:
            site = build_site(raw)
            time_zone(site)
            return site
        except InvalidInput as error:
            raise FileError(path, error.describe()) from None
    return _drill(path, raw)


def load_drill(path: Path) -> Drill:
    """A drill file, with its site (a path relative to the drill, or inline)."""
    return _drill(path, read_yaml(path))


def _drill(path: Path, raw: Any) -> Drill:
    if not isinstance(raw, Mapping):
        raise FileError(path, "a drill must be a mapping of keys (drill, site, start, events, expect)")
    site_ref = raw.get("site")
    if site_ref is None:
        raise FileError(path, "field 'site': missing (a path to a site file, or the site inline)")
    if isinstance(site_ref, str):
        site, zone = load_site(path.parent / site_ref)
    else:
        try:
            site = build_site(site_ref)
            zone = time_zone(site)
        except InvalidInput as error:
            raise FileError(path, f"site: {error.describe()}") from None
    try:
        return build_drill(raw, site, zone)
    except InvalidInput as error:
        raise FileError(path, error.describe()) from None
