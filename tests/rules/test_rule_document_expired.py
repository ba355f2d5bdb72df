"""DOCUMENT_EXPIRED: papers past their expiry, typed or read from the zone."""

from __future__ import annotations

from gatewatch.core.mrz import check_digit
from support import codes, play


def identify(document: str, at: str = "2024-06-03T09:00", name: str = "Frank Jacson") -> str:
    return f'- {{id: i1, at: "{at}", type: identify, person: vic, name: {name}, document: {document}}}\n'


def _td3(expiry: str) -> str:
    first = "P<CANJACSON<<FRANK".ljust(44, "<")
    body = f"JX19408174CAN1302077M{expiry}{check_digit(expiry)}" + "<" * 15
    return f'["{first}", "{body}{check_digit(body[0:10] + body[13:20] + body[21:43])}"]'


def test_fires_for_a_typed_expiry_before_the_day_shown() -> None:
    state, out = play(identify("{kind: passport, country: CA, number: JX1, expiry: 2024-06-02}"))
    (alert,) = out[0].alerts
    assert (alert.code, alert.severity.label) == ("DOCUMENT_EXPIRED", "warning")
    assert "expired on 02 June 2024" in alert.message
    assert not state.of_concern("vic")


def test_fires_for_an_expiry_read_from_the_zone() -> None:
    _, out = play(identify(f"{{kind: passport, country: CA, number: JX1940817, mrz: {_td3('240101')}}}"))
    assert codes(out[0]) == ["DOCUMENT_EXPIRED"]


def test_near_miss_valid_until_the_day_itself() -> None:
    _, out = play(identify("{kind: passport, country: CA, number: JX1, expiry: 2024-06-03}"))
    assert codes(out[0]) == []


def _old_french_card(number: str, born: str, expiry: str = "") -> str:
    """An old French identity card (before 2021): its zone has no expiry; ``expiry`` is typed."""
    first = "IDFRAJACSON".ljust(30, "<") + "075123"
    body = f"{number}{check_digit(number)}{'FRANK'.ljust(14, '<')}{born}{check_digit(born)}M"
    zone = f'["{first}", "{body}{check_digit(first + body)}"]'
    typed = f", expiry: {expiry}" if expiry else ""
    return f'{{kind: identity card, country: FR, number: "{number}"{typed}, mrz: {zone}}}'


def test_quiet_for_an_old_french_card_whose_zone_has_no_expiry() -> None:
    _, out = play(identify(_old_french_card("171075012345", "600101"), at="2024-06-03T09:00"))
    assert codes(out[0]) == []


def test_quiet_for_an_old_french_card_of_an_adult_within_its_five_extra_years() -> None:
    """Issued September 2009 to someone born in 1960: printed 2019, valid to 2024 by law."""
    card = _old_french_card("090975012345", "600101", expiry="2019-09-12")
    _, out = play(identify(card, at="2024-09-12T09:00"))
    assert codes(out[0]) == []


def test_fires_for_an_old_french_card_of_an_adult_past_its_five_extra_years() -> None:
    card = _old_french_card("090975012345", "600101", expiry="2019-09-12")
    _, out = play(identify(card, at="2024-09-13T09:00"))
    (alert,) = out[0].alerts
    assert alert.code == "DOCUMENT_EXPIRED"
    assert "expired on 12 September 2024" in alert.message


def test_fires_for_an_old_french_card_issued_to_a_minor_past_its_printed_date() -> None:
    """Born in 1995, the holder was 14 at issue: the card kept its 10 years."""
    card = _old_french_card("090975012345", "950101", expiry="2019-09-12")
    _, out = play(identify(card))
    assert codes(out[0]) == ["DOCUMENT_EXPIRED"]
    assert "expired on 12 September 2019" in out[0].alerts[0].message


def test_quiet_for_a_zone_of_a_layout_the_parser_does_not_know() -> None:
    """The same lines as a passport zone that expired, under an identity card's code: the parser
    knows no 2 × 44 identity card, so it reads no date from them."""
    lapsed = _td3("240101").replace('"P<CAN', '"I<CAN')
    _, out = play(identify(f"{{kind: identity card, country: CA, number: JX1940817, mrz: {lapsed}}}"))
    assert "DOCUMENT_EXPIRED" not in codes(out[0])  # the zone is flagged for a look (IDENTITY_CONFLICT)
