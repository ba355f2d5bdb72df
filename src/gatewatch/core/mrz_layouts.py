"""The layouts of machine-readable zones, each read field by field and checked.

ICAO Doc 9303: TD1 (identity cards, 3 lines of 30), TD2 (2 × 36), TD3 (passports, 2 × 44), and
machine-readable visas MRV-A (2 × 44) and MRV-B (2 × 36), which carry no composite digit.
Document numbers longer than nine characters continue in the optional data (Part 5, 4.2.4).

The French national identity card issued before 2021 has its own 2 × 36 layout (not TD2):

- line 1: ``IDFRA``, the surname (25 characters), the issuing department and office (6, or fillers);
- line 2: the 12-character card number (year and month of issue, department, then office and
  serial) and its check digit, the given names (14; ``<<`` between names, cut when too long),
  the birth date YYMMDD and its check digit, the sex, and a last check digit over line 1 and
  line 2 up to it.

The card has no expiry date in its zone (``expiry_date`` is ``None``) and no nationality field
(it is issued to French nationals, so ``nationality`` is FRA). It was valid 10 years from issue;
cards issued from 2 January 2004 to adults are valid 15 (``valid_until``).
"""

from __future__ import annotations

from datetime import date

from gatewatch.core.mrz_fields import (
    Format,
    Mrz,
    digit_ok,
    failed,
    icao_name,
    read_date,
    read_sex,
    text,
    words,
)


def _number(main: str, digit: str, optional: str) -> tuple[str, str, str, str]:
    """Document number, its check digit, the data it was checked over, and what is left of the
    optional data; a long number continues in the optional data (``<`` in the digit's place)."""
    if digit != "<" or text(optional) == "":
        return main.replace("<", ""), digit, main, optional
    overflow, _, rest = optional.partition("<")
    if not overflow:
        return main.replace("<", ""), digit, main, optional
    whole = main + overflow[:-1]
    return whole.replace("<", ""), overflow[-1], whole, rest


def read_two_line(lines: list[str], reference_year: int, document_format: Format) -> Mrz:
    """TD2, TD3, MRV-A or MRV-B: name on line 1; number, nationality, birth, sex and expiry on line 2."""
    first, second = lines
    width = len(first)
    surname, given = icao_name(first[5:])
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
    birth, birth_real = read_date(second[13:19], reference_year, "birth")
    expiry, expiry_real = read_date(second[21:27], reference_year, "expiry")
    results = [
        ("document_number", digit_ok(number_data, number_digit)),
        ("birth_date", birth_real and digit_ok(second[13:19], second[19])),
        ("expiry_date", expiry_real and digit_ok(second[21:27], second[27])),
    ]
    if document_format == "TD3":
        results.append(("optional_data", digit_ok(optional, optional_digit)))
    if composite_at is not None:
        composite = second[0:10] + second[13:20] + second[21:composite_at]
        results.append(("composite", digit_ok(composite, second[composite_at])))
    return Mrz(
        format=document_format,
        document_code=text(first[0:2]),
        issuing_state=text(first[2:5]),
        surname=surname,
        given_names=given,
        document_number=number,
        nationality=text(second[10:13]),
        birth_date=birth,
        sex=read_sex(second[20]),
        expiry_date=expiry,
        optional_data=tuple(t for t in (text(optional_left),) if t),
        failed_checks=failed(results),
    )


def read_td1(lines: list[str], reference_year: int) -> Mrz:
    """TD1: number on line 1; birth, sex, expiry and nationality on line 2; name on line 3."""
    first, second, third = lines
    surname, given = icao_name(third)
    number, number_digit, number_data, optional_left = _number(first[5:14], first[14], first[15:30])
    birth, birth_real = read_date(second[0:6], reference_year, "birth")
    expiry, expiry_real = read_date(second[8:14], reference_year, "expiry")
    composite = first[5:30] + second[0:7] + second[8:15] + second[18:29]
    results = [
        ("document_number", digit_ok(number_data, number_digit)),
        ("birth_date", birth_real and digit_ok(second[0:6], second[6])),
        ("expiry_date", expiry_real and digit_ok(second[8:14], second[14])),
        ("composite", digit_ok(composite, second[29])),
    ]
    return Mrz(
        format="TD1",
        document_code=text(first[0:2]),
        issuing_state=text(first[2:5]),
        surname=surname,
        given_names=given,
        document_number=number,
        nationality=text(second[15:18]),
        birth_date=birth,
        sex=read_sex(second[7]),
        expiry_date=expiry,
        optional_data=tuple(t for t in (text(optional_left), text(second[18:29])) if t),
        failed_checks=failed(results),
    )


def read_old_french_card(lines: list[str], reference_year: int) -> Mrz:
    """The French national identity card issued before 2021 (layout in the module docstring)."""
    first, second = lines
    card_number = second[0:12]
    birth, birth_real = read_date(second[27:33], reference_year, "birth")
    issued, _ = read_date(card_number[0:4] + "01", reference_year, "issue")
    results = [
        ("document_number", digit_ok(card_number, second[12])),
        ("birth_date", birth_real and digit_ok(second[27:33], second[33])),
        ("composite", digit_ok(first + second[0:35], second[35])),
    ]
    return Mrz(
        format="FRA_ID",
        document_code=text(first[0:2]),
        issuing_state=text(first[2:5]),
        surname=words(first[5:30]),
        given_names=words(second[13:27]),
        document_number=card_number.replace("<", ""),
        nationality="FRA",
        birth_date=birth,
        sex=read_sex(second[34]),
        expiry_date=None,
        optional_data=tuple(t for t in (text(first[30:36]),) if t),
        failed_checks=failed(results),
        issued=issued,
    )


EXTENDED_FRENCH_CARDS = (date(2004, 1, 1), date(2013, 12, 1))
"""Months of issue of old French cards whose 10-year validity became 15 for adults (decree
2013-1188, from 1 January 2014; cards from 2 January 2004 to 31 December 2013). The date printed
on them was not changed."""


def _years_after(day: date, years: int) -> date:
    """The same day ``years`` later (29 February becomes 1 March)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def _month_end(first_day: date) -> date:
    following = date(first_day.year + first_day.month // 12, first_day.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def valid_until(zone: Mrz, printed_expiry: date) -> date:
    """The last day a document is valid, given the expiry printed on it.

    Procedure: an old French card whose zone checks out, issued in 2004–2013 to a holder who
    was 18 by the end of the month of issue (the zone gives the month, not the day), is valid
    five years past its printed date. Any other document is valid until its printed date."""
    if zone.format != "FRA_ID" or not zone.valid or zone.issued is None or zone.birth_date is None:
        return printed_expiry
    first, last = EXTENDED_FRENCH_CARDS
    adult_at_issue = _years_after(zone.birth_date, 18) <= _month_end(zone.issued)
    if first <= zone.issued <= last and adult_at_issue:
        return _years_after(printed_expiry, 5)
    return printed_expiry
