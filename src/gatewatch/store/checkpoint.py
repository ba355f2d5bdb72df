"""Signed checkpoints of the record, kept outside its database.

A checkpoint says, signed with an Ed25519 key: for this site, at this time, the log held ``seq``
entries and entry ``seq``'s hash was ``head``; each side table's chain held so many rows and its
last row's hash was this. The private key lives in a file outside the database (by default
``DATA/checkpoint.key``, made 0600 on first use; the public key is written beside it as
``checkpoint.pub``), and checkpoints are appended, one JSON object a line, to a file outside
the database (by default ``DATA/checkpoints.jsonl``). Someone who can change the database but
not these files cannot rewrite, cut or empty the record without it being seen.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from gatewatch.store import links
from gatewatch.store.chain import canonical
from gatewatch.store.log import EventLog

KEY_FILE = "checkpoint.key"
CHECKPOINTS_FILE = "checkpoints.jsonl"


class CheckpointError(ValueError):
    """A key or checkpoints file that cannot be used, named with the problem."""


@dataclass(frozen=True, slots=True)
class CheckpointPlace:
    """Where the signing key and the checkpoints are kept (both outside the database)."""

    key: Path
    file: Path

    @property
    def public(self) -> Path:
        return self.key.with_suffix(".pub")

    @classmethod
    def of(cls, data: Path | None, key: Path | None = None, file: Path | None = None) -> CheckpointPlace | None:
        """The place named by the options, each defaulting to the data directory; ``None`` if nothing names one."""
        if data is None and (key is None or file is None):
            return None
        base = data if data is not None else Path()
        return cls(key or base / KEY_FILE, file or base / CHECKPOINTS_FILE)


@dataclass(frozen=True, slots=True)
class TableHead:
    """How many rows a side table's chain held, and its last row's hash."""

    count: int
    head: str


@dataclass(frozen=True, slots=True)
class RecordState:
    """What a checkpoint signs about the record: the log's head and each side table's."""

    seq: int
    head: str
    tables: dict[str, TableHead]


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """One signed checkpoint, as read back from its line of the checkpoints file."""

    site: str
    at: str
    state: RecordState
    key: str
    signature: str
    line: int = 0

    def body(self) -> dict[str, Any]:
        """What the signature covers."""
        return {
            "site": self.site,
            "at": self.at,
            "seq": self.state.seq,
            "head": self.state.head,
            "tables": {name: {"count": t.count, "head": t.head} for name, t in sorted(self.state.tables.items())},
            "key": self.key,
        }

    def describe(self) -> str:
        where = f"line {self.line}, " if self.line else ""
        return f"the checkpoint of {self.at} ({where}entry {self.state.seq})"


@dataclass(frozen=True, slots=True)
class Reading:
    """The checkpoints file read and checked: the checkpoints whose signature holds, and what is wrong with the rest."""

    checkpoints: tuple[Checkpoint, ...]
    problems: tuple[str, ...]
    lines: int

    @property
    def newest(self) -> Checkpoint | None:
        return self.checkpoints[-1] if self.checkpoints else None


def fingerprint(public: Ed25519PublicKey) -> str:
    """A short name for a public key: the first 16 hex digits of the SHA-256 of its raw bytes."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def signing_key(place: CheckpointPlace) -> Ed25519PrivateKey:
    """The private key, made on first use (file mode 0600, the public key written beside it)."""
    if not place.key.exists():
        _create_key(place)
    try:
        loaded = serialization.load_pem_private_key(place.key.read_bytes(), password=None)
    except (ValueError, TypeError, OSError) as error:
        raise CheckpointError(f"checkpoint key {place.key}: not an Ed25519 private key ({error})") from None
    if not isinstance(loaded, Ed25519PrivateKey):
        raise CheckpointError(f"checkpoint key {place.key}: not an Ed25519 private key")
    if not place.public.exists():
        _write_public(place, loaded.public_key())
    return loaded


