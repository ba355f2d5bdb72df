"""DOCUMENT_EXPIRED: papers past their expiry do not prove who someone is today.

Procedure: a document presented at ``identify`` whose expiry date (typed from the document,
or read from its machine-readable zone when none is typed) is before the day it is shown is a
warning: the guard asks for a valid document before the person goes further. It does not make
the person of concern: lapsed papers are usually an oversight, not a deception (a zone that
disagrees with its document is, and is ``IDENTITY_CONFLICT``'s).

A zone of a layout the parser does not know (``unverifiable``) gives no expiry: its dates are
not read. The French identity card issued before 2021 has no expiry in its zone either, so
only a typed expiry can lapse it; and as French law extended the cards issued in 2004–2013 to
adults from 10 to 15 years without changing the printed date, such a card (known by its zone)
is valid five years past the typed date (``valid_until``).
"""

from __future__ import annotations

from datetime import date

from gatewatch.core import events as ev
from gatewatch.core import wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.mrz import Mrz, MrzError, parse_mrz, valid_until
from gatewatch.core.state import State

CODE = AlertCode.DOCUMENT_EXPIRED


def _zone(document: ev.Document, year: int) -> Mrz | None:
    """The document's zone when it has one that a known layout reads."""
    if not document.mrz:
        return None
    try:
        zone = parse_mrz(document.mrz, reference_year=year)
    except MrzError:
        return None
    return None if zone.verdict == "unverifiable" else zone


def expiry_of(document: ev.Document, year: int) -> date | None:
    """The last valid day: the typed expiry (as the law extends it for the document the zone
    shows), else the zone's (``None`` when neither is known or the zone is unreadable)."""
    zone = _zone(document, year)
    if document.expiry is not None:
        return document.expiry if zone is None else valid_until(zone, document.expiry)
    return None if zone is None else zone.expiry_date


def check(state: State, event: ev.Identify) -> Alert | None:
    if event.document is None:
        return None
    expiry = expiry_of(event.document, event.at.year)
    shown = event.at.date()
    if expiry is None or expiry >= shown:
        return None
    who = event.name or wording.person(state, event.person)
    document = event.document
    return Alert(
        CODE,
        Severity.WARNING,
        f"{who} ({event.person}) showed a {document.kind} ({document.country} {document.number}) that expired on "
        f"{expiry:%d %B %Y}: ask for a valid document before letting them further",
        people=(event.person,),
    )
