"""Check a report's proof against the record, and the report against its own proof.

Against the record, for each cited event (the entries read by position, in batches):

1. the record has an entry at that position, and it is the cited event (same event id, type, time);
2. the hash the record keeps for it is the hash the report cites;
3. its payload, unless redacted, still gives the payload digest the chain covers;
4. the hash recomputed from the stored row (``store.chain.expected_hash``) is that hash too, so
   a row altered in place is caught whether or not its hash column was rewritten to match;

and the entry at the chain head's position still has the head's hash. Every mismatch is named:
the position, the event id and what differs. (The whole chain, entry by entry, is
``gatewatch log verify``'s; this check holds the report to what the record says now.)

Against itself: the report prints its proof (each cited event's full hash, the head's hash and
the proof's fingerprint) and keeps it as JSON; the printed text must hold every hash the JSON
cites and the fingerprint of that JSON, so a report edited by hand, in its text or in its kept
proof, fails too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gatewatch.reports.proof import Cited, Proof, fingerprint
from gatewatch.store.chain import Entry, digest, expected_hash
from gatewatch.store.log import EventLog


@dataclass(frozen=True, slots=True)
class Mismatch:
    """A cited event that no longer matches the record: where, which, and what differs."""

    seq: int
    event: str
    differs: str

    def describe(self) -> str:
        return f"entry {self.seq} ({self.event}): {self.differs}"


@dataclass(frozen=True, slots=True)
class Verification:
    """A report checked: what did not match the record, and what is wrong with the report itself."""

    proof: Proof
    mismatches: tuple[Mismatch, ...] = ()
    head: str = ""
    """What is wrong with the chain head (empty: the entry there still has its hash)."""
    report: tuple[str, ...] = ()
    """What is wrong with the report against its own proof (empty: it prints what it keeps)."""

    @property
    def ok(self) -> bool:
        return not self.mismatches and not self.head and not self.report

    @property
    def matched(self) -> int:
        return len(self.proof.cited) - len({m.seq for m in self.mismatches})


def against_record(proof: Proof, log: EventLog) -> Verification:
    """Each cited event and the chain head, checked against the record as it is now."""
    held = log.entries_at([c.seq for c in proof.cited] + [proof.head.seq])
    mismatches = [m for cited in proof.cited for m in _differences(cited, held.get(cited.seq))]
    return Verification(proof, tuple(mismatches), head=_head_problem(proof, held.get(proof.head.seq)))


def _differences(cited: Cited, entry: Entry | None) -> list[Mismatch]:
    if entry is None:
        return [Mismatch(cited.seq, cited.event, "no entry at this position: the record was cut or emptied")]
    if entry.event_id != cited.event:
        return [Mismatch(cited.seq, cited.event, f"the record has another event here ({entry.event_id})")]
    found: list[str] = []
    if (entry.type, entry.at) != (cited.type, cited.at):
        found.append(f"recorded as {entry.type} at {entry.at}, cited as {cited.type} at {cited.at}")
    if entry.hash != cited.hash:
        found.append(f"its hash in the record is {entry.hash}, the report cites {cited.hash}")
    if entry.payload is not None and digest(entry.payload) != entry.payload_digest:
        found.append("its payload was altered: it no longer gives the digest the chain covers")
    if expected_hash(entry) != entry.hash:
        found.append("its row was altered: its content no longer gives the hash it keeps")
    return [Mismatch(cited.seq, cited.event, problem) for problem in found]


def _head_problem(proof: Proof, entry: Entry | None) -> str:
    if proof.head.seq == 0:
        return ""  # the record was empty: nothing to hold
    if entry is None:
        return f"the chain head, entry {proof.head.seq}, is no longer in the record"
    if entry.hash != proof.head.hash:
        return f"the chain head, entry {proof.head.seq}, now has hash {entry.hash}, the report says {proof.head.hash}"
    return ""


_SPACE = re.compile(r"\s+")


def against_print(proof: Proof, printed: str) -> tuple[str, ...]:
    """What the report's printed text lacks of its own proof: each cited hash, the head's, the fingerprint.

    Read without white space (a long hash may be broken across lines when a PDF's text is read back).
    """
    text = _SPACE.sub("", printed)
    problems = [
        f"entry {c.seq} ({c.event}): the hash the report keeps ({c.hash}) is not the one printed"
        for c in proof.cited
        if c.hash not in text
    ]
    if proof.head.hash not in text:
        problems.append(f"the chain head's hash the report keeps ({proof.head.hash}) is not the one printed")
    if (kept := fingerprint(proof)) not in text:
        problems.append(f"the proof the report keeps (fingerprint {kept}) is not the one it prints")
    return tuple(problems)


def verify(proof: Proof, printed: str, log: EventLog) -> Verification:
    """The report checked against the record and against its own printed text."""
    found = against_record(proof, log)
    return Verification(proof, found.mismatches, found.head, against_print(proof, printed))
