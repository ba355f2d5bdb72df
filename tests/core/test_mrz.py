"""MRZ parsing and check digits on the ICAO Doc 9303 specimens (Utopia, Anna Maria Eriksson)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gatewatch.core.mrz import MrzError, check_digit, parse_mrz

TD3 = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]
TD1 = ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]
TD2 = ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"]
MRVA = ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L8988901C4XXX4009078F96121096ZE184226B<<<<<<"]
MRVB = ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109<<<<<<<<"]


@pytest.mark.parametrize(
    ("lines", "kind", "code", "number"),
    [
        (TD3, "TD3", "P", "L898902C3"),
        (TD1, "TD1", "I", "D23145890"),
        (TD2, "TD2", "I", "D23145890"),
        (MRVA, "MRVA", "V", "L8988901C"),
        (MRVB, "MRVB", "V", "L8988901C"),
    ],
)
def test_the_specimens_parse_and_every_check_digit_verifies(
    lines: list[str], kind: str, code: str, number: str
) -> None:
    zone = parse_mrz(lines, reference_year=2024)
    assert (zone.format, zone.document_code, zone.document_number) == (kind, code, number)
    assert (zone.issuing_state, zone.surname, zone.given_names) == ("UTO", "ERIKSSON", "ANNA MARIA")
    assert zone.full_name == "Anna Maria Eriksson"
    assert zone.sex == "F"
    assert zone.valid, zone.failed_checks


def test_passport_fields() -> None:
    zone = parse_mrz(TD3, reference_year=2024)
    assert zone.nationality == "UTO"
    assert (zone.birth_date, zone.expiry_date) == (date(1974, 8, 12), date(2012, 4, 15))
    assert zone.optional_data == ("ZE184226B",)


def test_two_digit_years_follow_the_reference_year_not_a_clock() -> None:
    zone = parse_mrz(TD3, reference_year=1990)
    assert zone.birth_date == date(1974, 8, 12) and zone.expiry_date == date(2012, 4, 15)
    assert parse_mrz(TD3, reference_year=1970).birth_date == date(1874, 8, 12)


def _corrupt(lines: list[str], line: int, position: int) -> list[str]:
    text = lines[line]
    digit = text[position]
    replacement = str((int(digit) + 1) % 10) if digit.isdigit() else "0"
    return [*lines[:line], text[:position] + replacement + text[position + 1 :], *lines[line + 1 :]]


@pytest.mark.parametrize(
    ("lines", "line", "position", "named"),
    [
        (TD3, 1, 9, "document_number"),
        (TD3, 1, 19, "birth_date"),
        (TD3, 1, 27, "expiry_date"),
        (TD3, 1, 42, "optional_data"),
        (TD3, 1, 43, "composite"),
        (TD1, 0, 14, "document_number"),
        (TD1, 1, 6, "birth_date"),
        (TD1, 1, 14, "expiry_date"),
        (TD1, 1, 29, "composite"),
        (TD2, 1, 35, "composite"),
    ],
)
def test_a_wrong_check_digit_is_named(lines: list[str], line: int, position: int, named: str) -> None:
    zone = parse_mrz(_corrupt(lines, line, position), reference_year=2024)
    assert zone.failed_checks[0] == named  # the composite, which covers the digit, may fail too
    assert not zone.valid


def test_an_altered_number_fails_its_digit_and_the_composite() -> None:
    altered = [TD3[0], "L898903C3" + TD3[1][9:]]
    assert parse_mrz(altered, reference_year=2024).failed_checks == ("document_number", "composite")


def test_a_date_that_does_not_exist_fails_its_field() -> None:
    data = "741312"
    line = TD3[1][:13] + data + str(check_digit(data)) + TD3[1][20:]
    assert "birth_date" in parse_mrz([TD3[0], line], reference_year=2024).failed_checks


def test_a_long_td1_number_continues_in_the_optional_data() -> None:
    number = "D23145890123"
    first = "I<UTO" + number[:9] + "<" + number[9:] + str(check_digit(number)) + "<" * 11
    second_core = "7408122F1204159UTO" + "<" * 11
    composite = first[5:30] + second_core[0:7] + second_core[8:15] + second_core[18:29]
    zone = parse_mrz([first, second_core + str(check_digit(composite)), TD1[2]], reference_year=2024)
    assert zone.document_number == number
    assert zone.valid, zone.failed_checks


@pytest.mark.parametrize(
    ("lines", "words"),
    [
        ([TD3[0]], "2 or 3 lines"),
        ([TD3[0][:-1], TD3[1]], "line 1 has 43 characters"),
        ([TD3[0], TD3[1][:-1]], "line 2 has 43 characters"),
        ([TD3[0], TD3[1][:5] + "-" + TD3[1][6:]], "line 2"),
    ],
)
def test_what_is_not_an_mrz_raises_a_clear_error(lines: list[str], words: str) -> None:
    with pytest.raises(MrzError, match=words):
        parse_mrz(lines, reference_year=2024)


def test_check_digits_of_known_values() -> None:
    assert check_digit("L898902C3") == 6
    assert check_digit("740812") == 2
    assert check_digit("120415") == 9
    assert check_digit("<<<<") == 0


FIELD = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=9, max_size=9)
NAME = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=12)


def compose_td3(number: str, surname: str, given: str, birth: date, expiry: date) -> list[str]:
    """A TD3 zone written the way the standard says, for the round-trip property."""
    first = f"P<UTO{surname}<<{given}".ljust(44, "<")[:44]
    birth_s, expiry_s, optional = birth.strftime("%y%m%d"), expiry.strftime("%y%m%d"), "<" * 14
    body = f"{number}{check_digit(number)}UTO{birth_s}{check_digit(birth_s)}F{expiry_s}{check_digit(expiry_s)}"
    body += optional + "<"
    composite = body[0:10] + body[13:20] + body[21:43]
    return [first, body + str(check_digit(composite))]


@given(FIELD, NAME, NAME, st.dates(date(1931, 1, 1), date(2024, 1, 1)), st.dates(date(2025, 1, 1), date(2070, 1, 1)))
def test_a_composed_passport_zone_round_trips(number: str, surname: str, given: str, birth: date, expiry: date) -> None:
    zone = parse_mrz(compose_td3(number, surname, given, birth, expiry), reference_year=2024)
    assert zone.valid
    assert (zone.document_number, zone.surname, zone.given_names) == (number, surname, given)
    assert (zone.birth_date, zone.expiry_date) == (birth, expiry)


DIGITS = st.text(alphabet="0123456789", min_size=9, max_size=9)


@given(DIGITS, st.integers(0, 8), st.integers(1, 9))
def test_changing_one_digit_of_the_number_is_caught(number: str, position: int, shift: int) -> None:
    """Weights 7, 3 and 1 are prime to 10, so any single changed digit changes the check digit.
    (A letter whose value moves by 10, A for K, is not caught: a limit of the scheme.)"""
    lines = compose_td3(number, "DOE", "JANE", date(1980, 1, 1), date(2030, 1, 1))
    new = str((int(number[position]) + shift) % 10)
    altered = lines[1][:position] + new + lines[1][position + 1 :]
    assert not parse_mrz([lines[0], altered], reference_year=2024).valid
