"""Who may read head office's console: whoever holds the token in its token file.

The token is made on first use: 32 random bytes as 64 hex digits, in a file only its owner may
read (0600). Signing in with it (``/sign-in?token=…``, the link ``gatewatch hq serve`` prints)
sets a session cookie that holds no token: the time it was issued and an HMAC of that time keyed
by the token, good for ``SESSION_S``. A new token (the file deleted, or replaced) ends every
session made with the old one.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import stat
import threading
import time
from dataclasses import dataclass
from pathlib import Path

TOKEN = re.compile(r"^[0-9a-f]{64}$")
TOKEN_FILE = "console.token"
"""The token file's name in head office's data directory."""
SESSION_S = 12 * 3600
"""How long a sign-in lasts."""
GIVEN_CHARS = 200
"""The longest token read from a sign-in (a longer one is wrong without comparing it)."""
CLOCK_SLACK_S = 60
_SESSION = re.compile(r"^([0-9]{1,12})\.([0-9a-f]{64})$")


class TokenFileError(ValueError):
    """The token file cannot serve: says which file and what to do."""


def ensure_token(token_file: Path) -> str:
    """The console's token: read from ``token_file``, or made there first (0600, 64 hex digits).

    A file others may read, or one that holds anything but a token, is refused with what to do.
    Two processes making it at once both end with the one that was written first.
    """
    try:
        return read_token(token_file)
    except FileNotFoundError:
        pass
    token = secrets.token_hex(32)
    token_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        handle = os.open(token_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return read_token(token_file)
    with os.fdopen(handle, "w", encoding="ascii") as out:
        out.write(token + "\n")
    return token


def read_token(token_file: Path) -> str:
    """The token in ``token_file`` (``FileNotFoundError`` when there is none)."""
    mode = stat.S_IMODE(token_file.stat().st_mode)
    if mode & 0o077:
        raise TokenFileError(
            f"console token file {token_file} may be read by others (mode {mode:04o}): run chmod 600 {token_file}"
        )
    with token_file.open("rb") as held:
        text = held.read(GIVEN_CHARS).decode("ascii", errors="replace").strip()
    if not TOKEN.fullmatch(text):
        raise TokenFileError(
            f"console token file {token_file} does not hold a token (64 hex digits): "
            "delete it, and head office makes a new one when it starts"
        )
    return text


@dataclass
class TokenKeeper:
    """The token file, read again whenever it changes; signs and checks session cookies."""

    token_file: Path

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: tuple[int, int, int] | None = None
        self._token = ensure_token(self.token_file)
        self._seen = self._stamp()

    def token(self) -> str:
        """The current token (the file read again when its inode, size or time changed; made again when gone)."""
        stamp = self._stamp()
        with self._lock:
            if stamp is None or stamp != self._seen:
                self._token = ensure_token(self.token_file)
                self._seen = self._stamp()
            return self._token

    def _stamp(self) -> tuple[int, int, int] | None:
        try:
            found = self.token_file.stat()
        except FileNotFoundError:
            return None
        return (found.st_ino, found.st_size, found.st_mtime_ns)

    def matches(self, given: str) -> bool:
        """Whether ``given`` is the token (compared in constant time)."""
        given = given.strip()
        if not given or len(given) > GIVEN_CHARS:
            return False
        return hmac.compare_digest(given.encode(), self.token().encode())

    def session(self, now: float | None = None) -> str:
        """A session cookie's value: when it was issued, and an HMAC of that keyed by the token."""
        issued = str(int(time.time() if now is None else now))
        return f"{issued}.{self._sign(issued)}"

    def valid(self, cookie: str | None, now: float | None = None) -> bool:
        """Whether a session cookie was made with the current token and has not expired."""
        found = _SESSION.fullmatch(cookie or "")
        if found is None:
            return False
        issued, signature = found.groups()
        age = (time.time() if now is None else now) - int(issued)
        if not -CLOCK_SLACK_S <= age <= SESSION_S:
            return False
        return hmac.compare_digest(signature, self._sign(issued))

    def _sign(self, issued: str) -> str:
        return hmac.new(
            self.token().encode(), f"gatewatch head office console {issued}".encode(), hashlib.sha256
        ).hexdigest()
