"""The hash chain, as pure functions: what an entry's hash covers, and how it is checked.

Each entry's hash is SHA-256 over its position, its identity and time fields, the digest of
its payload, the digest of the engine's outcome, and the previous entry's hash. The chain
covers the payload's *digest*, not the payload, so a payload can be redacted (set to null)
without breaking the chain; the digest still proves what was there.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import msgspec

GENESIS = "0" * 64
"""The previous hash of the first entry."""

_encoder = msgspec.json.Encoder(order="sorted")


def canonical(value: Any) -> bytes:
    """One byte string per value: JSON with sorted keys and no spaces."""
    return _encoder.encode(value)


def digest(value: Any) -> str:
    return hashlib.sha256(canonical(value)).hexdigest()


@dataclass(frozen=True, slots=True)
class Entry:
    """One stored event as the chain sees it (``payload`` is ``None`` once redacted)."""

    seq: int
    event_id: str
    type: str
    at: str
    received: str
    submitted_by: str
    payload: dict[str, Any] | None
    payload_digest: str
    outcome: dict[str, Any]
    prev_hash: str
    hash: str
    redacted: bool = False


def entry_hash(
    seq: int,
    event_id: str,
    type_: str,
    at: str,
    received: str,
    submitted_by: str,
    payload_digest: str,
    outcome_digest: str,
    prev_hash: str,
) -> str:
    covered = {
        "seq": seq,
        "event_id": event_id,
        "type": type_,
        "at": at,
        "received": received,
        "submitted_by": submitted_by,
        "payload": payload_digest,
        "outcome": outcome_digest,
        "prev": prev_hash,
    }
    return digest(covered)


def expected_hash(entry: Entry) -> str:
    return entry_hash(
        entry.seq,
        entry.event_id,
        entry.type,
        entry.at,
        entry.received,
        entry.submitted_by,
        entry.payload_digest,
        digest(entry.outcome),
        entry.prev_hash,
    )


@dataclass(frozen=True, slots=True)
class Verdict:
    """The result of checking a whole chain: the count and head, or the first bad entry."""

    ok: bool
    count: int
    head: str
    redacted: int = 0
    problem: str = ""
    seq: int | None = None


def check(entries: Any) -> Verdict:
    """Walk entries in ``seq`` order and name the first that was altered, removed or reordered."""
    previous, expected_seq, count, redacted = GENESIS, 1, 0, 0
    for entry in entries:
        where = f"entry {expected_seq}"
        if entry.seq != expected_seq:
            gone = f"entries {expected_seq}–{entry.seq - 1} are" if entry.seq > expected_seq + 1 else f"{where} is"
            problem = f"{gone} missing (removed)" if entry.seq > expected_seq else f"entry {entry.seq} is out of order"
            return Verdict(False, count, previous, redacted, problem, expected_seq)
        if entry.prev_hash != previous:
            problem = f"{where} ({entry.event_id}) does not follow entry {expected_seq - 1}: reordered or inserted"
            return Verdict(False, count, previous, redacted, problem, entry.seq)
        if entry.payload is not None and digest(entry.payload) != entry.payload_digest:
            return Verdict(False, count, previous, redacted, f"{where} ({entry.event_id}): payload altered", entry.seq)
        if expected_hash(entry) != entry.hash:
            return Verdict(False, count, previous, redacted, f"{where} ({entry.event_id}): altered", entry.seq)
        previous, expected_seq, count = entry.hash, expected_seq + 1, count + 1
        redacted += entry.redacted
    return Verdict(True, count, previous, redacted)
