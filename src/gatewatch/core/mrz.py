"""Machine-readable zones of identity and travel documents, parsed and checked.

The machine-readable zone (MRZ) is the block of ``<``-filled capitals at the foot of a
passport's data page or across an identity card. It repeats the document's number, issuing
state, the holder's name, birth date and sex (and usually nationality and expiry), and protects
them with check digits (``mrz_fields``). A forger who changes a printed number without
recomputing the digits, or who pairs a zone with the wrong document, shows up here.

Procedure:

1. The lines are trimmed and upper-cased. Input that is not an MRZ at all raises ``MrzError``
   naming what is wrong: not 2 or 3 lines, a character other than A-Z, 0-9 and ``<``, a line
   shorter than 30 or longer than 44 characters, or lines of different lengths (a zone is a
   block of equal lines; the line that stands out is named).
2. The layout is chosen by the shape (lines × characters) and by how line 1 begins, that is
   the document code and issuing state: 3 × 30 with code A, C or I is TD1; 2 × 36 beginning
   ``IDFRA`` is the French identity card issued before 2021, with code V an MRV-B visa, with
   code A, C or I TD2; 2 × 44 with code P is TD3, with code V an MRV-A visa (``mrz_layouts``).
3. A zone no known layout fits (another shape, or a code and state no layout of its shape
   takes) is returned *unverifiable*: its fields are not read, no digit is checked, and
   ``unverifiable_because`` says why. It is neither valid nor failed: the parser cannot tell.
   ``beginnings`` says how line 1 begins in the known layouts of a zone's shape, so that a
   rule can tell a zone of an unfamiliar shape from one of a familiar shape whose document
   code no layout takes (the one character a forger must change to escape every check).
4. A known layout is read field by field; every check digit is verified, and those that fail
   are named in ``failed_checks`` (verdict ``failed``), never raised.

Two-digit years are resolved against a ``reference_year`` the caller gives (the event's year),
never against a clock: a birth or issue year is the latest not after it, an expiry year the
nearest to it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from gatewatch.core.mrz_fields import ALPHABET, Format, Mrz, MrzError, Verdict, check_digit, text
from gatewatch.core.mrz_layouts import read_old_french_card, read_td1, read_two_line, valid_until

__all__ = [
    "ALPHABET",
    "Format",
    "Mrz",
    "MrzError",
    "Verdict",
    "beginnings",
    "check_digit",
    "parse_mrz",
    "valid_until",
]

LINE_COUNTS = (2, 3)
SHORTEST_LINE, LONGEST_LINE = 30, 44

Reader = Callable[[list[str], int], Mrz]


@dataclass(frozen=True, slots=True)
class Layout:
    """A known layout: its shape, how its line 1 begins, and how to read it."""

    format: Format
    lines: int
    width: int
    begins: tuple[str, ...]
    read: Reader

    def fits(self, lines: list[str]) -> bool:
        return (len(lines), len(lines[0])) == (self.lines, self.width) and lines[0].startswith(self.begins)


# Order matters: the French card's ``IDFRA`` is tried before TD2's code I.
LAYOUTS = (
    Layout("TD1", 3, 30, ("A", "C", "I"), read_td1),
    Layout("FRA_ID", 2, 36, ("IDFRA",), read_old_french_card),
    Layout("MRVB", 2, 36, ("V",), partial(read_two_line, document_format="MRVB")),
    Layout("TD2", 2, 36, ("A", "C", "I"), partial(read_two_line, document_format="TD2")),
    Layout("TD3", 2, 44, ("P",), partial(read_two_line, document_format="TD3")),
    Layout("MRVA", 2, 44, ("V",), partial(read_two_line, document_format="MRVA")),
)


def parse_mrz(lines: Sequence[str], reference_year: int) -> Mrz:
    """Parse and check a zone given as its lines; check-digit failures are reported, not raised,
    and a zone of a layout this parser does not know comes back unverifiable."""
    cleaned = [line.strip().upper() for line in lines]
    _check_is_a_zone(cleaned)
    for layout in LAYOUTS:
        if layout.fits(cleaned):
            return layout.read(cleaned, reference_year)
    return _unverifiable(cleaned)


def beginnings(lines: Sequence[str]) -> tuple[str, ...]:
    """How line 1 begins in the known layouts of the zone's shape (lines × characters), in the
    order they are tried; none when no known layout has that shape."""
    cleaned = [line.strip() for line in lines]
    if not cleaned:
        return ()
    shape = (len(cleaned), len(cleaned[0]))
    found = (begin for layout in LAYOUTS if (layout.lines, layout.width) == shape for begin in layout.begins)
    return tuple(dict.fromkeys(found))


def _check_is_a_zone(lines: list[str]) -> None:
    if len(lines) not in LINE_COUNTS:
        raise MrzError(f"an MRZ has 2 or 3 lines, not {len(lines)}")
    for number, line in enumerate(lines, start=1):
        for char in line:
            if char != "<" and char not in ALPHABET:
                raise MrzError(f"MRZ line {number} has the character {char!r}; only A-Z, 0-9 and < are allowed")
    for number, line in enumerate(lines, start=1):
        if not SHORTEST_LINE <= len(line) <= LONGEST_LINE:
            raise MrzError(
                f"MRZ line {number} has {len(line)} characters; MRZ lines have {SHORTEST_LINE} to {LONGEST_LINE}"
            )
    widths = [len(line) for line in lines]
    if len(set(widths)) > 1:
        odd, other = _odd_line_out(widths)
        raise MrzError(
            f"MRZ line {odd} has {widths[odd - 1]} characters but line {other} has {widths[other - 1]}; "
            "the lines of a zone are all the same length"
        )


def _odd_line_out(widths: list[int]) -> tuple[int, int]:
    """The line (1-based) whose length stands out, and a line it differs from: the first whose
    length no known layout of this many lines has, else the first that differs from line 1."""
    known = {layout.width for layout in LAYOUTS if layout.lines == len(widths)}
    unknown = [n for n, width in enumerate(widths, start=1) if width not in known]
    differing = [n for n, width in enumerate(widths, start=1) if width != widths[0]]
    odd = unknown[0] if unknown else differing[0]
    other = next(n for n, width in enumerate(widths, start=1) if width != widths[odd - 1])
    return odd, other


def _unverifiable(lines: list[str]) -> Mrz:
    """A zone no known layout fits: only where it would say its code and state is read."""
    shape = f"{len(lines)} lines of {len(lines[0])} characters"
    code, state = lines[0][0:2], lines[0][2:5]
    if any(layout.lines == len(lines) and layout.width == len(lines[0]) for layout in LAYOUTS):
        because = f"no known layout of {shape} begins with the document code {code} and issuing state {state}"
    else:
        because = f"no known layout has {shape}"
    return Mrz(
        format=None,
        document_code=text(code),
        issuing_state=text(state),
        surname="",
        given_names="",
        document_number="",
        nationality="",
        birth_date=None,
        sex="X",
        expiry_date=None,
        optional_data=(),
        failed_checks=(),
        unverifiable_because=because,
    )