def _create_key(place: CheckpointPlace) -> None:
    place.key.parent.mkdir(parents=True, exist_ok=True)
    made = Ed25519PrivateKey.generate()
    pem = made.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    try:
        descriptor = os.open(place.key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
        handle.flush()
        os.fsync(handle.fileno())
    _write_public(place, made.public_key())


def _write_public(place: CheckpointPlace, public: Ed25519PublicKey) -> None:
    pem = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    place.public.write_bytes(pem)


def public_key(place: CheckpointPlace, given: Path | None = None) -> Ed25519PublicKey | None:
    """The key to check checkpoints with: ``given`` (e.g. a copy kept off-site), else the one beside the private key."""
    path = given or place.public
    if not path.exists():
        return signing_key(place).public_key() if given is None and place.key.exists() else None
    try:
        loaded = serialization.load_pem_public_key(path.read_bytes())
    except ValueError as error:
        raise CheckpointError(f"public key {path}: not a PEM public key ({error})") from None
    if not isinstance(loaded, Ed25519PublicKey):
        raise CheckpointError(f"public key {path}: not an Ed25519 public key")
    return loaded


def key_problem(place: CheckpointPlace) -> str:
    """What is wrong with the key pair kept at ``place`` (the public key must be the private key's own)."""
    if not (place.key.exists() and place.public.exists()):
        return ""
    beside = public_key(place)
    own = signing_key(place).public_key()
    if beside is None or fingerprint(beside) != fingerprint(own):
        return f"the public key {place.public} is not the checkpoint key's own: it was replaced"
    return ""


def record_state(log: EventLog) -> RecordState:
    """The log's head and each side table's, as they stand now."""
    seq, head = log.head()
    with log.engine.connect() as connection:
        tables = {}
        for chain in links.SIDE_CHAINS:
            _, last, count = links.head(connection, chain)
            tables[chain.name] = TableHead(count, last)
    return RecordState(seq, head, tables)


def make_checkpoint(place: CheckpointPlace, log: EventLog, site: str, now: datetime | None = None) -> Checkpoint:
    """Sign the record's state now and append the checkpoint to the checkpoints file (flushed to disk)."""
    signer = signing_key(place)
    at = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    unsigned = Checkpoint(site, at, record_state(log), fingerprint(signer.public_key()), "")
    signature = base64.b64encode(signer.sign(canonical(unsigned.body()))).decode()
    line = canonical({**unsigned.body(), "signature": signature}).decode()
    place.file.parent.mkdir(parents=True, exist_ok=True)
    with place.file.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return Checkpoint(site, at, unsigned.state, unsigned.key, signature)


def read_checkpoints(
    place: CheckpointPlace, public: Path | None = None, file: Path | None = None, only_newest: bool = False
) -> Reading:
    """Every checkpoint in the file (or the last one only), each signature checked; a bad line is named."""
    source = file or place.file
    if not source.exists():
        return Reading((), (), 0)
    key = public_key(place, public)
    with source.open(encoding="utf-8") as handle:
        numbered = [(number, text) for number, text in enumerate(handle, start=1) if text.strip()]
    good: list[Checkpoint] = []
    problems: list[str] = []
    for number, text in numbered[-1:] if only_newest else numbered:
        try:
            found = _parse(text, number)
        except CheckpointError as error:
            problems.append(f"checkpoints file {source} line {number}: {error}")
            continue
        if key is None:
            problems.append(f"{found.describe()} cannot be checked: no public key at {public or place.public}")
        elif not _signed(found, key):
            problems.append(
                f"{found.describe()} is forged: its signature does not verify with the public key {fingerprint(key)}"
            )
        else:
            good.append(found)
    return Reading(tuple(good), tuple(problems), len(numbered))


def export_checkpoints(place: CheckpointPlace, out: Path) -> int:
    """Copy the checkpoints file to ``out`` and the public key beside it (``out`` with ``.pub``); the line count."""
    lines = place.file.read_text(encoding="utf-8") if place.file.exists() else ""
    out.write_text(lines, encoding="utf-8")
    key = public_key(place)
    if key is not None:
        pem = key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        out.with_suffix(".pub").write_bytes(pem)
    return sum(1 for line in lines.splitlines() if line.strip())


def _signed(checkpoint: Checkpoint, key: Ed25519PublicKey) -> bool:
    try:
        key.verify(base64.b64decode(checkpoint.signature, validate=True), canonical(checkpoint.body()))
    except (InvalidSignature, ValueError):
        return False
    return True


def _parse(text: str, line: int) -> Checkpoint:
    try:
        data = msgspec.json.decode(text)
    except msgspec.DecodeError as error:
        raise CheckpointError(f"not JSON ({error})") from None
    if not isinstance(data, dict):
        raise CheckpointError("not a checkpoint (a JSON object was expected)")
    for name, kind in (("site", str), ("at", str), ("seq", int), ("head", str), ("key", str), ("signature", str)):
        if not isinstance(data.get(name), kind):
            raise CheckpointError(f"field '{name}': missing or not a {kind.__name__}")
    tables = data.get("tables")
    if not isinstance(tables, dict):
        raise CheckpointError("field 'tables': missing or not an object")
    heads: dict[str, TableHead] = {}
    for name, value in tables.items():
        if not (isinstance(value, dict) and isinstance(value.get("count"), int) and isinstance(value.get("head"), str)):
            raise CheckpointError(f"field 'tables.{name}': a count and a head were expected")
        heads[name] = TableHead(value["count"], value["head"])
    state = RecordState(data["seq"], data["head"], heads)
    return Checkpoint(data["site"], data["at"], state, data["key"], data["signature"], line)
