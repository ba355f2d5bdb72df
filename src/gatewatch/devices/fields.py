"""Reading one device's configuration mapping field by field, with errors that name both.

Every value from a configuration file is checked here for its type and its bound before a
driver uses it: ``device "inner-out": field "address": must be 0..126``. Every driver's
configuration (``mqtt``, ``osdp``) reads its mappings through ``Fields``.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Collection, Mapping
from pathlib import Path

from gatewatch.core import limits


class DeviceConfigError(ValueError):
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
            raise DeviceConfigError(device, where or "configuration", f"must be a mapping, not {kind(raw)}")
        self.raw: Mapping[object, object] = raw
        self.device = device
        self.where = where
        self.read: set[str] = set()

    def name(self, field: str) -> str:
        """The field as an error names it: ``channel.baud`` inside the ``channel`` mapping."""
        return f"{self.where}.{field}" if self.where else field

    def fail(self, field: str, problem: str) -> DeviceConfigError:
        return DeviceConfigError(self.device, self.name(field), problem)

    def get(self, field: str) -> object:
        self.read.add(field)
        return self.raw.get(field)

    def text(self, field: str, default: str | None = None, *, longest: int = limits.ID_CHARS) -> str | None:
        value = self.get(field)
        if value is None:
            return default
        if not isinstance(value, str):
            raise self.fail(field, f"must be text, not {kind(value)}")
        if len(value) > longest:
            raise self.fail(field, f"must be at most {longest} characters")
        if value and not value.isprintable():
            raise self.fail(field, "must hold printable characters only")
        return value

    def required_text(self, field: str, *, longest: int = limits.ID_CHARS) -> str:
        value = self.text(field, longest=longest)
        if value is None:
            raise self.fail(field, "is required")
        if not value.strip() or value != value.strip():
            raise self.fail(field, "must not be blank nor begin or end with spaces")
        return value

    def integer(self, field: str, default: int, lowest: int, highest: int) -> int:
        found = self.optional_integer(field, lowest, highest)
        return default if found is None else found

    def optional_integer(self, field: str, lowest: int, highest: int) -> int | None:
        value = self.get(field)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(field, f"must be a whole number, not {kind(value)}")
        if not lowest <= value <= highest:
            raise self.fail(field, f"must be {lowest}..{highest}")
        return value

    def required_integer(self, field: str, lowest: int, highest: int) -> int:
        value = self.optional_integer(field, lowest, highest)
        if value is None:
            raise self.fail(field, f"is required ({lowest}..{highest})")
        return value

    def seconds(self, field: str, default: float, lowest: float, highest: float) -> float:
        value = self.get(field)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise self.fail(field, f"must be a number of seconds, not {kind(value)}")
        if not lowest <= value <= highest:
            raise self.fail(field, f"must be {lowest:g}..{highest:g} seconds")
        return float(value)

    def flag(self, field: str, default: bool) -> bool:
        value = self.get(field)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.fail(field, f"must be true or false, not {kind(value)}")
        return value

    def choice(self, field: str, default: str, choices: Collection[str]) -> str:
        value = self.text(field, default)
        if value not in choices:
            raise self.fail(field, f"must be one of {', '.join(sorted(choices))}{hint(str(value), choices)}")
        return str(value)

    def file(self, field: str) -> Path | None:
        """A path to a file that exists (a certificate, a key)."""
        value = self.text(field, longest=4096)
        if value is None:
            return None
        if not Path(value).is_file():
            raise self.fail(field, f"no such file: {value}")
        return Path(value)

    def done(self, known: Collection[str] = ()) -> None:
        """Refuse a key that no read asked for (a typing error), naming the nearest known one."""
        unknown = sorted(str(key) for key in self.raw if key not in self.read)
        if unknown:
            raise self.fail(unknown[0], f"is not a known field{hint(unknown[0], known or self.read)}")


def hint(word: str, choices: Collection[str]) -> str:
    """``, did you mean "baud"?`` when a choice is close to what was written."""
    near = difflib.get_close_matches(word, sorted(choices), n=1)
    return f', did you mean "{near[0]}"?' if near else ""


def kind(value: object) -> str:
    return "nothing" if value is None else type(value).__name__
