"""Machine-readable zones of travel documents (ICAO Doc 9303), parsed and checked.

The machine-readable zone (MRZ) is the block of ``<``-filled capitals at the foot of a
passport's data page or across an identity card's back. It repeats the document's number,
issuing state, the holder's name, nationality, birth date, sex and the expiry date, and
protects them with check digits (weights 7, 3, 1 over digit values, A=10 … Z=35, ``<``=0,
modulo 10). A forger who changes a printed number without recomputing the digits, or who
pairs a zone with the wrong document, shows up here.

Formats: TD1 (identity cards, 3 lines of 30), TD2 (2 × 36), TD3 (passports, 2 × 44), and
machine-readable visas MRV-A (2 × 44) and MRV-B (2 × 36), which carry no composite digit.
Document numbers longer than nine characters continue in the optional data (Part 5, 4.2.4).

Two-digit years are resolved against a ``reference_year`` the caller gives (the event's year),
never against a clock: a birth year is the latest not after it, an expiry year the nearest to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

Format = Literal["TD1", "TD2", "TD3", "MRVA", "MRVB"]
WEIGHTS = (7, 3, 1)
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class MrzError(ValueError):
    """The lines are not a machine-readable zone at all (shape or characters)."""


@dataclass(frozen=True, slots=True)
class Mrz:
    format: Format
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

    @property
    def valid(self) -> bool:
        return not self.failed_checks

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


SHAPES: dict[tuple[int, int], tuple[Format, Format]] = {
    (3, 30): ("TD1", "TD1"),
    (2, 36): ("TD2", "MRVB"),
    (2, 44): ("TD3", "MRVA"),
}


def parse_mrz(lines: Sequence[str], reference_year: int) -> Mrz:
    """Parse and check a zone given as its lines; check-digit failures are reported, not raised."""
    cleaned = [line.strip().upper() for line in lines]
    shape = _shape(cleaned)
    document_format = shape[1] if cleaned[0].startswith("V") else shape[0]
    for number, line in enumerate(cleaned, start=1):
        for char in line:
            if char != "<" and char not in ALPHABET:
                raise MrzError(f"MRZ line {number} has the character {char!r}; only A-Z, 0-9 and < are allowed")
    reader = {"TD1": _td1, "TD2": _two_line, "TD3": _two_line, "MRVA": _two_line, "MRVB": _two_line}
    return reader[document_format](cleaned, document_format, reference_year)


def _shape(lines: list[str]) -> tuple[Format, Format]:
    if len(lines) not in (2, 3):
        raise MrzError(f"an MRZ has 2 or 3 lines, not {len(lines)}")
    width = len(lines[0])
    expected = {2: (36, 44), 3: (30,)}[len(lines)]
    if width not in expected:
        allowed = " or ".join(str(w) for w in expected)
        raise MrzError(f"MRZ line 1 has {width} characters; a {len(lines)}-line zone has lines of {allowed}")
    for number, line in enumerate(lines[1:], start=2):
        if len(line) != width:
            raise MrzError(f"MRZ line {number} has {len(line)} characters; line 1 has {width}")
    return SHAPES[(len(lines), width)]


def _text(field: str) -> str:
    return field.replace("<", " ").strip()


def _name(field: str) -> tuple[str, str]:
    surname, _, given = field.partition("<<")
    return " ".join(_text(surname).split()), " ".join(_text(given).split())


def _digit_ok(data: str, digit: str) -> bool:
    if digit == "<":
        return set(data) <= {"<"}
    return digit.isdigit() and check_digit(data) == int(digit)


def _date(field: str, reference_year: int, kind: Literal["birth", "expiry"]) -> tuple[date | None, bool]:
    """The date and whether it is a real one (fillers: unknown, not an error)."""
    if "<" in field:
        return None, True
    if not field.isdigit():
        return None, False
    yy, month, day = int(field[:2]), int(field[2:4]), int(field[4:6])
    century = reference_year - reference_year % 100
    candidates = (century - 100 + yy, century + yy, century + 100 + yy)
    if kind == "birth":
        year = max(y for y in candidates if y <= reference_year)
    else:
        year = min(candidates, key=lambda y: (abs(y - reference_year), y))
    try:
        return date(year, month, day), True
    except ValueError:
        return None, False


def _number(main: str, digit: str, optional: str) -> tuple[str, str, str, str]:
    """Document number, its check digit, the data it was checked over, and what is left of the
    optional data; a long number continues in the optional data (``<`` in the digit's place)."""
    if digit != "<" or _text(optional) == "":
        return main.replace("<", ""), digit, main, optional
    overflow, _, rest = optional.partition("<")
    if not overflow:
        return main.replace("<", ""), digit, main, optional
    whole = main + overflow[:-1]
    return whole.replace("<", ""), overflow[-1], whole, rest


def _checks(pairs: list[tuple[str, bool]]) -> tuple[str, ...]:
    return tuple(name for name, ok in pairs if not ok)


def _two_line(lines: list[str], document_format: Format, reference_year: int) -> Mrz:
    first, second = lines
    width = len(first)
    surname, given = _name(first[5:])
    composite_at = width - 1 if document_format in ("TD3", "TD2") else None
    optional_end = composite_at if composite_at is not None else width
    if document_format == "TD3":
        optional, optional_digit = second[28:42], second[42]
    else:
        optional, optional_digit = second[28:optional_end], ""
    if document_format == "TD2":
        number, number_digit, number_data, optional_left = _number(second[0:9], second[9], optional)
    else:
        number, number_digit, number_data, optional_left = (
            second[0:9].replace("<", ""),
            second[9],
            second[0:9],
            optional,
        )
    birth, birth_real = _date(second[13:19], reference_year, "birth")
    expiry, expiry_real = _date(second[21:27], reference_year, "expiry")
    results = [
        ("document_number", _digit_ok(number_data, number_digit)),
        ("birth_date", birth_real and _digit_ok(second[13:19], second[19])),
        ("expiry_date", expiry_real and _digit_ok(second[21:27], second[27])),
    ]
    if document_format == "TD3":
        results.append(("optional_data", _digit_ok(optional, optional_digit)))
    if composite_at is not None:
        composite = second[0:10] + second[13:20] + second[21:composite_at]
        results.append(("composite", _digit_ok(composite, second[composite_at])))
    return Mrz(
        format=document_format,
        document_code=_text(first[0:2]),
        issuing_state=_text(first[2:5]),
        surname=surname,
        given_names=given,
        document_number=number,
        nationality=_text(second[10:13]),
        birth_date=birth,
        sex=_sex(second[20]),
        expiry_date=expiry,
        optional_data=tuple(t for t in (_text(optional_left),) if t),
        failed_checks=_checks(results),
    )


def _td1(lines: list[str], document_format: Format, reference_year: int) -> Mrz:
    first, second, third = lines
    surname, given = _name(third)
    number, number_digit, number_data, optional_left = _number(first[5:14], first[14], first[15:30])
    birth, birth_real = _date(second[0:6], reference_year, "birth")
    expiry, expiry_real = _date(second[8:14], reference_year, "expiry")
    composite = first[5:30] + second[0:7] + second[8:15] + second[18:29]
    results = [
        ("document_number", _digit_ok(number_data, number_digit)),
        ("birth_date", birth_real and _digit_ok(second[0:6], second[6])),
        ("expiry_date", expiry_real and _digit_ok(second[8:14], second[14])),
        ("composite", _digit_ok(composite, second[29])),
    ]
    return Mrz(
        format=document_format,
        document_code=_text(first[0:2]),
        issuing_state=_text(first[2:5]),
        surname=surname,
        given_names=given,
        document_number=number,
        nationality=_text(second[15:18]),
        birth_date=birth,
        sex=_sex(second[7]),
        expiry_date=expiry,
        optional_data=tuple(t for t in (_text(optional_left), _text(second[18:29])) if t),
        failed_checks=_checks(results),
    )


def _sex(char: str) -> str:
    return {"M": "M", "F": "F"}.get(char, "X")
