"""DOCUMENT_EXPIRED: papers past their expiry, typed or read from the zone."""

from __future__ import annotations

from gatewatch.core.mrz import check_digit
from support import codes, play


def identify(document: str, at: str = "2024-06-03T09:00") -> str:
    return f'- {{id: i1, at: "{at}", type: identify, person: vic, name: Frank Jacson, document: {document}}}\n'


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
