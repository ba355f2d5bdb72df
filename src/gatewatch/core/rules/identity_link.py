"""IDENTITY_LINK: two people on record, one thread between them.

Procedure: every document number, phone number, vehicle plate, address and employer a person
presents is kept. When one of them was already presented by someone else, both are named, high:
they may be one person under two names (the man who was "Jacques Mornard" on a Belgian
passport and "Frank Jacson" on a Canadian one), or people who know each other; check both
before admitting either. A shared document number is one person's papers in two names: both
become of concern. Spelling and spacing are set aside (``JX 1940817`` is ``jx1940817``; an address
is its words), and the same person presenting the same thing again is no link. A phone is the
number it dials (``gatewatch.core.phones``): ``+44 (0)20 7946 0958``, ``0044 20 7946 0958`` and,
at a site whose ``country`` is GB, ``020 7946 0958`` are one number; and it is its digits as well,
``0033`` being ``+33``, so that a number written the same way twice always meets itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from msgspec.structs import replace

from gatewatch.core import events as ev
from gatewatch.core import phones, wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.countries import country_key
from gatewatch.core.state import State

CODE = AlertCode.IDENTITY_LINK
MIN_PHONE_DIGITS = phones.FEWEST_DIGITS
_WORDS = re.compile(r"[^\w]+")


def _alnum(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def _words(text: str) -> str:
    """Words only: case, accents and punctuation set aside (``Ancienne-Comédie`` is ``ancienne comedie``)."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(ch))
    return " ".join(_WORDS.sub(" ", plain).split())


def threads(event: ev.Identify, site_country: str | None = None) -> Iterator[tuple[str, str]]:
    """Each identifier the event presents: its key in the index, and how a guard reads it.

    ``site_country``: the site's (ISO 3166-1 alpha-2), for phone numbers written nationally."""
    if event.document is not None and _alnum(event.document.number):
        country = country_key(event.document.country)
        number = _alnum(event.document.number)
        yield f"document:{country}:{number}", f"{event.document.kind} {event.document.country} {event.document.number}"
    if event.phone is not None:
        for number in phones.keys(event.phone, site_country):
            yield f"phone:{number}", f"phone {event.phone}"
    if event.vehicle is not None and _alnum(event.vehicle):
        yield f"vehicle:{_alnum(event.vehicle)}", f"vehicle {event.vehicle}"
    if event.address is not None and _words(event.address):
        yield f"address:{_words(event.address)}", f"address {event.address}"
    if event.employer is not None and _words(event.employer):
        yield f"employer:{_words(event.employer)}", f"employer {event.employer}"


def check(state: State, event: ev.Identify) -> Alert | None:
    linked: dict[str, list[str]] = {}
    papers: set[str] = set()
    for key, said in threads(event, state.site.country):
        for other in state.identifiers.get(key, ()):
            if other != event.person:
                told = linked.setdefault(other, [])
                if said not in told:  # one phone met under both its keys is said once
                    told.append(said)
                if key.startswith("document:"):
                    papers.add(other)
    if not linked:
        return None
    who = f"{event.name or wording.person(state, event.person)} ({event.person})"
    shared = "; ".join(
        f"{' and '.join(things)} with {wording.person(state, other)} ({other})" for other, things in linked.items()
    )
    same_papers = " The same papers under two names: both are of concern." if papers else ""
    return Alert(
        CODE,
        Severity.HIGH,
        f"{who} shares {shared}: perhaps one person under two names; check both before admitting either.{same_papers}",
        people=(event.person, *linked),
        concern=(event.person, *sorted(papers)) if papers else (),
    )


def remember(state: State, event: ev.Identify) -> State:
    """Keep what the event presented, under each identifier, for the links to come."""
    identifiers = state.identifiers
    for key, _ in threads(event, state.site.country):
        holders = identifiers.get(key, ())
        if event.person not in holders:
            identifiers = identifiers.set(key, (*holders, event.person))
    return state if identifiers is state.identifiers else replace(state, identifiers=identifiers)
