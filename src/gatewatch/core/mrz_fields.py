"""What every machine-readable-zone layout is made of: the parsed zone, its check digits,
its dates, its names.

A layout reads its fields from fixed places in the lines; this module holds what the
layouts share. Check digits follow ICAO Doc 9303 everywhere, the French card included:
each character gets a value (0-9 as themselves, A=10 … Z=35, ``<``=0), the values are
multiplied by the weights 7, 3, 1, 7, 3, 1 … in turn, and the sum modulo 10 is the digit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

Format = Literal["TD1", "TD2", "TD3", "MRVA", "MRVB", "FRA_ID"]
"""The layouts this parser knows; ``FRA_ID`` is the French national identity card issued before 2021."""

Verdict = Literal["valid", "failed", "unverifiable"]
WEIGHTS = (7, 3, 1)
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DateKind = Literal["birth", "issue", "expiry"]


class MrzError(ValueError):
    """The lines are not a machine-readable zone at all (shape or characters)."""


@dataclass(frozen=True, slots=True)
class Mrz:
    """A zone as read. ``format`` is ``None`` when no known layout fits: then every field but
    the first line's document code and issuing state is empty, and ``unverifiable_because``
    says why the zone could not be checked."""

    format: Format | None
    document_code: str
    issuing_state: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    birth_date: date | None
    sex: str
    expiry_date: date | None
    optional_data: tuple[str, ...]
    failed_checks: tuple[str, ...]
    issued: date | None = None
    """The first day of the month of issue, where the zone records it (the old French card)."""
    unverifiable_because: str = ""

    @property
    def verdict(self) -> Verdict:
        """``unverifiable`` when no known layout fits; else ``failed`` when a check digit fails."""
        if self.format is None:
            return "unverifiable"
        return "failed" if self.failed_checks else "valid"

    @property
    def valid(self) -> bool:
        return self.verdict == "valid"

    @property
    def full_name(self) -> str:
        """ "Anna Maria Eriksson": given names, then surname, as a person would write them."""
        return " ".join(part for part in (self.given_names, self.surname) if part).title()


def check_digit(data: str) -> int:
    """The ICAO 9303 check digit of ``data``."""
    total = 0
    for position, char in enumerate(data):
        value = 0 if char == "<" else ALPHABET.index(char)
        total += value * WEIGHTS[position % 3]
    return total % 10


def digit_ok(data: str, digit: str) -> bool:
    """Whether ``digit`` is the check digit of ``data`` (a filler digit only over fillers)."""
    if digit == "<":
        return set(data) <= {"<"}
    return digit.isdigit() and check_digit(data) == int(digit)


def text(field: str) -> str:
    """The field with fillers read as spaces, trimmed."""
    return field.replace("<", " ").strip()


def words(field: str) -> str:
    """The field's words separated by single spaces, however many fillers stood between them."""
    return " ".join(text(field).split())


def icao_name(field: str) -> tuple[str, str]:
    """Surname and given names of an ICAO name field: ``<<`` divides them, ``<`` parts of each."""
    surname, _, given = field.partition("<<")
    return words(surname), words(given)


def read_date(field: str, reference_year: int, kind: DateKind) -> tuple[date | None, bool]:
    """The date of a YYMMDD field and whether it is a real one (fillers: unknown, not an error).

    The century comes from ``reference_year``: a birth or issue year is the latest not after it,
    an expiry year the nearest to it."""
    if "<" in field:
        return None, True
    if not field.isdigit():
        return None, False
    yy, month, day = int(field[:2]), int(field[2:4]), int(field[4:6])
    century = reference_year - reference_year % 100
    candidates = (century - 100 + yy, century + yy, century + 100 + yy)
    if kind == "expiry":
        year = min(candidates, key=lambda y: (abs(y - reference_year), y))
    else:
        year = max(y for y in candidates if y <= reference_year)
    try:
        return date(year, month, day), True
    except ValueError:
        return None, False


def read_sex(char: str) -> str:
    return {"M": "M", "F": "F"}.get(char, "X")


def failed(results: list[tuple[str, bool]]) -> tuple[str, ...]:
    """The names of the checks that failed, in the order they were made."""
    return tuple(name for name, ok in results if not ok)
