"""Case notes sealed at rest, with a key kept in a file outside the database.

Procedure:

- The key is 256 random bits, kept in base64 in a file of its own (by default
  ``DATA/notes.key``; ``gatewatch serve --notes-key PATH``, or ``GATEWATCH_NOTES_KEY``). It is
  made, readable by its owner only (0600), on first use, and only while the record holds no
  sealed note: once notes are sealed, a missing key is an error, never replaced, since a new key
  would open none of them.
- Each note is sealed with AES-256-GCM (authenticated encryption) under a fresh random 96-bit
  nonce. The associated data binds the sealed text to its case and to the id of the event that
  records it, so a sealed text moved to another note or another case does not open.
- A sealed note names its key by a fingerprint (16 hex digits of a SHA-256 of the key). Writing
  or reading with a key that is not the notes' own, or with none, is refused, naming the key
  file's path and both fingerprints. Nothing is lost: the sealed notes stay in the record, and
  read again once the right key is back in place.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

import msgspec
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from gatewatch.core.events import SealedNote
from gatewatch.store.log import EventLog

KEY_FILE = "notes.key"
"""The key's file in the data directory, when no other path is given."""
KEY_BYTES = 32
KEY_FILE_MOST = 1_024
"""Bytes of a key file read at most: a key is 44 characters of base64 and a line end."""
NONCE_BYTES = 12
NOTE_TYPE = "case_note"


class NotesKeyError(RuntimeError):
    """The notes' key cannot be used: missing, unreadable, or not the key the notes were sealed with."""

    def __init__(self, problem: str, path: Path | None = None) -> None:
        self.problem = problem
        self.path = path
        super().__init__(problem)


class NoteAltered(ValueError):
    """A sealed note that does not open with its own key: its sealed text, case or id was changed."""


def fingerprint(key: bytes) -> str:
    """A short name for a key: 16 hex digits of the SHA-256 of the key (a name, not the key)."""
    return hashlib.sha256(b"gatewatch case-notes key\x00" + key).hexdigest()[:16]


def associated(case: str, event_id: str) -> bytes:
    """What a sealed note is bound to: its case and the id of the event that records it."""
    return msgspec.json.encode(["gatewatch case note", case, event_id])


def seal(key: bytes, case: str, event_id: str, text: str) -> SealedNote:
    """The note's text sealed with ``key`` for this case and event."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, text.encode("utf-8"), associated(case, event_id))
    return SealedNote(key=fingerprint(key), nonce=_b64(nonce), text=_b64(sealed))


def unseal(key: bytes, case: str, event_id: str, note: SealedNote) -> str:
    """The note's words; ``NoteAltered`` if the sealed text does not open for this case and event."""
    try:
        nonce = base64.b64decode(note.nonce, validate=True)
        sealed = base64.b64decode(note.text, validate=True)
        return AESGCM(key).decrypt(nonce, sealed, associated(case, event_id)).decode("utf-8")
    except (InvalidTag, ValueError, binascii.Error, UnicodeDecodeError):
        raise NoteAltered(f"note {event_id} of case {case} does not open with its key: it was altered") from None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@dataclass(frozen=True, slots=True)
class RecordedNote:
    """A sealed note as the record holds it."""

    seq: int
    event: str
    case: str
    by: str
    at: str
    sealed: SealedNote


def recorded_note(seq: int, payload: dict[str, object]) -> RecordedNote | None:
    """The note an entry's payload holds (``None`` if it holds no readable sealed note)."""
    try:
        sealed = msgspec.convert(payload.get("sealed"), SealedNote)
    except msgspec.ValidationError:
        return None
    event, case, by, at = (payload.get(name) for name in ("id", "case", "by", "at"))
    if not all(isinstance(value, str) for value in (event, case, by, at)):
        return None
    return RecordedNote(seq, str(event), str(case), str(by), str(at), sealed)


