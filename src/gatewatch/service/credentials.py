"""Credentials already checked, kept in memory so that a request costs no database query.

A token's digest maps to the user it signs in as, the token's kind and expiry, and when the
record was last read. An entry is trusted for ``TTL`` at most: a change made by another process
(``gatewatch user ...`` on the same database) is honoured within that time. A change made
through this process's ``Gatekeeper`` (a logout, a user removed, a role changed, tokens revoked)
forgets the entries at once. Only tokens found valid are kept, and at most ``SIZE`` of them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from gatewatch.service.permissions import Actor

TTL = timedelta(seconds=5)
SIZE = 10_000


@dataclass(frozen=True, slots=True)
class Held:
    """A valid token as last read from the record."""

    actor: Actor
    kind: str
    expires: datetime | None
    read_at: datetime

    def usable(self, now: datetime, ttl: timedelta) -> bool:
        fresh = self.read_at <= now < self.read_at + ttl
        return fresh and (self.expires is None or now < self.expires)


class CredentialCache:
    """Token digest -> ``Held``, thread-safe, bounded, each entry trusted for ``ttl``."""

    def __init__(self, ttl: timedelta = TTL, size: int = SIZE) -> None:
        self.ttl = ttl
        self.size = size
        self._held: dict[str, Held] = {}
        self._lock = threading.Lock()

    def get(self, digest: str, now: datetime) -> Held | None:
        """The entry if it may still be trusted; a stale or expired one is dropped."""
        with self._lock:
            held = self._held.get(digest)
            if held is not None and not held.usable(now, self.ttl):
                del self._held[digest]
                return None
            return held

    def put(self, digest: str, held: Held) -> None:
        with self._lock:
            self._held.pop(digest, None)
            self._held[digest] = held
            while len(self._held) > self.size:
                del self._held[next(iter(self._held))]

    def forget(self, digest: str) -> None:
        with self._lock:
            self._held.pop(digest, None)

    def forget_user(self, name: str) -> None:
        """Drop every entry of one user (removed, role changed, tokens revoked)."""
        with self._lock:
            for digest in [d for d, held in self._held.items() if held.actor.name == name]:
                del self._held[digest]

    def __len__(self) -> int:
        return len(self._held)
