"""Reading one device's configuration mapping field by field, with errors that name both.

Every value from a configuration file is checked here for its type and its bound before the
driver or the reference controller uses it: ``device "gate-board": field "doors": ...``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

from gatewatch.core import limits

TOPIC_UNSAFE = frozenset("/+#")
"""Characters an id cannot hold when it is one level of an MQTT topic."""

LIST_LONGEST = 256
"""Doors, readers or controllers in one list: more than a relay board or a site has."""


class MqttConfigError(ValueError):
    """A configuration value is wrong; the message names the device and the field."""

    def __init__(self, device: str, field: str, problem: str) -> None:
        super().__init__(f'device "{device}": field "{field}": {problem}')
        self.device = device
        self.field = field
        self.problem = problem


class Fields:
    """One device's mapping: each read checks and bounds a value; ``done`` refuses any key left."""

    def __init__(self, raw: object, device: str, where: str = "") -> None:
        if not isinstance(raw, Mapping):
            raise MqttConfigError(device, where or "configuration", f"must be a mapping, not {_kind(raw)}")
        self.raw: Mapping[object, object] = raw
        self.device = device
        self.where = where
        """The mapping's own field, when it is one (``tls``): errors name ``tls.ca_file``."""
        self.read: set[str] = set()

    def fail(self, field: str, problem: str) -> MqttConfigError:
        return MqttConfigError(self.device, f"{self.where}.{field}" if self.where else field, problem)

    def get(self, field: str) -> object:
        self.read.add(field)
        return self.raw.get(field)

    def text(self, field: str, default: str | None = None, *, longest: int = limits.ID_CHARS) -> str | None:
        value = self.get(field)
        if value is None:
            return default
        if not isinstance(value, str):
            raise self.fail(field, f"must be text, not {_kind(value)}")
        if not value.strip() or value != value.strip():
            raise self.fail(field, "must not be blank nor begin or end with spaces")
        if len(value) > longest:
            raise self.fail(field, f"must be at most {longest} characters")
        if not value.isprintable():
            raise self.fail(field, "must hold printable characters only")
        return value

    def required_text(self, field: str, *, longest: int = limits.ID_CHARS) -> str:
        value = self.text(field, longest=longest)
        if value is None:
            raise self.fail(field, "is required")
        return value

    def integer(self, field: str, default: int, lowest: int, highest: int) -> int:
        value = self.get(field)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(field, f"must be a whole number, not {_kind(value)}")
        if not lowest <= value <= highest:
            raise self.fail(field, f"must be {lowest}..{highest}")
        return value

    def seconds(self, field: str, default: float, lowest: float, highest: float) -> float:
        value = self.get(field)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise self.fail(field, f"must be a number of seconds, not {_kind(value)}")
        if not lowest <= value <= highest:
            raise self.fail(field, f"must be {lowest:g}..{highest:g} seconds")
        return float(value)

    def ids(self, field: str) -> tuple[str, ...]:
        """A list of ids that are each one level of a topic, no id twice."""
        value = self.get(field)
        if value is None:
            return ()
        if not isinstance(value, list | tuple):
            raise self.fail(field, f"must be a list of ids, not {_kind(value)}")
        if len(value) > LIST_LONGEST:
            raise self.fail(field, f"must list at most {LIST_LONGEST}")
        found = tuple(topic_id(self, field, item) for item in value)
        twice = sorted({ident for ident in found if found.count(ident) > 1})
        if twice:
            raise self.fail(field, f"lists {', '.join(twice)} more than once")
        return found

    def file(self, field: str) -> Path | None:
        value = self.text(field, longest=4096)
        if value is None:
            return None
        path = Path(value)
        if not path.is_file():
            raise self.fail(field, f"no such file: {value}")
        return path

    def done(self) -> None:
        unknown = sorted(str(key) for key in self.raw if key not in self.read)
        if unknown:
            raise self.fail(unknown[0], "is not a known field")


def topic_id(fields: Fields, field: str, value: object) -> str:
    """An id that can stand as one level of an MQTT topic."""
    if not isinstance(value, str):
        raise fields.fail(field, f"an id must be text, not {_kind(value)}")
    if not value.strip() or value != value.strip():
        raise fields.fail(field, "an id must not be blank nor begin or end with spaces")
    if len(value) > limits.ID_CHARS:
        raise fields.fail(field, f"an id must be at most {limits.ID_CHARS} characters")
    if not value.isprintable() or TOPIC_UNSAFE & set(value):
        raise fields.fail(field, f"{value!r} cannot be a topic level (printable, without / + #)")
    return value


def topic_prefix(fields: Fields, field: str, default: str) -> str:
    """The topics' prefix: levels joined by ``/``, none empty, no wildcard, not a ``$`` topic."""
    value = fields.text(field, longest=limits.ID_CHARS) or default
    levels = value.split("/")
    if value.startswith("$") or any(not level or "+" in level or "#" in level for level in levels):
        raise fields.fail(field, f"{value!r} must be topic levels joined by /, none empty, without + # or a leading $")
    return value


def _kind(value: object) -> str:
    return "nothing" if value is None else type(value).__name__
