"""IDENTITY_CONFLICT: one person, one identity; variants are not conflicts."""

from gatewatch.core.mrz import check_digit
from support import codes, play


def identify(ident: str, person: str, name: str, document: str = "") -> str:
    doc = f", document: {document}" if document else ""
    return f'- {{id: {ident}, at: "2024-06-03T09:00", type: identify, person: {person}, name: "{name}"{doc}}}\n'


def test_fires_for_a_different_name() -> None:
    state, out = play(identify("i1", "vic", "Frank Jacson") + identify("i2", "vic", "Jacques Mornard"))
    assert codes(out[0]) == []
    (alert,) = out[1].alerts
    assert (alert.code, alert.severity.label) == ("IDENTITY_CONFLICT", "high")
    assert '"Jacques Mornard" is not a variant of "Frank Jacson"' in alert.message
    assert state.of_concern("vic")


def test_quiet_for_variants_of_a_registered_name() -> None:
    _, out = play(identify("i1", "boss", "PRINCIPAL, Anna") + identify("i2", "res", "Ruth  Résident"))
    assert codes(out[0]) == [] and codes(out[1]) == []


def test_fires_for_a_second_passport_with_another_number() -> None:
    _, out = play(
        identify("i1", "vic", "Frank Jacson", "{kind: passport, country: CA, number: X1}")
        + identify("i2", "vic", "Frank Jacson", "{kind: passport, country: CA, number: X2}")
    )
    assert "a second passport" in out[1].alerts[0].message


def test_quiet_for_the_same_passport_with_the_country_written_otherwise() -> None:
    _, out = play(
        identify("i1", "vic", "Frank Jacson", "{kind: passport, country: BE, number: Y-2}")
        + identify("i2", "vic", "Frank Jacson", "{kind: passport, country: BEL, number: y2}")
    )
    assert codes(out[1]) == []


def _mrz(number: str, surname: str, given: str) -> str:
    first = f"P<CAN{surname}<<{given}".ljust(44, "<")
    body = f"{number:<9}{check_digit(number.ljust(9, '<'))}CAN0402132M4401052" + "<" * 15
    return f'["{first}", "{body}{check_digit(body[0:10] + body[13:20] + body[21:43])}"]'


def test_quiet_for_a_zone_that_matches_its_passport() -> None:
    mrz = _mrz("JX1940817", "JACSON", "FRANK")
    _, out = play(
        identify("i1", "vic", "Frank Jacson", f"{{kind: passport, country: CA, number: JX1940817, mrz: {mrz}}}")
    )
    assert codes(out[0]) == []


def test_fires_for_a_zone_that_belongs_to_another_document() -> None:
    mrz = _mrz("JX1940817", "MORNARD", "JACQUES")
    _, out = play(
        identify("i1", "vic", "Frank Jacson", f"{{kind: passport, country: CA, number: JX1940818, mrz: {mrz}}}")
    )
    message = out[0].alerts[0].message
    assert "the MRZ number JX1940817 is not the document's JX1940818" in message
    assert 'the MRZ name "Jacques Mornard" is not a variant of "Frank Jacson"' in message


def test_fires_for_a_zone_whose_check_digits_fail() -> None:
    mrz = _mrz("JX1940817", "JACSON", "FRANK").replace("JX19408174", "JX19408175")
    _, out = play(
        identify("i1", "vic", "Frank Jacson", f"{{kind: passport, country: CA, number: JX1940817, mrz: {mrz}}}")
    )
    assert "check digit fails for document_number" in out[0].alerts[0].message


def test_fires_for_a_zone_whose_expiry_or_birth_date_is_not_what_was_typed() -> None:
    mrz = _mrz("JX1940817", "JACSON", "FRANK")  # born 1904-02-13, expires 2044-01-05
    document = f"{{kind: passport, country: CA, number: JX1940817, expiry: 2045-01-05, mrz: {mrz}}}"
    _, out = play(
        f'- {{id: i1, at: "2024-06-03T09:00", type: identify, person: vic, name: Frank Jacson, '
        f"birth_date: 1905-02-13, document: {document}}}\n"
    )
    message = out[0].alerts[0].message
    assert "the MRZ expiry 2044-01-05 is not the document's 2045-01-05" in message
    assert "the MRZ date of birth (YYMMDD 040213) is not the 1905-02-13 given" in message


def test_quiet_for_a_zone_whose_expiry_and_birth_date_agree_with_what_was_typed() -> None:
    mrz = _mrz("JX1940817", "JACSON", "FRANK")
    document = f"{{kind: passport, country: CA, number: JX1940817, expiry: 2044-01-05, mrz: {mrz}}}"
    _, out = play(
        f'- {{id: i1, at: "2024-06-03T09:00", type: identify, person: vic, name: Frank Jacson, '
        f"birth_date: 1904-02-13, document: {document}}}\n"
    )
    assert codes(out[0]) == []