class NoteKey:
    """The notes' key at ``path``, checked against the notes the record holds."""

    def __init__(self, path: Path, log: EventLog) -> None:
        self.path = path
        self.log = log
        self._lock = threading.Lock()
        self._seen = 0
        self._newest: str | None = None

    def sealed_with(self) -> str | None:
        """The fingerprint of the key the newest sealed note names (``None``: no note is sealed)."""
        with self._lock:
            for entry in self.log.entries_of_types((NOTE_TYPE,), self._seen):
                found = recorded_note(entry.seq, entry.payload or {})
                if found is not None:
                    self._newest = found.sealed.key
                self._seen = entry.seq
            return self._newest

    def for_sealing(self) -> bytes:
        """The key to seal a new note with: made now if there is none and no note is sealed yet."""
        expected = self.sealed_with()
        if not self._exists():
            if expected is not None:
                raise self._missing(expected)
            self._create()
        return self._checked(expected)

    def for_opening(self, notes: tuple[RecordedNote, ...]) -> bytes:
        """The key to open these notes with: the one each of them names."""
        expected = notes[-1].sealed.key if notes else self.sealed_with()
        if not self._exists():
            raise self._missing(expected)
        key = self._checked(expected)
        for note in notes:
            if note.sealed.key != fingerprint(key):
                raise self._wrong(note.sealed.key, fingerprint(key), f"note {note.event}")
        return key

    def problem(self) -> str:
        """What keeps notes from being read or written now, in words (empty: nothing)."""
        try:
            expected = self.sealed_with()
            if expected is None and not self._exists():
                return ""
            if not self._exists():
                raise self._missing(expected)
            self._checked(expected)
        except NotesKeyError as error:
            return error.problem
        return ""

    def _checked(self, expected: str | None) -> bytes:
        key = self._read()
        if expected is not None and fingerprint(key) != expected:
            raise self._wrong(expected, fingerprint(key), "the notes")
        return key

    def _exists(self) -> bool:
        """Whether anything is at the key's path (a path the system will not look at is named)."""
        try:
            return self.path.exists()
        except OSError as error:
            raise self._unreadable(error) from None

    def _read(self) -> bytes:
        try:
            if not self.path.is_file():
                raise NotesKeyError(
                    f"the notes' key at {self.path} is not a file (a folder, a device or a pipe): put the notes' "
                    "key file there (nothing was written or read; the sealed notes stay in the record)",
                    self.path,
                )
            with self.path.open("rb") as handle:  # a file far too long is no key: it is not read whole
                held = handle.read(KEY_FILE_MOST + 1)
            key = base64.b64decode(held.decode("ascii").strip(), validate=True) if len(held) <= KEY_FILE_MOST else b""
        except (OSError, UnicodeDecodeError, ValueError, binascii.Error) as error:
            raise self._unreadable(error) from None
        if len(key) != KEY_BYTES:
            raise NotesKeyError(
                f"the file at {self.path} is not a notes key ({KEY_BYTES} bytes in base64): nothing was written "
                "or read; the sealed notes stay in the record",
                self.path,
            )
        return key

    def _create(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:  # made meanwhile (another request, another process): use it
                return
            with os.fdopen(descriptor, "w", encoding="ascii") as handle:
                handle.write(_b64(secrets.token_bytes(KEY_BYTES)) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as error:
            raise NotesKeyError(
                f"no notes' key can be made at {self.path} ({_said(error)}): give a path in a folder the server "
                "may write (--notes-key PATH); nothing was written",
                self.path,
            ) from None

    def _unreadable(self, error: Exception) -> NotesKeyError:
        return NotesKeyError(
            f"the notes' key at {self.path} cannot be read ({_said(error)}): nothing was written or read; "
            "the sealed notes stay in the record",
            self.path,
        )

    def _missing(self, expected: str | None) -> NotesKeyError:
        sealed = f"the notes were sealed with key {expected}" if expected else "notes are sealed"
        return NotesKeyError(
            f"{sealed}; there is no key at {self.path}: put the notes' key back there (the sealed notes stay "
            "in the record, unread; a new key would open none of them)",
            self.path,
        )

    def _wrong(self, expected: str, found: str, what: str) -> NotesKeyError:
        sealed = "the notes were" if what == "the notes" else f"{what} was"
        return NotesKeyError(
            f"{sealed} sealed with key {expected}; the key at {self.path} is {found}: put the notes' key there "
            "(nothing was written or read; the sealed notes stay in the record)",
            self.path,
        )


def _said(error: Exception) -> str:
    if isinstance(error, FileNotFoundError):
        return "no such file"
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, OSError) and error.strerror:
        return f"{error.strerror.lower()}: {error.filename}" if error.filename else error.strerror.lower()
    return "not base64" if isinstance(error, ValueError | binascii.Error) else type(error).__name__
