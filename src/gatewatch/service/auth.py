"""Users, passwords, sessions and API tokens, how failed passwords are slowed, and who is asking.

Passwords are kept as argon2 hashes; tokens are random, shown once, and kept as their SHA-256.
A session lasts ``SESSION_HOURS`` and ends at a logout; an API token lasts until it is revoked
(``revoke_tokens``, ``remove_user``): a logout never ends an API token.

Failed passwords slow further attempts (``throttle``): by name and by client for sign-ins, and
in a ledger of their own for an override's approval, so that an attacker's failures at the desk's
address never stop a lead's correct approval. Every password check is recorded; an attempt
refused by a delay is logged.

Who a token signs in as is kept in memory (``credentials``) for a few seconds, so that a request
costs no database query; a logout, a removal, a role change or a revocation made here is honoured
at once, one made by another process (``gatewatch user``) within ``credentials.TTL``.
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

from gatewatch.service import throttle
from gatewatch.service.credentials import CredentialCache, Held
from gatewatch.service.permissions import Actor, UserRole
from gatewatch.store.accounts import Accounts, User

SESSION_HOURS = 12
WINDOW = throttle.WINDOW
MAX_FAILURES = throttle.FREE_FAILURES
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


class TooManyAttempts(Exception):
    """Too many failed passwords lately: try again in ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(f"try again in {retry_after} s")


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
    def __init__(
        self,
        accounts: Accounts,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        cache: CredentialCache | None = None,
    ) -> None:
        self.accounts = accounts
        self.clock = clock
        self.cache = cache if cache is not None else CredentialCache()
        self.approvals = throttle.ApprovalLedger()

    # --- users ---------------------------------------------------------------------------

    def add_user(self, name: str, role: str, password: str, person: str | None = None) -> Actor:
        """Create a user; the name, role and password are checked first, and each problem named."""
        if not NAME.match(name):
            raise ValueError(f'user name "{name}": use letters, digits, ".", "_" or "-" (at most 64)')
        _check_role(role)
        if len(password) < MIN_PASSWORD:
            raise ValueError(f"the password is too short: at least {MIN_PASSWORD} characters")
        user = User(name, role, person, _hasher.hash(password), self.clock().isoformat())
        self.accounts.add_user(user)
        return as_actor(user)

    def set_role(self, name: str, role: str) -> None:
        """Give a user another role; their tokens sign in with it from the next request."""
        _check_role(role)
        if not self.accounts.set_role(name, role):
            raise ValueError(f'no user named "{name}"')
        self.cache.forget_user(name)

    def remove_user(self, name: str) -> None:
        """Remove a user; every session and API token of theirs is refused from now on."""
        if not self.accounts.remove_user(name):
            raise ValueError(f'no user named "{name}"')
        self.cache.forget_user(name)

    # --- passwords -----------------------------------------------------------------------

    def login(self, name: str, password: str, client: str) -> Session:
        """A session for the right name and password, unless failures for it ask to wait."""
        now = self.clock()
        wait = self._sign_in_wait(name, client, now)
        if wait:
            logger.warning("login for %r from %s held back %ds: too many failed attempts", name, client, wait)
            raise TooManyAttempts(wait)
        user = self._checked(name, password, client, now)
        expires = now + timedelta(hours=SESSION_HOURS)
        return Session(self._issue(user.name, "session", expires), user, expires)

    def check_password(self, name: str, password: str, client: str, by: str | None = None) -> Actor:
        """An override's approver signing with their password (``by``: the user asking, if known).

        Limited by the approvals' own ledger only: failed sign-ins do not hold an approval back.
        """
        now = self.clock()
        submitter = by or client
        wait = self.approvals.wait(name, submitter, now)
        if wait:
            logger.warning("approval by %r for %s held back %ds: too many failed attempts", name, submitter, wait)
            raise TooManyAttempts(wait)
        try:
            return self._checked(name, password, client, now)
        except BadLogin:
            self.approvals.failed(name, submitter, now)
            raise

    def _sign_in_wait(self, name: str, client: str, now: datetime) -> int:
        since = _instant(now - WINDOW)  # stored and compared as UTC text
        by_name = self.accounts.recent_failures(since, name=name, client=client)  # a guesser elsewhere locks nobody out
        by_client = self.accounts.recent_failures(since, client=client)
        return max(_wait(throttle.BY_NAME, by_name, now), _wait(throttle.BY_CLIENT, by_client, now))

    def _checked(self, name: str, password: str, client: str, now: datetime) -> Actor:
        """The user, if the password is theirs; the check is recorded either way."""
        user = self.accounts.user(name)
        if not _password_matches(user.password_hash if user else _dummy_hash(), password) or user is None:
            self.accounts.record_login(_instant(now), name, client, ok=False)
            logger.warning("failed login for %r from %s", name, client)
            raise BadLogin()
        self.accounts.record_login(_instant(now), name, client, ok=True)
        return as_actor(user)

    # --- tokens --------------------------------------------------------------------------

    def api_token(self, name: str) -> str:
        if self.accounts.user(name) is None:
            raise ValueError(f'no user named "{name}"')
        return self._issue(name, "api", None)

    def revoke_tokens(self, name: str) -> int:
        """Revoke every session and API token of a user; how many there were."""
        revoked = self.accounts.drop_tokens(name)
        self.cache.forget_user(name)
        return revoked

    def authenticate(self, token: str) -> Actor | None:
        """Who the token signs in as, if it is valid; from memory when read a moment ago."""
        held = self._held(token)
        return held.actor if held else None

    def token_kind(self, token: str) -> str | None:
        """``session`` or ``api`` for a valid token, else ``None``."""
        held = self._held(token)
        return held.kind if held else None

    def logout(self, token: str) -> bool:
        """End a session; an API token is left as it is. Whether a session was ended."""
        digest = token_digest(token)
        ended = self.accounts.drop_session(digest)
        if ended:
            self.cache.forget(digest)
        return ended

    def _held(self, token: str) -> Held | None:
        digest, now = token_digest(token), self.clock()
        held = self.cache.get(digest, now)
        if held is not None:
            return held
        found = self.accounts.holder(digest)
        if found is None:
            return None
        user, kind, expires = found
        held = Held(as_actor(user), kind, datetime.fromisoformat(expires) if expires else None, now)
        if held.expires is not None and held.expires <= now:
            return None
        self.cache.put(digest, held)
        return held

    def _issue(self, name: str, kind: str, expires: datetime | None) -> str:
        token = secrets.token_urlsafe(32)
        self.accounts.add_token(
            token_digest(token), name, kind, self.clock().isoformat(), expires.isoformat() if expires else None
        )
        return token


def _check_role(role: str) -> None:
    if role not in UserRole.__members__.values():
        raise ValueError(f'unknown role "{role}": one of {", ".join(r.value for r in UserRole)}')


def _wait(limit: throttle.Limit, failures: tuple[int, str | None], now: datetime) -> int:
    count, last = failures
    return limit.wait(count, datetime.fromisoformat(last) if last else None, now)


def _password_matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _instant(moment: datetime) -> str:
    """A sign-in's time as UTC text: the store compares these as text, so they share one offset."""
    return moment.astimezone(UTC).isoformat()
