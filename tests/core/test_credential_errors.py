"""Errors a new user meets issuing a credential say what to write, not how it is checked.

Found trying the doors as a new user: a PIN of three digits was refused with the pattern it
did not match (``expected str matching regex '^([0-9]{4,12}|\\$argon2id\\$[!-~]+)$'``), and a
credential without its kind with ``missing``.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

import pytest

from gatewatch.core.errors import InvalidInput
from gatewatch.core.parse import parse_event
from rules.readers_site import readers_site
from support import START

CARD = {
    "id": "k1",
    "at": "09:00",
    "type": "credential",
    "person": "cook",
    "credential": "c-1",
    "kind": "card+pin",
    "by": "lead",
}


def refusal(raw: dict[str, Any]) -> InvalidInput:
    with pytest.raises(InvalidInput) as refused:
        parse_event(raw, readers_site(), UTC, START, default_id="k1")
    return refused.value


@pytest.mark.parametrize("pin", ["123", "12a4", "1234567890123"])
@pytest.mark.parametrize("field", ["pin", "duress_pin"])
def test_a_credentials_pin_not_of_4_to_12_digits_is_refused_in_words(field: str, pin: str) -> None:
    refused = refusal({**CARD, field: pin})
    assert refused.field == field
    assert "4 to 12 digits" in refused.problem and "regex" not in refused.problem, refused.problem


@pytest.mark.parametrize("pin", ["123", "12a4"])
def test_a_badges_pin_not_of_4_to_12_digits_is_refused_in_words(pin: str) -> None:
    refused = refusal(
        {"id": "b1", "at": "09:00", "type": "badge", "reader": "outer-out", "credential": "c-1", "pin": pin}
    )
    assert refused.field == "pin"
    assert "4 to 12 digits" in refused.problem and "regex" not in refused.problem, refused.problem


def test_a_credential_without_its_kind_is_told_the_kinds() -> None:
    refused = refusal({key: value for key, value in CARD.items() if key != "kind"})
    assert refused.field == "kind"
    assert refused.problem == "missing: one of card, pin, card+pin"
