"""PINs: judged against what a credential keeps, and never kept in clear.

A drill file writes PINs as digits; the record keeps only their salted argon2 hashes (the desk
seals a ``credential`` before recording it) and, for a ``badge``, only whether a PIN was given
and whether it was right, wrong or the duress PIN (``pin_given``). Judging is pure: comparing
digits with a hash or with digits needs no I/O and no randomness; making a hash (which needs a
random salt) is the shell's work (``gatewatch.service.pins``).
"""

from __future__ import annotations

import hmac

import msgspec
from argon2 import PasswordHasher, extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError

from gatewatch.core import events as ev
from gatewatch.core import limits
from gatewatch.core.state import CredentialRecord

HASH_PREFIX = "$argon2id$"

_VERIFIER = PasswordHasher()
"""Verifies any argon2id hash by the parameters written in it."""


def is_hash(secret: str) -> bool:
    return secret.startswith(HASH_PREFIX)


def matches(secret: str | None, digits: str) -> bool:
    """Whether keyed ``digits`` are the PIN ``secret`` keeps (its hash, or its digits in a drill)."""
    if secret is None:
        return False
    if not is_hash(secret):
        return hmac.compare_digest(secret.encode(), digits.encode())
    if not affordable(secret):
        return False
    try:
        return _VERIFIER.verify(secret, digits)
    except (VerificationError, InvalidHashError):
        return False


def affordable(secret: str) -> bool:
    """Whether a hash's cost (written in it) is within the bounds of ``limits``: checking one
    beyond them would hold the desk for as long as its writer chose."""
    try:
        cost = extract_parameters(secret)
    except InvalidHashError:
        return False
    return (
        cost.memory_cost <= limits.PIN_HASH_MEMORY_KIB_MOST
        and cost.time_cost <= limits.PIN_HASH_PASSES_MOST
        and cost.parallelism <= limits.PIN_HASH_LANES_MOST
    )


def judge(credential: CredentialRecord, badge: ev.Badge) -> ev.PinGiven | None:
    """What the badge's PIN was: None when none was given, else right, duress or wrong."""
    if badge.pin_given is not None:
        return badge.pin_given
    if badge.pin is None:
        return None
    if matches(credential.pin, badge.pin):
        return "right"
    if matches(credential.duress_pin, badge.pin):
        return "duress"
    return "wrong"


def sealed_badge(badge: ev.Badge, credential: CredentialRecord | None) -> ev.Badge:
    """The badge as the record keeps it: the verdict on its PIN, not the digits."""
    if badge.pin is None:
        return badge
    given = judge(credential, badge) if credential is not None else "wrong"
    return ev.Badge(
        id=badge.id, at=badge.at, note=badge.note, reader=badge.reader, credential=badge.credential, pin_given=given
    )


def holds_clear_pin(event: ev.Event) -> bool:
    """Whether the event still carries PIN digits (it must not be recorded so)."""
    if isinstance(event, ev.Badge):
        return event.pin is not None
    if isinstance(event, ev.Credential):
        return any(secret is not None and not is_hash(secret) for secret in (event.pin, event.duress_pin))
    return False


def without_pins(event: ev.Event) -> ev.Event:
    """The event with its PIN fields left out: how a resend is compared with what the record keeps
    (a PIN sealed again would differ by its salt)."""
    if isinstance(event, ev.Badge):
        return msgspec.structs.replace(event, pin=None, pin_given=None)
    if isinstance(event, ev.Credential):
        return msgspec.structs.replace(event, pin=None, duress_pin=None)
    return event
