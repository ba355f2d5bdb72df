"""Discretion: the alerts only leads and admins are shown (``AlertCode.discreet``: DURESS).

A holder forced at a door keys the duress PIN. The door behaves as usual and the desk is told,
and only the desk: whoever stands beside the holder must see nothing change. So a discreet
alert is left out of everything a guard (or anyone else who is not a lead or an admin) is
shown: pages, live screens, API answers and streams. There, the badge is a plain grant, and
the PIN it was given with was the right one.

Nor is anyone shown a credential's PIN hashes (``payload_for``), nor those not shown discreet
alerts an entry's hash (``hash_for``): checked against what they are shown, it would tell them
that something was left out.

Pure: the viewer's role decides; the alerts, outcomes and payloads are the record's, untouched.
"""

from __future__ import annotations

from typing import Any

from gatewatch.core.alerts import AlertCode
from gatewatch.service.permissions import Actor, UserRole

DISCREET_CODES: frozenset[str] = frozenset(code.value for code in AlertCode if code.discreet)
"""The alert codes shown only to leads and admins."""

SEES_DISCREET = frozenset({UserRole.LEAD, UserRole.ADMIN})
"""The roles that are shown discreet alerts (the desk's alert views)."""

NOTHING_HIDDEN: frozenset[str] = frozenset()


def sees_discreet(viewer: Actor) -> bool:
    return viewer.role in SEES_DISCREET


def hidden_from(viewer: Actor) -> frozenset[str]:
    """The alert codes this viewer is not shown."""
    return NOTHING_HIDDEN if sees_discreet(viewer) else DISCREET_CODES


def shown(code: str, viewer: Actor) -> bool:
    return code not in hidden_from(viewer)


def outcome_for(outcome: dict[str, Any], viewer: Actor) -> dict[str, Any]:
    """An outcome (the contract's shape) as this viewer is shown it: without the alerts kept from them."""
    return outcome_without(outcome, hidden_from(viewer))


def outcome_without(outcome: dict[str, Any], hidden: frozenset[str]) -> dict[str, Any]:
    """The outcome without alerts of the ``hidden`` codes (the same object when it has none)."""
    alerts = outcome.get("alerts")
    if not hidden or not isinstance(alerts, list) or not any(_code(a) in hidden for a in alerts):
        return outcome
    return {**outcome, "alerts": [alert for alert in alerts if _code(alert) not in hidden]}


PIN_SECRETS = ("pin", "duress_pin")
"""A credential's PIN fields: the record keeps their salted hashes, which nobody is shown."""
SEALED = "sealed"
"""What a viewer is shown for a PIN the record keeps: a PIN of four digits is a few thousand
guesses from its hash, so the hash stays in the record."""


def payload_for(payload: dict[str, Any] | None, viewer: Actor) -> dict[str, Any] | None:
    """A recorded event as this viewer is shown it: a credential's PINs as ``sealed`` (to
    everyone); a badge given the duress PIN reads as given the right one to those not shown the
    DURESS alert (the verdict would tell them what the alert says)."""
    if payload is None:
        return payload
    kept = [name for name in PIN_SECRETS if payload.get(name) is not None]
    shown = {**payload, **dict.fromkeys(kept, SEALED)} if kept else payload
    if sees_discreet(viewer) or shown.get("pin_given") != "duress":
        return shown
    return {**shown, "pin_given": "right"}


def hash_for(entry_hash: str, viewer: Actor) -> str:
    """An entry's hash, for those shown everything it covers; empty for the others: checked
    against an entry shown without its discreet alert, the hash would tell that one was left out."""
    return entry_hash if sees_discreet(viewer) else ""


def _code(alert: object) -> object:
    return alert.get("code") if isinstance(alert, dict) else None
