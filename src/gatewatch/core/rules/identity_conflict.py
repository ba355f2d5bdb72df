"""IDENTITY_CONFLICT: one person, one identity.

Procedure: the names and papers a person presents accumulate. A new name that is not a
variant of any name they gave before (spelling, order, accents, initials, particles and
transliterations are variants; a different name is not), a second document of the same
kind with another number or country, or a machine-readable zone whose check digits fail or
that disagrees with the document it is printed on (number, issuing state, name, expiry, or
the date of birth the person gave), is high: the person becomes of concern.

A zone whose layout the parser does not know (``unverifiable``: an unfamiliar shape, or a
document code and issuing state no known layout takes) cannot be checked, so it proves
nothing either way: it adds no finding. A zone that is not an MRZ at all (``MrzError``) does.
"""

from __future__ import annotations

from datetime import date

from gatewatch.core import events as ev
from gatewatch.core import wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.countries import same_country
from gatewatch.core.mrz import MrzError, parse_mrz
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


def check(state: State, event: ev.Identify) -> Alert | None:
    identity = state.identities.get(event.person, Identity())
    conflicts = [
        *name_conflicts(identity, event.name),
        *document_conflicts(identity, event.document),
        *mrz_conflicts(event.document, event.name, event.at.year, event.birth_date),
    ]
    if not conflicts:
        return None
    who = event.name or wording.person(state, event.person)
    return Alert(
        CODE,
        Severity.HIGH,
        f"{who} ({event.person}): {'; '.join(conflicts)}: of concern; hold at the gate and call the head of the guard",
        people=(event.person,),
        concern=(event.person,),
    )
