"""Users, passwords, sessions and API tokens, and the limit on failed logins.

Passwords are kept as argon2 hashes; tokens are random, shown once, and kept as their SHA-256.
A session lasts ``SESSION_HOURS``; an API token until it is revoked. After ``MAX_FAILURES``
failed logins for one name (or ``MAX_CLIENT_FAILURES`` from one client) within
``WINDOW``, further attempts are refused for the rest of the window, without checking the
password; every attempt is recorded.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from gatewatch.service.permissions import Actor, UserRole
from gatewatch.store.accounts import Accounts, User

SESSION_HOURS = 12
WINDOW = timedelta(minutes=15)
MAX_FAILURES = 5
MAX_CLIENT_FAILURES = 20
MIN_PASSWORD = 8
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")

logger = logging.getLogger("gatewatch.auth")
_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """A hash to check unknown names against, so that they take as long as known ones."""
    return _hasher.hash("not a password anyone has")


class BadLogin(Exception):
    """Wrong name or password (which of the two is not said)."""


@dataclass(frozen=True, slots=True)
class TooManyAttempts(Exception):
    retry_after: int


@dataclass(frozen=True, slots=True)
class Session:
    token: str
    user: Actor
    expires: datetime | None


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def as_actor(user: User) -> Actor:
    return Actor(user.name, UserRole(user.role), user.person)


class Gatekeeper:
    def __init__(self, accounts: Accounts, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.accounts = accounts
        self.clock = clock

    def add_user(self, name: str, role: str, password: str, person: str | None = None) -> Actor:
        """Create a user; the name, role and password are checked first, and each problem named."""
        if not NAME.match(name):
            raise ValueError(f'user name "{name}": use letters, digits, ".", "_" or "-" (at most 64)')
        if role not in UserRole.__members__.values():
            raise ValueError(f'unknown role "{role}": one of {", ".join(r.value for r in UserRole)}')
        if len(password) < MIN_PASSWORD:
            raise ValueError(f"the password is too short: at least {MIN_PASSWORD} characters")
        user = User(name, role, person, _hasher.hash(password), self.clock().isoformat())
        self.accounts.add_user(user)
        return as_actor(user)

    def login(self, name: str, password: str, client: str) -> Session:
        """A session for the right name and password, within the limit on failed attempts."""
        user = self.check_password(name, password, client)
        expires = self.clock() + timedelta(hours=SESSION_HOURS)
        return Session(self._issue(user.name, "session", expires), user, expires)

    def check_password(self, name: str, password: str, client: str) -> Actor:
        """The user, if the password is theirs; every attempt is recorded and counted."""
        now = self.clock()
        by_name, by_client = self.accounts.failures_since((now - WINDOW).isoformat(), name, client)
        if by_name >= MAX_FAILURES or by_client >= MAX_CLIENT_FAILURES:
            self.accounts.record_login(now.isoformat(), name, client, ok=False)
            logger.warning("login refused for %r from %s: too many failed attempts", name, client)
            raise TooManyAttempts(int(WINDOW.total_seconds()))
        user = self.accounts.user(name)
        if not _password_matches(user.password_hash if user else _dummy_hash(), password) or user is None:
            self.accounts.record_login(now.isoformat(), name, client, ok=False)
            logger.warning("failed login for %r from %s", name, client)
            raise BadLogin()
        self.accounts.record_login(now.isoformat(), name, client, ok=True)
        return as_actor(user)

    def api_token(self, name: str) -> str:
        if self.accounts.user(name) is None:
            raise ValueError(f'no user named "{name}"')
        return self._issue(name, "api", None)

    def authenticate(self, token: str) -> Actor | None:
        found = self.accounts.token(token_digest(token))
        if found is None:
            return None
        name, expires = found
        if expires is not None and datetime.fromisoformat(expires) <= self.clock():
            return None
        user = self.accounts.user(name)
        return as_actor(user) if user else None

    def logout(self, token: str) -> None:
        self.accounts.drop_token(token_digest(token))

    def _issue(self, name: str, kind: str, expires: datetime | None) -> str:
        token = secrets.token_urlsafe(32)
        self.accounts.add_token(
            token_digest(token), name, kind, self.clock().isoformat(), expires.isoformat() if expires else None
        )
        return token


def _password_matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
