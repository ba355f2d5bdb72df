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


def redaction_problem(entry: Entry) -> str:
    """What is wrong with how this entry's payload is held: only a redaction may drop it, and it drops it whole."""
    if entry.payload is None and not entry.redacted:
        return "payload removed (set to null) without a redaction"
    if entry.redacted and entry.payload is not None:
        return "marked redacted yet still holds its payload"
    return ""


def check(entries: Any, start: tuple[int, str] = (0, GENESIS)) -> Verdict:
    """Walk entries in ``seq`` order and name the first that was altered, removed or reordered.

    ``start``: the entry before the first one walked and its hash (the whole chain by default).
    """
    (after, previous), count, redacted = start, 0, 0
    expected_seq = after + 1
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
        if held := redaction_problem(entry):
            return Verdict(False, count, previous, redacted, f"{where} ({entry.event_id}): {held}", entry.seq)
        previous, expected_seq, count = entry.hash, expected_seq + 1, count + 1
        redacted += entry.redacted
    return Verdict(True, count, previous, redacted)


# --- the side tables' chains ------------------------------------------------------------


def link_hash(table: str, fields: dict[str, Any], prev_hash: str) -> str:
    """A side table row's hash: SHA-256 over its table's name, the fields it keeps, and the previous row's hash."""
    return digest({"table": table, "row": fields, "prev": prev_hash})


@dataclass(frozen=True, slots=True)
class Link:
    """One row of a side table as its chain sees it: its key (id or position), what it keeps, its two hashes."""

    key: int
    fields: dict[str, Any]
    prev_hash: str | None
    hash: str | None


@dataclass(frozen=True, slots=True)
class LinkVerdict:
    """A side table's chain checked: its row count and head hash, or the first row altered, removed or inserted.

    ``marks``: for each position asked for (a count of rows), the key and hash of the row there.
    """

    table: str
    ok: bool
    count: int
    head: str
    problem: str = ""
    marks: dict[int, tuple[int, str]] | None = None


def check_links(
    table: str, rows: Any, wanted: frozenset[int] = frozenset(), start: tuple[int, str] = (0, GENESIS)
) -> LinkVerdict:
    """Walk a side table's rows in insert order and name the first that breaks its chain.

    ``start``: how many rows come before the first one walked, and the hash of the last of them.
    """
    count, previous = start
    last_key: int | None = None
    marks: dict[int, tuple[int, str]] = {}
    for row in rows:
        where = f"{table} row {row.key}"
        if row.hash is None or row.prev_hash is None:
            return LinkVerdict(table, False, count, previous, f"{where} is not chained: inserted outside the record")
        if row.prev_hash != previous:
            before = f"row {last_key}" if last_key is not None else "the chain's start"
            problem = (
                f"{where} does not follow {before}: a row was removed, inserted or altered (and rehashed) before it"
            )
            return LinkVerdict(table, False, count, previous, problem)
        if link_hash(table, row.fields, row.prev_hash) != row.hash:
            return LinkVerdict(table, False, count, previous, f"{where}: altered")
        previous, count, last_key = row.hash, count + 1, row.key
        if count in wanted:
            marks[count] = (row.key, row.hash)
    return LinkVerdict(table, True, count, previous, marks=marks)
