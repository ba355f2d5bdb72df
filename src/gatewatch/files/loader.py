"""Load site and drill files: YAML in, checked core objects out, errors naming the file."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

from gatewatch.core.drill import Drill, build_drill
from gatewatch.core.errors import InvalidInput
from gatewatch.core.limits import (
    DRILL_BYTES,
    DRILL_EVENTS,
    SITE_YAML_VALUES,
    YAML_ALIASES,
    YAML_DEPTH,
    YAML_TEXT_CHARS,
    YAML_VALUES,
    YAML_VALUES_PER_BYTE,
)
from gatewatch.core.parse import build_site
from gatewatch.core.site import Site
from gatewatch.files.bounded_yaml import YamlLimits, YamlRefused, load_bounded

# Bounds on what a YAML file may hold: the numbers, and why, are in core/limits.py. A drill
# comes from anyone who may run one (the console takes uploads), so it is bounded tightly; a
# site file is the operator's own, of any size, but bounded in text, nesting and aliases.

MAX_DRILL_BYTES = DRILL_BYTES
MAX_DRILL_EVENTS = DRILL_EVENTS

SITE_LIMITS = YamlLimits(
    max_bytes=None,
    max_nodes=SITE_YAML_VALUES,
    max_aliases=YAML_ALIASES,
    max_depth=YAML_DEPTH,
    max_text=YAML_TEXT_CHARS,
)


@dataclass(frozen=True, slots=True)
class DrillLimits:
    """How large a drill file may be, and how many events it may play."""

    yaml: YamlLimits
    max_events: int


def drill_limits(max_bytes: int = MAX_DRILL_BYTES, max_events: int = MAX_DRILL_EVENTS) -> DrillLimits:
    """Drill bounds for a file of at most ``max_bytes``: as many values as that many bytes can
    write out without aliases (two bytes a value at the least), and at most ``max_events``."""
    nodes = max(YAML_VALUES, int(max_bytes * YAML_VALUES_PER_BYTE))
    bounds = YamlLimits(max_bytes, nodes, YAML_ALIASES, YAML_DEPTH, YAML_TEXT_CHARS)
    return DrillLimits(bounds, max_events)


DRILL_LIMITS = drill_limits()


class FileError(Exception):
    """A file that cannot be used, with the file's name and what is wrong in it."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


def read_yaml(path: Path, limits: YamlLimits = SITE_LIMITS) -> Any:
    """A YAML file within ``limits``; a file larger than they allow is not read at all."""
    return parse_yaml(path, _read_bytes(path, limits), limits)


def parse_yaml(name: Path | str, content: bytes, limits: YamlLimits) -> Any:
    """YAML bytes (UTF-8) within ``limits``, every refusal a FileError naming ``name``."""
    _check_size(name, len(content), limits)
    try:
        return load_bounded(utf8_text(name, content), limits)
    except YamlRefused as refused:
        raise FileError(name, refused.problem) from None


def utf8_text(name: Path | str, content: bytes) -> str:
    """The bytes as text, or a FileError saying which byte, at which offset, is not UTF-8."""
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as error:
        line = content.count(b"\n", 0, error.start) + 1
        byte = content[error.start]
        raise FileError(
            name, f"not UTF-8 text: byte 0x{byte:02x} at byte offset {error.start} (line {line}) ({error.reason})"
        ) from None


def _read_bytes(path: Path, limits: YamlLimits) -> bytes:
    try:
        _check_size(path, path.stat().st_size, limits)
        return path.read_bytes()
    except OSError as error:
        raise FileError(path, error.strerror or str(error)) from None


def _check_size(name: Path | str, size: int, limits: YamlLimits) -> None:
    if limits.max_bytes is not None and size > limits.max_bytes:
        raise FileError(name, f"file size {size:,} bytes is over the limit of {limits.max_bytes:,} bytes")


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
    raw = parse_yaml(path, content, SITE_LIMITS)
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


DEVICES_KEY = "devices"
"""The site file's door drivers, read by ``gatewatch.devices.config``, never by the core."""


def without_devices(raw: Any) -> Any:
    """The site mapping as the core reads it: without its ``devices`` (the drivers' configuration)."""
    if isinstance(raw, Mapping) and DEVICES_KEY in raw:
        return {key: value for key, value in raw.items() if key != DEVICES_KEY}
    return raw


def load_site(path: Path, cache: Path | None = None) -> tuple[Site, ZoneInfo]:
    """The checked site; with a ``cache`` folder, a large site file is parsed once, not at every start."""
    raw = read_yaml(path) if cache is None else read_yaml_cached(path, cache)
    try:
        site = build_site(without_devices(raw))
        return site, time_zone(site)
    except InvalidInput as error:
        raise FileError(path, error.describe()) from None


def is_site_file(raw: object) -> bool:
    """A site file among drill files (``drills/*.yaml`` matches both): zones and no drill."""
    return isinstance(raw, Mapping) and "zones" in raw and "drill" not in raw


def load_drill_or_site(path: Path, limits: DrillLimits = DRILL_LIMITS) -> Drill | Site:
    """A drill, or, for a site file given among drills, the checked site."""
    raw = read_yaml(path, limits.yaml)
    if is_site_file(raw):
        try:
            site = build_site(without_devices(raw))
            time_zone(site)
            return site
        except InvalidInput as error:
            raise FileError(path, error.describe()) from None
    return _drill(path, raw, limits)


def load_drill(path: Path, limits: DrillLimits = DRILL_LIMITS) -> Drill:
    """A drill file, with its site (a path relative to the drill, or inline)."""
    return _drill(path, read_yaml(path, limits.yaml), limits)


def drill_on_site(name: str, content: bytes, site: Site, zone: ZoneInfo, limits: DrillLimits = DRILL_LIMITS) -> Drill:
    """A drill's bytes played on ``site`` (a ``site`` written in the drill is not read)."""
    raw = parse_yaml(name, content, limits.yaml)
    _check_drill(name, raw, limits)
    try:
        return build_drill(raw, site, zone)
    except InvalidInput as error:
        raise FileError(name, error.describe()) from None


def _check_drill(name: Path | str, raw: Any, limits: DrillLimits) -> None:
    if not isinstance(raw, Mapping):
        raise FileError(name, "a drill must be a mapping of keys (drill, site, start, events, expect)")
    events = raw.get("events")
    if isinstance(events, list) and len(events) > limits.max_events:
        raise FileError(name, f"field 'events': {len(events):,} events, over the limit of {limits.max_events:,}")


def _drill(path: Path, raw: Any, limits: DrillLimits) -> Drill:
    _check_drill(path, raw, limits)
    site_ref = raw.get("site")
    if site_ref is None:
        raise FileError(path, "field 'site': missing (a path to a site file, or the site inline)")
    if isinstance(site_ref, str):
        site, zone = load_site(path.parent / site_ref)
    else:
        try:
            site = build_site(without_devices(site_ref))
            zone = time_zone(site)
        except InvalidInput as error:
            raise FileError(path, f"site: {error.describe()}") from None
    try:
        return build_drill(raw, site, zone)
    except InvalidInput as error:
        raise FileError(path, error.describe()) from None
