"""Who may tell the desk what: the roles, and the rule that everyone acts as themselves.

Pure: given the user, the event and (for an override) the approving user, say whether the
event may be submitted, and if not, why, in words a guard understands.

- A **guard** works the doors and posts: arrivals, screening, requests, doors, movements,
  shifts, check-ins, alarms, observations. A guard may raise a concern but not clear one,
  may not vet anyone, approve an override, register people or end a lockdown. A guard puts
  only themselves on post or takes only themselves off (a lone guard at night may not make
  a second guard appear at the gate): posting someone else needs a lead.
  A guard issues and revokes credentials (the engine lets a guard issue only a visitor's).
- A **device** (a door driver's account) reports what the door hardware says: badges at
  readers, door contacts, exit buttons, device health and ticks; nothing else. Only a device
  (or a lead or admin) submits a badge.
- A **lead** may do everything a guard does, and the lead-only actions: vet, approve an
  override, clear a concern, register people, end a lockdown (``all_clear``).
- An **analyst** works on people, not doors: identities, verifications, vouches, vetting,
  invitations, observations, concerns (raised and cleared).
- An **admin** may do everything, and manages users.
- **Cases** are worked by leads, analysts and admins: opened, updated, closed, their notes
  added and read. A guard works none of it, and is shown none of it: a case's events, read
  one by one from the record, are refused to whoever may not see the case's file.
- **Links to other sites** (``site_link``: head office found the same document, phone or vehicle
  presented here and at another site) are recorded by the site's sync, never submitted, and
  shown to leads, analysts and admins only, as a case's events are.

Screening results (``watchlist_check``) are written by the service's screening only; a case's
sealed notes (``case_note``) and the reads of them (``note_read``) by the service's cases only,
which seal a note before it is recorded and record each read before the words are shown.

Nobody acts for someone else: every actor an event names (``by``, ``approved_by``) must be
the person of the user who submits it, except ``approved_by`` on an override, which must be
the person of the lead who signs it with their own credentials.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from gatewatch.core import events as ev


class UserRole(StrEnum):
    GUARD = "guard"
    LEAD = "lead"
    ANALYST = "analyst"
    ADMIN = "admin"
    DEVICE = "device"
    """A door driver (readers, contacts, exit buttons, device health): no person, door signals only."""


@dataclass(frozen=True, slots=True)
class Actor:
    """A signed-in user: their name, role, and the site person they are (if any)."""

    name: str
    role: UserRole
    person: str | None


class Refused(Exception):
    """The user may not submit this event; ``problem`` says why."""

    def __init__(self, problem: str, field: str = "") -> None:
        self.problem = problem
        self.field = field
        super().__init__(problem)


DOOR_WORK = frozenset(
    {
        "identify",
        "verify",
        "vouch",
        "invite",
        "arrive",
        "screen",
        "request",
        "override",
        "waive",
        "open",
        "close",
        "move",
        "leave",
        "post",
        "checkin",
        "alarm",
        "dismiss",
        "mute",
        "observe",
        "concern",
        "weather",
        "credential",
        "revoke",
    }
)
DEVICE_WORK = frozenset({"badge", "open", "close", "exit", "device", "tick", "unanswered"})
"""What a door driver reports: badges at readers, door contacts, exit buttons, device health, time."""
LEAD_ONLY = frozenset({"vet", "register", "all_clear"})
SERVICE_ONLY = frozenset({"watchlist_check", "case_note", "note_read", "site_link"})
"""Written by the service's own screening (``POST /v1/screenings``, and at identify and invite),
never submitted: a submitted one could say anything of the lists. Likewise a case's notes, which
the service seals, and the reads of them, which it records as it opens them; and head office's
links, which the site's sync records as they arrive (a submitted one could name anyone)."""
WRITTEN_BY = {
    "watchlist_check": "the screening itself: ask for one at /v1/screenings",
    "case_note": "the desk as it seals a note: add one at /v1/cases/{case}/notes",
    "note_read": "the desk as it opens a case's notes: read them at /v1/cases/{case}/notes",
    "site_link": "the site's sync as head office's links arrive (gatewatch sync)",
}
CASE_WORK = frozenset({"case_open", "case_update", "case_close"})
"""Cases, as submitted: opened, updated and closed (notes and their reads are written by the service)."""
CASE_WORKERS = frozenset({UserRole.LEAD, UserRole.ANALYST, UserRole.ADMIN})
CASE_RECORD = CASE_WORK | {"case_note", "note_read"}
"""A case's events in the record: shown only to those who work on cases (``check_shown``)."""
LINK_RECORD = frozenset({"site_link"})
LINK_READERS = CASE_WORKERS
"""Head office's links to other sites' people: shown to leads, analysts and admins (``check_shown``)."""
PEOPLE_WORK = frozenset({"identify", "verify", "vouch", "vet", "register", "invite", "waive", "observe", "concern"})
EVERYTHING = frozenset(ev.EVENT_TYPES) - SERVICE_ONLY

