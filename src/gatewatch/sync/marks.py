"""What of an entry head office compares across sites: the documents, phones and vehicles people present.

Procedure: every ``identify`` entry's document number, phone number and vehicle plate is made a
mark, exactly as the site itself links them (``gatewatch.core.rules.identity_link.threads``):
spelling and spacing set aside (``JX 1940817`` is ``jx1940817``), a phone as the number it dials
and as its digits, read in the site's country when written nationally. Head office finds the
same mark at two sites and links the two people. Addresses and employers stay at the site: many
people share one, and across sites they would link strangers. A redacted entry has no marks.

Where the sites share a key (``--identity-key``), a mark is its keyed hash instead,
``k:`` and HMAC-SHA-256 in hex: head office finds the same mark at two sites without ever
holding the number itself, and cannot try numbers to find one without the key.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from pathlib import Path

import msgspec

from gatewatch.core import events as ev
from gatewatch.core.rules.identity_link import threads
from gatewatch.store.chain import Entry
from gatewatch.sync.wire import MARK_CHARS, MARK_KINDS, MARKS_PER_ENTRY, Mark, MarkKind

KEY_BYTES = 32
KEY_FILE_BYTES = 1024
"""A key file is 64 hex digits and perhaps a line break: a larger file is not a key."""
KEYED = "k:"
_HEX_KEY = re.compile(rb"[0-9a-fA-F]{%d}" % (2 * KEY_BYTES))
MARKED_TYPES = frozenset({"identify"})
"""The entry types whose payload presents a document, phone or vehicle of a person."""


class KeyProblem(ValueError):
    """An identity key that cannot be used: says which file and why (never what it holds)."""


class MarkProblem(ValueError):
    """An entry whose payload does not read as its event: no marks can be made of it."""


def keyed(key: bytes, text: str) -> str:
    """``k:`` and the HMAC-SHA-256 of ``text`` under the sites' shared key, in hex."""
    return KEYED + hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def marks_of(entry: Entry, site_country: str | None, key: bytes | None) -> tuple[Mark, ...]:
    """The marks of one entry, in the order its identifiers are presented (none for a redacted one).

    ``site_country``: the site's (ISO 3166-1 alpha-2), for phones written nationally; ``key``:
    the sites' shared identity key, to send keyed hashes instead of the identifiers."""
    if key is not None:
        check_key(key)
    event = presented(entry)
    if event is None:
        return ()
    found: dict[tuple[MarkKind, str], Mark] = {}
    for thread, _ in threads(event, site_country):
        kind = _kind(thread)
        if kind is not None:
            mark = keyed(key, thread) if key is not None else _plain(kind, thread)
            found.setdefault((kind, mark), Mark(kind=kind, mark=mark, person=event.person))
    return tuple(found.values())[:MARKS_PER_ENTRY]


def presented(entry: Entry) -> ev.Identify | None:
    """The ``identify`` event an entry holds, or ``None`` (another type, or redacted)."""
    if entry.payload is None or entry.type not in MARKED_TYPES:
        return None
    try:
        event = ev.from_payload(entry.payload)
    except (msgspec.ValidationError, TypeError) as error:
        raise MarkProblem(
            f"entry {entry.seq} ({entry.type}): its payload does not read as the event ({error})"
        ) from None
    if not isinstance(event, ev.Identify):
        raise MarkProblem(f"entry {entry.seq} is recorded as identify, but its payload is a {event.type} event")
    return event


def _kind(thread: str) -> MarkKind | None:
    prefix = thread.split(":", 1)[0]
    return next((kind for kind in MARK_KINDS if kind == prefix), None)


def _plain(kind: MarkKind, thread: str) -> str:
    """The thread as it is, or (longer than a mark may be) its SHA-256: the same at every site."""
    if len(thread) <= MARK_CHARS:
        return thread
    return f"{kind}:sha256:{hashlib.sha256(thread.encode('utf-8')).hexdigest()}"


def check_key(key: bytes) -> bytes:
    """The key, if it is one: ``KEY_BYTES`` bytes (``KeyProblem`` otherwise)."""
    if not isinstance(key, bytes) or len(key) != KEY_BYTES:
        size = len(key) if isinstance(key, bytes) else type(key).__name__
        raise KeyProblem(f"an identity key is {KEY_BYTES} bytes, not {size}")
    return key


def make_key() -> str:
    """A new identity key for the sites to share: 64 hex digits (32 random bytes)."""
    return secrets.token_hex(KEY_BYTES)


def load_key(path: Path) -> bytes:
    """The identity key in ``path``: 64 hex digits (a line break after them is allowed).

    Refused with the file's name and what is wrong with it, never with what it holds."""
    try:
        with path.open("rb") as file:
            raw = file.read(KEY_FILE_BYTES + 1)
    except FileNotFoundError:
        raise KeyProblem(f"identity key {path}: no such file (make one with: gatewatch hq key --out FILE)") from None
    except IsADirectoryError:
        raise KeyProblem(f"identity key {path}: a directory, not a key file") from None
    except OSError as error:
        raise KeyProblem(f"identity key {path}: cannot be read ({error.strerror or error})") from None
    if len(raw) > KEY_FILE_BYTES:
        raise KeyProblem(f"identity key {path}: more than {KEY_FILE_BYTES} bytes, not a key file")
    text = raw.strip()
    if len(text) != 2 * KEY_BYTES:
        raise KeyProblem(
            f"identity key {path}: {2 * KEY_BYTES} hex digits expected, the file holds {len(text)} characters"
        )
    if not _HEX_KEY.fullmatch(text):
        raise KeyProblem(f"identity key {path}: {2 * KEY_BYTES} hex digits expected (0-9, a-f), found others")
    return check_key(bytes.fromhex(text.decode("ascii")))