# An old French identity card (before 2021: 2 × 36, not TD2); a published specimen, digits real.
FRENCH_CARD = ("IDFRATEST<NAME<<<<<<<<<<<<<<<<0CHE02", "1710GVA123451ROBERTA<<<<<<<9112311F2")


def _card(lines: tuple[str, str], number: str = "1710GVA12345") -> str:
    return f'{{kind: identity card, country: FR, number: {number}, mrz: ["{lines[0]}", "{lines[1]}"]}}'


def _roberta(document: str) -> str:
    return (
        '- {id: i1, at: "2024-06-03T09:00", type: identify, person: vic, name: Roberta Test Name, '
        f"birth_date: 1991-12-31, document: {document}}}\n"
    )


def test_quiet_for_an_old_french_card_that_matches_its_holder() -> None:
    state, out = play(_roberta(_card(FRENCH_CARD)))
    assert codes(out[0]) == []
    assert not state.of_concern("vic")


def test_fires_for_an_old_french_card_whose_number_digit_fails() -> None:
    altered = (FRENCH_CARD[0], "1710GVA123461" + FRENCH_CARD[1][13:])
    _, out = play(_roberta(_card(altered, number="1710GVA12346")))
    assert "the MRZ check digit fails for document_number, composite" in out[0].alerts[0].message


def test_fires_for_an_old_french_card_that_belongs_to_another_card() -> None:
    _, out = play(_roberta(_card(FRENCH_CARD, number="1710GVA12399")))
    message = out[0].alerts[0].message
    assert "the MRZ number 1710GVA12345 is not the document's 1710GVA12399" in message
    assert "check digit" not in message


def _two_by_36(code: str) -> str:
    """A 2 × 36 zone whose line 2 is not TD2's: read as TD2 every digit would fail."""
    first = f"{code}BELJACSON<<FRANK".ljust(36, "<")
    return f'["{first}", "{"1234567890ABCDEFGHIJKLMNOPQRSTUVWXYZ"}"]'


def test_a_zone_of_a_familiar_shape_that_no_layout_takes_is_a_warning_to_look_not_a_concern() -> None:
    document = f"{{kind: driving licence, country: BE, number: X1, mrz: {_two_by_36('P<')}}}"
    state, out = play(identify("i1", "vic", "Frank Jacson", document))
    (alert,) = out[0].alerts
    assert (alert.code, alert.severity.label) == ("IDENTITY_CONFLICT", "warning")
    assert 'it begins "P<BEL", but zones of its shape begin IDFRA or V or A or C or I' in alert.message
    assert not state.of_concern("vic")


def test_quiet_for_a_zone_of_a_shape_no_known_layout_has() -> None:
    lines = ("P<BELJACSON<<FRANK".ljust(40, "<"), "1234567890ABCDEFGHIJKLMNOPQRSTUVWXYZ1234")
    document = f'{{kind: driving licence, country: BE, number: X1, mrz: ["{lines[0]}", "{lines[1]}"]}}'
    state, out = play(identify("i1", "vic", "Frank Jacson", document))
    assert codes(out[0]) == []
    assert not state.of_concern("vic")


def test_a_passport_zone_whose_document_code_was_altered_is_flagged_for_a_look() -> None:
    """The zone of another man's passport, its code changed from P to X: no digit covers the
    code, so the zone is unverifiable and its name and number are never compared."""
    mrz = _mrz("JX1940817", "MORNARD", "JACQUES").replace('["P<CAN', '["X<CAN')
    document = f"{{kind: passport, country: CA, number: JX1940818, mrz: {mrz}}}"
    state, out = play(identify("i1", "vic", "Frank Jacson", document))
    (alert,) = out[0].alerts
    assert (alert.code, alert.severity.label) == ("IDENTITY_CONFLICT", "warning")
    assert 'it begins "X<CAN", but zones of its shape begin P or V' in alert.message
    assert "compare it with the document by eye" in alert.message
    assert not state.of_concern("vic")


def test_a_flagged_zone_is_said_beside_the_conflicts_of_a_high_alert() -> None:
    mrz = _mrz("JX1940817", "JACSON", "FRANK").replace('["P<CAN', '["X<CAN')
    _, out = play(
        identify("i1", "vic", "Frank Jacson")
        + identify("i2", "vic", "Jacques Mornard", f"{{kind: passport, country: CA, number: JX1940817, mrz: {mrz}}}")
    )
    (alert,) = out[1].alerts
    assert alert.severity.label == "high"
    assert '"Jacques Mornard" is not a variant of "Frank Jacson"' in alert.message
    assert 'it begins "X<CAN"' in alert.message


def test_fires_for_the_same_zone_under_a_td2_code() -> None:
    document = f"{{kind: driving licence, country: BE, number: X1, mrz: {_two_by_36('I<')}}}"
    _, out = play(identify("i1", "vic", "Frank Jacson", document))
    assert "the MRZ check digit fails for" in out[0].alerts[0].message