ALLOWED: dict[UserRole, frozenset[str]] = {
    UserRole.GUARD: DOOR_WORK,
    UserRole.LEAD: EVERYTHING,
    UserRole.ANALYST: PEOPLE_WORK | CASE_WORK,
    UserRole.ADMIN: EVERYTHING,
    UserRole.DEVICE: DEVICE_WORK,
}
APPROVERS = frozenset({UserRole.LEAD, UserRole.ADMIN})
POSTS_ANYONE = frozenset({UserRole.LEAD, UserRole.ADMIN})
CLEARS_CONCERNS = frozenset({UserRole.LEAD, UserRole.ANALYST, UserRole.ADMIN})


def check_event(user: Actor, event: ev.Event, approver: Actor | None = None) -> None:
    """Raise ``Refused`` unless ``user`` may submit ``event`` (signed by ``approver`` where it names one)."""
    _role_allows(user, event)
    by = getattr(event, "by", None)
    if isinstance(by, str) and by != user.person:
        raise Refused(_not_you(user, by, "by"), "by")
    if isinstance(event, ev.PostChange):
        _posts_only_themselves(user, event)
    if isinstance(event, ev.Override) and event.approved_by is not None:
        _approval(user, event.approved_by, approver)


def _posts_only_themselves(user: Actor, event: ev.PostChange) -> None:
    """Who is on post is said by a lead, or by the guard in person of themselves."""
    if user.role in POSTS_ANYONE:
        return
    for field, named in (("on_duty", event.on_duty), ("off_duty", event.off_duty)):
        other = next((person for person in named if person != user.person), None)
        if other is not None:
            you = f'you are "{user.person}"' if user.person else "you are no person on the site"
            act = "put only themselves on" if field == "on_duty" else "take only themselves off"
            raise Refused(
                f'{field} names "{other}", but {you}: a {user.role} may {act} post "{event.post}"; '
                "ask a lead to post someone else",
                field,
            )


def _role_allows(user: Actor, event: ev.Event) -> None:
    kind = event.type
    if kind in SERVICE_ONLY:
        raise Refused(f'"{kind}" events are written by {WRITTEN_BY[kind]}', "type")
    if kind not in ALLOWED[user.role]:
        needed = "a lead" if kind in LEAD_ONLY else "a lead or an analyst" if kind in CASE_WORK else "another role"
        raise Refused(f'a {user.role} may not submit "{kind}" events: it needs {needed}', "type")
    if isinstance(event, ev.Concern) and not event.open and user.role not in CLEARS_CONCERNS:
        raise Refused(f"a {user.role} may not clear a concern: it needs a lead or an analyst", "open")


def check_written(user: Actor, event: ev.CaseNote | ev.NoteRead) -> None:
    """Raise ``Refused`` unless the service may write ``event`` for ``user``: a sealed note or a
    read of notes, for a lead, an analyst or an admin, in their own name."""
    if user.role not in CASE_WORKERS:
        raise Refused(f"a {user.role} may not work on cases: it needs a lead, an analyst or an admin", "type")
    if event.by != user.person:
        raise Refused(_not_you(user, event.by, "by"), "by")


def check_shown(user: Actor, kind: str) -> None:
    """Raise ``Refused`` unless ``user`` may be shown a recorded event of type ``kind``: a case's
    events (why it was opened, who works it, its sealed notes, who read them) only to a lead, an
    analyst or an admin, as the case's file is; and head office's links to people at other sites
    (who may be one person under two names), which a lead checks, likewise."""
    if kind in CASE_RECORD and user.role not in CASE_WORKERS:
        raise Refused(
            f'a {user.role} may not see "{kind}" events: cases are for leads, analysts and admins', "event_id"
        )
    if kind in LINK_RECORD and user.role not in LINK_READERS:
        raise Refused(
            f'a {user.role} may not see "{kind}" events: links to other sites are for leads, analysts and admins',
            "event_id",
        )


def _approval(user: Actor, approved_by: str, approver: Actor | None) -> None:
    signer = approver if approver is not None else user
    if signer.person != approved_by:
        if approver is None:
            raise Refused(
                f'approved_by names "{approved_by}": that lead must sign the override with their own '
                "credentials (header X-Approver-Authorization)",
                "approved_by",
            )
        raise Refused(_not_you(signer, approved_by, "approved_by"), "approved_by")
    if signer.role not in APPROVERS:
        raise Refused(f"{signer.name} is a {signer.role}: only a lead may approve an override", "approved_by")


def _not_you(user: Actor, named: str, field: str) -> str:
    who = f'person "{user.person}"' if user.person else "no person on the site"
    return f'{field} names "{named}", but {user.name} is {who}: nobody may act as someone else'
