"""How a person came to be admitted: who invited them, who vouched for them, who vetted them,
and what was confirmed, followed back through the people who did so.

The procedure: trust must rest on something checked. A person whose standing rests on
invitations and vouches alone, with nobody having vetted them and no claim of theirs confirmed,
is flagged: that is how the household came to trust "Frank Jacson" (vouched for by a friend,
invited to tea, never checked). Pure: the shell hands over what the record holds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

TRUST_EVENTS = frozenset({"invite", "vouch", "vet", "verify"})
MAX_DEPTH = 4


@dataclass(frozen=True, slots=True)
class Link:
    """One thing someone did for (or found about) a person."""

    kind: str  # invited, vouched, vetted, verified, failed
    by: str
    at: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Trust:
    person: str
    links: tuple[Link, ...]
    backers: tuple[Trust, ...]
    rests_on_vouches_alone: bool
    cycle: bool = False


def link_of(payload: Mapping[str, object]) -> tuple[str, Link] | None:
    """The person a recorded trust event is about, and the link it makes."""
    kind, by, at = payload.get("type"), str(payload.get("by", "")), str(payload.get("at", ""))
    if kind == "vouch":
        return str(payload.get("for")), Link("vouched", by, at, str(payload.get("note") or ""))
    if kind == "invite":
        detail = " · ".join(str(x) for x in (payload.get("date"), payload.get("purpose")) if x)
        return str(payload.get("person")), Link(
            "invited", by, at, detail + (" · private" if payload.get("private") else "")
        )
    if kind == "vet":
        return str(payload.get("person")), Link("vetted", by, at, f"as {payload.get('clearance')}")
    if kind == "verify":
        result = str(payload.get("result"))
        return str(payload.get("person")), Link(
            "verified" if result == "confirmed" else "failed", by, at, f"{payload.get('claim')}: {result}"
        )
    return None


def trust_of(
    person: str, facts: Mapping[str, Sequence[Link]], depth: int = MAX_DEPTH, seen: frozenset[str] = frozenset()
) -> Trust:
    """The person's links, and the same for each person who invited or vouched for them."""
    links = tuple(facts.get(person, ()))
    checked = any(link.kind in ("vetted", "verified") for link in links)
    backed = any(link.kind in ("vouched", "invited") for link in links)
    if person in seen:
        return Trust(person, links, (), backed and not checked, cycle=True)
    backers: list[Trust] = []
    if depth > 0:
        for by in dict.fromkeys(link.by for link in links if link.kind in ("vouched", "invited")):
            backers.append(trust_of(by, facts, depth - 1, seen | {person}))
    return Trust(person, links, tuple(backers), backed and not checked)
