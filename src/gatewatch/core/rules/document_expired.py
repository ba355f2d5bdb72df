"""DOCUMENT_EXPIRED: papers past their expiry do not prove who someone is today.

Procedure: a document presented at ``identify`` whose expiry date (typed from the document,
or read from its machine-readable zone when none is typed) is before the day it is shown is a
warning: the guard asks for a valid document before the person goes further. It does not make
the person of concern: lapsed papers are usually an oversight, not a deception (a zone that
disagrees with its document is, and is ``IDENTITY_CONFLICT``'s).
"""

from __future__ import annotations

from datetime import date

from gatewatch.core import events as ev
from gatewatch.core import wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.mrz import MrzError, parse_mrz
from gatewatch.core.state import State

CODE = AlertCode.DOCUMENT_EXPIRED


def expiry_of(document: ev.Document, year: int) -> date | None:
    """The typed expiry, else the zone's (``None`` when neither is known or the zone is unreadable)."""
    if document.expiry is not None or not document.mrz:
        return document.expiry
    try:
        return parse_mrz(document.mrz, reference_year=year).expiry_date
    except MrzError:
        return None


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
