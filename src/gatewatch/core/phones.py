"""Phone numbers: one key per number, however it was written.

Procedure: a number written internationally (a leading ``+``, or ``00``, which is read as
``+``) is read on its own; a number written nationally (no ``+``, no ``00``) is read as a
number of the site's country, when the site names one. A number so read is kept in E.164
(``+442079460958``), with its extension if it has one: spaces, dashes, brackets and the
trunk zero some write in brackets (``+44 (0)20 7946 0958``) are set aside, and ``020 7946
0958`` written at a site in Great Britain is the same number. Whether read or not, a number
is also kept as its digits (``00`` dropped), as it always was: a number no country can be
given for (a national number at a site that names no country) or that is no number at all
still meets the same digits written again, and a number that met another that way before
still meets it. A key shorter than ``FEWEST_DIGITS`` digits is no key: too little to tell
one caller from another; nor is a number of one digit repeated (``0000000``, ``+44 111 1111``:
what is written by someone who will not give a number), which would link every visitor who
wrote it. The site's country may be given in either case (``gb`` is ``GB``).

Reading numbers is ``phonenumbers``' work (libphonenumber's metadata); it is loaded on first
use, so that the engine starts without it.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

FEWEST_DIGITS = 6
"""The fewest digits a number needs to count as a thread between two people."""

PLUS = "+＋"
"""The plus signs a number may start with (the full-width one too)."""

INTERNATIONAL = "00"
"""The international prefix read as ``+`` wherever the site is."""


def digits(phone: str) -> str:
    """The number as its digits alone, in ASCII (``０２０`` is ``020``), a leading ``00`` dropped
    (so that ``0033…`` is ``+33…``)."""
    found = _ascii_digits(phone)
    return found[len(INTERNATIONAL) :] if found.startswith(INTERNATIONAL) else found


def _ascii_digits(text: str) -> str:
    """The digits in the text, each written in ASCII, everything else left out."""
    return "".join(str(unicodedata.digit(ch)) for ch in text if ch.isdigit())


def written_internationally(phone: str) -> str | None:
    """The number from its ``+`` on (``00`` turned into ``+``) if it is written internationally; else None."""
    start = next((i for i, ch in enumerate(phone) if ch in PLUS or ch.isdigit()), None)
    if start is None:
        return None
    rest = phone[start:]
    if rest[0] in PLUS:
        return rest
    head = rest[: len(INTERNATIONAL)]
    if head.isdigit() and _ascii_digits(head) == INTERNATIONAL:
        return "+" + rest[len(INTERNATIONAL) :]
    return None


PLACEHOLDER = ""
"""What ``international`` gives for a number of one digit repeated: no key at all."""


@lru_cache(maxsize=4096)
def international(phone: str, country: str | None) -> str | None:
    """The number in E.164 (``;ext=`` and its extension after, if any), None if it cannot be
    read, or ``PLACEHOLDER`` if what it reads as is one digit repeated.

    Written internationally, it is read on its own; written nationally, as a number of
    ``country`` (ISO 3166-1 alpha-2, in either case), or not at all when no country is given."""
    import phonenumbers  # loaded on first use (the engine starts faster)

    written = written_internationally(phone)
    text, region = (written, None) if written is not None else (phone, country and country.strip().upper())
    if region is None and written is None:
        return None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if _one_digit_repeated(str(number.national_number)):
        return PLACEHOLDER
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return f"{e164};ext={number.extension}" if number.extension else e164


def keys(phone: str, country: str | None) -> tuple[str, ...]:
    """Every key the number is kept under: its E.164 form if it can be read, and its digits.

    The E.164 key starts with ``+`` and the digits key never does, so the two cannot meet; a
    key with fewer than ``FEWEST_DIGITS`` digits, or of one digit repeated, is left out, and a
    number that reads as one digit repeated after its country code has no key at all."""
    read = international(phone, country)
    if read == PLACEHOLDER:
        return ()
    found = [read, digits(phone)]
    return tuple(dict.fromkeys(key for key in found if key is not None and _enough(key)))


def _enough(key: str) -> bool:
    """Enough digits to tell one caller from another, and not one digit repeated."""
    number = [ch for ch in key.split(";", 1)[0] if ch.isdigit()]
    return len(number) >= FEWEST_DIGITS and not _one_digit_repeated("".join(number))


def _one_digit_repeated(number: str) -> bool:
    """``0000000``, ``1111111``: a placeholder, not a number."""
    return len(set(number)) <= 1


@lru_cache(maxsize=1)
def _regions() -> frozenset[str]:
    import phonenumbers

    return frozenset(phonenumbers.SUPPORTED_REGIONS)


def country_code(written: str) -> str | None:
    """The ISO 3166-1 alpha-2 code as kept (``mx`` is ``MX``), or None if it names no country with phone numbers."""
    code = written.strip().upper()
    return code if len(code) == 2 and code.isascii() and code.isalpha() and code in _regions() else None
