"""IDENTITY_CONFLICT: one person, one identity.

Procedure: the names and papers a person presents accumulate. A new name that is not a
variant of any name they gave before (spelling, order, accents, initials, particles and
transliterations are variants; a different name is not), a second document of the same
kind with another number or country, or a machine-readable zone whose check digits fail or
that disagrees with the document it is printed on (number, issuing state, name, expiry, or
the date of birth the person gave), is high: the person becomes of concern.

A zone whose layout the parser does not know (``unverifiable``) cannot be checked, so it
proves nothing either way: it adds no finding, and a zone of an unfamiliar shape (a national
layout) raises nothing. But a zone of a familiar shape (3 × 30, 2 × 36, 2 × 44: the ICAO
shapes, which every state's passports and ICAO cards have) whose document code no layout of
that shape takes is worth a look: changing that one character, which no check digit covers,
is all a forger needs to escape every check above. Such a zone is a warning, not of concern
(an honest national document of that shape may begin so): the guard compares the zone with
the document by eye, told how zones of that shape begin. The issuing state is not asked
about: it is written in the same line, and a forger who changes the code can change it too.
A zone that is not an MRZ at all (``MrzError``) is a finding.
"""

from __future__ import annotations

from datetime import date

from gatewatch.core import events as ev
from gatewatch.core import wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.countries import same_country
from gatewatch.core.mrz import MrzError, beginnings, parse_mrz
from gatewatch.core.names import is_variant
from gatewatch.core.state import Identity, State

CODE = AlertCode.IDENTITY_CONFLICT


def _number(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def name_conflicts(identity: Identity, name: str | None) -> list[str]:
    if not name or not identity.names or any(is_variant(name, n) for n in identity.names):
        return []
    earlier = " / ".join(f'"{n}"' for n in identity.names)
    return [f'the name "{name}" is not a variant of {earlier}']


def document_conflicts(identity: Identity, document: ev.Document | None) -> list[str]:
    if document is None:
        return []
    found = []
    for earlier in identity.documents:
        if earlier.kind.strip().lower() != document.kind.strip().lower():
            continue
        if _number(earlier.number) != _number(document.number) or not same_country(earlier.country, document.country):
            found.append(
                f"a second {document.kind}: {document.country} {document.number} after "
                f"{earlier.country} {earlier.number}"
            )
    return found


def mrz_conflicts(document: ev.Document | None, name: str | None, year: int, born: date | None = None) -> list[str]:
    """What the zone says that the document's typed fields (and the person's name and date of
    birth as given) do not."""
    if document is None or not document.mrz:
        return []
    try:
        zone = parse_mrz(document.mrz, reference_year=year)
    except MrzError as error:
        return [f"the machine-readable zone cannot be read ({error})"]
    if zone.verdict == "unverifiable":
        return []
    found = [f"the MRZ check digit fails for {', '.join(zone.failed_checks)}"] if zone.failed_checks else []
    if _number(zone.document_number) != _number(document.number):
        found.append(f"the MRZ number {zone.document_number} is not the document's {document.number}")
    if not same_country(zone.issuing_state, document.country):
        found.append(f"the MRZ issuing state {zone.issuing_state} is not the document's {document.country}")
    if name and not is_variant(zone.full_name, name):
        found.append(f'the MRZ name "{zone.full_name}" is not a variant of "{name}"')
    if document.expiry is not None and zone.expiry_date is not None and zone.expiry_date != document.expiry:
        found.append(f"the MRZ expiry {zone.expiry_date} is not the document's {document.expiry}")
    if born is not None and zone.birth_date is not None and f"{zone.birth_date:%y%m%d}" != f"{born:%y%m%d}":
        # the zone gives the year in two digits: only those can disagree
        found.append(f"the MRZ date of birth (YYMMDD {zone.birth_date:%y%m%d}) is not the {born} given")
    return found


def zone_to_look_at(document: ev.Document | None, year: int) -> str | None:
    """Why the document's zone needs a look by eye: it has the shape of known layouts but begins
    as none of them does, so nothing in it was checked; ``None`` for any other zone."""
    if document is None or not document.mrz:
        return None
    try:
        zone = parse_mrz(document.mrz, reference_year=year)
    except MrzError:
        return None  # not a zone at all: a conflict of its own (mrz_conflicts)
    familiar = beginnings(document.mrz)
    if zone.verdict != "unverifiable" or not familiar:
        return None
    begun = document.mrz[0].strip().upper()[:5]  # the document code and issuing state, as written
    return (
        f'the machine-readable zone could not be checked: it begins "{begun}", but zones of its shape begin '
        f"{' or '.join(familiar)}; compare it with the document by eye (an altered document code escapes every check)"
    )


def check(state: State, event: ev.Identify) -> Alert | None:
    identity = state.identities.get(event.person, Identity())
    conflicts = [
        *name_conflicts(identity, event.name),
        *document_conflicts(identity, event.document),
        *mrz_conflicts(event.document, event.name, event.at.year, event.birth_date),
    ]
    look = zone_to_look_at(event.document, event.at.year)
    if not conflicts and look is None:
        return None
    who = f"{event.name or wording.person(state, event.person)} ({event.person})"
    if not conflicts:
        return Alert(CODE, Severity.WARNING, f"{who}: {look}; not of concern by itself", people=(event.person,))
    found = "; ".join([*conflicts, *([look] if look else [])])
    return Alert(
        CODE,
        Severity.HIGH,
        f"{who}: {found}: of concern; hold at the gate and call the head of the guard",
        people=(event.person,),
        concern=(event.person,),
    )
