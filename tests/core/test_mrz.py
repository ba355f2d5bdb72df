"""MRZ parsing and check digits on the ICAO Doc 9303 specimens (Utopia, Anna Maria Eriksson)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gatewatch.core.mrz import MrzError, beginnings, check_digit, parse_mrz, valid_until

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


# The French national identity card issued before 2021: 2 × 36, its own layout (not TD2).
# Specimen line pairs published with open-source MRZ parsers' test suites; their digits are real.
FRA_ID = ["IDFRATEST<NAME<<<<<<<<<<<<<<<<0CHE02", "1710GVA123451ROBERTA<<<<<<<9112311F2"]
FRA_ID_PARIS = ["IDFRAPETE<<<<<<<<<<<<<<<<<<<<<952042", "0509952018746NICOLAS<<PAUL<8206152M3"]


@pytest.mark.parametrize(
    ("lines", "surname", "given", "number", "born", "sex"),
    [
        (FRA_ID, "TEST NAME", "ROBERTA", "1710GVA12345", date(1991, 12, 31), "F"),
        (FRA_ID_PARIS, "PETE", "NICOLAS PAUL", "050995201874", date(1982, 6, 15), "M"),
    ],
)
def test_the_old_french_card_specimens_parse_and_every_check_digit_verifies(
    lines: list[str], surname: str, given: str, number: str, born: date, sex: str
) -> None:
    zone = parse_mrz(lines, reference_year=2024)
    assert (zone.format, zone.verdict, zone.failed_checks) == ("FRA_ID", "valid", ())
    assert (zone.document_code, zone.issuing_state, zone.nationality) == ("ID", "FRA", "FRA")
    assert (zone.surname, zone.given_names, zone.document_number) == (surname, given, number)
    assert (zone.birth_date, zone.sex) == (born, sex)


def test_the_old_french_card_has_no_expiry_but_its_number_gives_the_month_of_issue() -> None:
    zone = parse_mrz(FRA_ID, reference_year=2024)
    assert zone.expiry_date is None
    assert zone.issued == date(2017, 10, 1)
    assert zone.optional_data == ("0CHE02",)  # the issuing department and office
    assert zone.full_name == "Roberta Test Name"


@pytest.mark.parametrize(
    ("line", "position", "named"),
    [
        (1, 11, ("document_number", "composite")),  # a digit of the card number
        (1, 12, ("document_number", "composite")),  # the number's own check digit
        (1, 30, ("birth_date", "composite")),
        (1, 33, ("birth_date", "composite")),
        (1, 35, ("composite",)),
        (0, 35, ("composite",)),  # the office code on line 1, covered by the last digit only
    ],
)
def test_an_old_french_card_with_one_digit_altered_fails_the_right_check(
    line: int, position: int, named: tuple[str, ...]
) -> None:
    zone = parse_mrz(_corrupt(FRA_ID, line, position), reference_year=2024)
    assert (zone.format, zone.verdict, zone.failed_checks) == ("FRA_ID", "failed", named)


def test_the_old_french_card_is_never_read_as_td2() -> None:
    """Read as TD2 the same lines would fail every digit: TD2's number sits where the card has
    its number, but its dates sit where the card has the given names."""
    assert parse_mrz(FRA_ID, reference_year=2024).format == "FRA_ID"
    same_shape_elsewhere = ["I<UTO" + FRA_ID[0][5:], FRA_ID[1]]
    as_td2 = parse_mrz(same_shape_elsewhere, reference_year=2024)
    assert as_td2.format == "TD2"
    assert {"birth_date", "expiry_date", "composite"} <= set(as_td2.failed_checks)


def test_the_french_card_since_2021_is_td1() -> None:
    lines = ["IDFRA" + TD1[0][5:], TD1[1], TD1[2]]
    composite = lines[0][5:30] + lines[1][0:7] + lines[1][8:15] + lines[1][18:29]
    lines[1] = lines[1][:29] + str(check_digit(composite))
    zone = parse_mrz(lines, reference_year=2024)
    assert (zone.format, zone.verdict, zone.issuing_state) == ("TD1", "valid", "FRA")


def compose_old_french_card(surname: str, given: str, number: str, birth: date, sex: str) -> list[str]:
    """An old French card zone written the way its layout says, for the round-trip property."""
    first = f"IDFRA{surname.ljust(25, '<')[:25]}075123"
    birth_s = birth.strftime("%y%m%d")
    body = f"{number}{check_digit(number)}{given.ljust(14, '<')[:14]}{birth_s}{check_digit(birth_s)}{sex}"
    return [first, body + str(check_digit(first + body))]


CARD_NUMBER = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=12, max_size=12)


@given(NAME, NAME, CARD_NUMBER, st.dates(date(1925, 1, 1), date(2024, 1, 1)), st.sampled_from("MF"))
def test_a_composed_old_french_card_round_trips(surname: str, given: str, number: str, birth: date, sex: str) -> None:
    zone = parse_mrz(compose_old_french_card(surname, given, number, birth, sex), reference_year=2024)
    assert (zone.format, zone.verdict) == ("FRA_ID", "valid")
    assert (zone.surname, zone.given_names, zone.document_number) == (surname, given, number)
    assert (zone.birth_date, zone.sex, zone.expiry_date) == (birth, sex, None)


@pytest.mark.parametrize(
    ("lines", "because"),
    [
        # a passport code on a 2 × 36 zone from another country: no known layout takes it
        (
            ["P<BEL" + TD2[0][5:], TD2[1]],
            "no known layout of 2 lines of 36 characters begins with the document code P< and issuing state BEL",
        ),
        # a driving-licence code on an identity-card shape
        (["D1CHE" + TD1[0][5:], TD1[1], TD1[2]], "begins with the document code D1 and issuing state CHE"),
        # an identity card's code on a passport-sized zone
        (["I<UTO" + TD3[0][5:], TD3[1]], "2 lines of 44 characters begins with the document code I<"),
        # shapes no known layout has
        (["I<SVK" + "<" * 29, "1" * 34], "no known layout has 2 lines of 34 characters"),
        ([TD2[0], TD2[1], TD2[1]], "no known layout has 3 lines of 36 characters"),
    ],
)
def test_a_zone_of_a_layout_the_parser_does_not_know_is_unverifiable_not_failed(lines: list[str], because: str) -> None:
    zone = parse_mrz(lines, reference_year=2024)
    assert (zone.format, zone.verdict, zone.failed_checks) == (None, "unverifiable", ())
    assert because in zone.unverifiable_because
    assert not zone.valid
    assert (zone.document_number, zone.birth_date, zone.expiry_date) == ("", None, None)


@pytest.mark.parametrize(
    ("lines", "begun"),
    [
        (["X<UTO" + TD3[0][5:], TD3[1]], ("P", "V")),
        ([" d1che" + TD1[0][5:].lower() + " ", TD1[1], TD1[2]], ("A", "C", "I")),
        (["P<BEL" + TD2[0][5:], TD2[1]], ("IDFRA", "V", "A", "C", "I")),
        (["I<SVK" + "<" * 29, "1" * 34], ()),
        ([TD2[0], TD2[1], TD2[1]], ()),
    ],
)
def test_the_beginnings_of_the_known_layouts_of_a_zone_s_shape(lines: list[str], begun: tuple[str, ...]) -> None:
    """A zone of a familiar shape that no layout takes can be told from one of an unfamiliar shape."""
    assert beginnings(lines) == begun


def test_the_verdict_of_known_layouts_is_valid_or_failed() -> None:
    assert parse_mrz(TD3, reference_year=2024).verdict == "valid"
    assert parse_mrz(_corrupt(TD3, 1, 9), reference_year=2024).verdict == "failed"


@pytest.mark.parametrize(
    ("lines", "words"),
    [
        ([TD3[0], TD3[1], TD1[0], TD1[1]], "2 or 3 lines, not 4"),
        ([TD3[0] + "<", TD3[1] + "<"], "line 1 has 45 characters; MRZ lines have 30 to 44"),
        (["I<UTO<<<<<", "1234567890"], "line 1 has 10 characters"),
        ([TD2[0], TD3[1]], "line 2 has 44 characters but line 1 has 36"),
        ([FRA_ID[0], FRA_ID[1][:-1]], "line 2 has 35 characters but line 1 has 36"),
        (["", TD3[1]], "line 1 has 0 characters"),
    ],
)
def test_what_is_not_an_mrz_still_raises_a_clear_error(lines: list[str], words: str) -> None:
    with pytest.raises(MrzError, match=words):
        parse_mrz(lines, reference_year=2024)


@pytest.mark.parametrize(
    ("issued", "born", "printed", "until"),
    [
        ("0401", date(1960, 1, 1), date(2014, 1, 5), date(2019, 1, 5)),  # first month extended
        ("1312", date(1960, 1, 1), date(2023, 12, 9), date(2028, 12, 9)),  # last month extended
        ("0312", date(1960, 1, 1), date(2013, 12, 9), date(2013, 12, 9)),  # before 2004: 10 years
        ("1401", date(1960, 1, 1), date(2029, 1, 5), date(2029, 1, 5)),  # from 2014: 15 years printed
        ("0909", date(1991, 9, 30), date(2019, 9, 12), date(2024, 9, 12)),  # 18 within the month of issue
        ("0909", date(1991, 10, 1), date(2019, 9, 12), date(2019, 9, 12)),  # 18 the month after: a minor's card
        ("0603", date(1960, 1, 1), date(2016, 2, 29), date(2021, 3, 1)),  # 29 February five years on
    ],
)
def test_an_old_french_card_of_an_adult_issued_2004_to_2013_is_valid_five_years_past_its_printed_date(
    issued: str, born: date, printed: date, until: date
) -> None:
    zone = parse_mrz(compose_old_french_card("DOE", "JANE", issued + "75012345", born, "F"), reference_year=2024)
    assert zone.issued == date(2000 + int(issued[:2]), int(issued[2:]), 1)
    assert valid_until(zone, printed) == until


def test_only_a_sound_old_french_card_earns_the_extra_years() -> None:
    printed = date(2019, 9, 12)
    card = compose_old_french_card("DOE", "JANE", "090975012345", date(1960, 1, 1), "F")
    assert valid_until(parse_mrz(card, reference_year=2024), printed) == date(2024, 9, 12)
    assert valid_until(parse_mrz(_corrupt(card, 1, 35), reference_year=2024), printed) == printed
    assert valid_until(parse_mrz(TD3, reference_year=2024), printed) == printed
