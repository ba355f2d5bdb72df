"""PINs sealed before the record takes them: credential PINs as salted argon2 hashes, a badge's
PIN as the verdict on it (right, wrong or duress), never the digits.

The hash parameters are lighter than a password's: a PIN of 4 to 12 digits cannot be kept
from a determined search by any hash, and the card it goes with is the other factor; what the
hash does is keep the digits out of every copy, backup and export of the record, while a badge
is still answered within a door's time.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from msgspec.structs import replace

from gatewatch.core import events as ev
from gatewatch.core import pins
from gatewatch.core.state import State

PIN_HASHER = PasswordHasher(time_cost=2, memory_cost=8 * 1024, parallelism=1)
"""argon2id, 8 MiB, two passes: a few milliseconds per PIN."""


def hash_pin(digits: str) -> str:
    return PIN_HASHER.hash(digits)


def seal(state: State, event: ev.Event) -> ev.Event:
    """The event as the record may keep it (unchanged unless it carries PIN digits)."""
    if isinstance(event, ev.Badge):
        return pins.sealed_badge(event, state.credentials.get(event.credential))
    if isinstance(event, ev.Credential) and pins.holds_clear_pin(event):
        return replace(event, pin=_sealed(event.pin), duress_pin=_sealed(event.duress_pin))
    return event


def _sealed(secret: str | None) -> str | None:
    return None if secret is None or pins.is_hash(secret) else hash_pin(secret)
