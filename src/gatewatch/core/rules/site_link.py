"""SITE_LINK: head office found the same document, phone or vehicle presented here and at another site.

Procedure: head office compares what every site's people presented. When the document, phone
or vehicle that X presented here was presented at site S by Y (under the name Y gave there),
head office tells both sites, and each records it (``site_link``). Both people are named, high:
they may be one person under two names, moving between the sites; a lead checks both before
either is admitted again. The same papers under two names make the person here of concern (as
``identity_link`` does within one site); a shared phone or vehicle is said, and left to the lead.
The person here may no longer be known to this site's record (the retention rules redacted
them): the link is still taken, and the alert says so. The other site's person id is that
site's: the alert names it beside the site, and it names no one here.
"""

from __future__ import annotations

from datetime import datetime

from gatewatch.core import events as ev
from gatewatch.core import wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.state import State

CODE = AlertCode.SITE_LINK
SAID = {"document": "the same document", "phone": "the same phone number", "vehicle": "the same vehicle"}


def here(state: State, event: ev.SiteLink) -> str:
    """Who the link names on this site: ``Jacques Mornard (mornard)``, or that the record no longer knows them."""
    if event.person not in state.people:
        return f"{event.person}, whom this site's record no longer knows (their entries may have been redacted),"
    name = wording.person(state, event.person)
    if name == event.person:
        return f"{event.person}, whose identity this site's record no longer holds (the retention rules redacted it),"
    return f"{name} ({event.person})"


def there(event: ev.SiteLink) -> str:
    """Who presented it there, and when: ``Frank Jacson (p-9) at site lyon on 2024-06-02 14:05 UTC+02:00``."""
    name = f"{event.other_name} ({event.other_person})" if event.other_name else event.other_person
    return f"{name} at site {event.other_site} on {when(event.other_at)}"


def when(at: datetime) -> str:
    """A time with its offset from UTC (the other site's clock may not be this one's)."""
    offset = at.strftime("%z")
    return f"{at:%Y-%m-%d %H:%M} UTC{offset[:3]}:{offset[3:5]}" if offset else f"{at:%Y-%m-%d %H:%M}"


def check(state: State, event: ev.SiteLink) -> Alert:
    papers = event.kind == "document" and event.person in state.people
    name = wording.person(state, event.person)
    of_concern = f" The same papers under two names: {name} is of concern." if papers else ""
    return Alert(
        CODE,
        Severity.HIGH,
        f"Head office found {SAID[event.kind]} presented here by {here(state, event)} and by {there(event)} "
        f"(link {event.link}): perhaps one person under two names; a lead checks both before either is admitted "
        f"again.{of_concern}",
        people=(event.person,),
        concern=(event.person,) if papers else (),
    )
