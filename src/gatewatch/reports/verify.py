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

Against itself: the report prints its proof and keeps it as JSON. Read without white space, the
printed text must hold, for each event the JSON cites, its row of the proof table (position, event
id, type, time and full hash, in that order) and a line of the report naming it (``#`` position
and the hash's first characters); the chain head as ``entry S · HASH``; and the fingerprint of the
JSON. So a report edited by hand, in its text or in its kept proof, fails too: a row of the proof
table printed otherwise than kept (another time or event beside the right hash), or a proof
padded with events the report does not speak of. The text is read once, whatever the number of
cited events: the full hashes where they are printed, the lines' citations where a ``#`` is.

A PDF's text comes back imperfectly when the report holds other scripts: an id in Chinese or
Devanagari is read back as other characters (and the Latin text beside it with a NUL before
each character, left out here), an Arabic one right to left. So a row whose event id is not
plain ASCII is held to its type, time and hash only; its position is still held by the line that
names it (``#`` position and short hash, printed in a monospaced font that always reads back).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gatewatch.reports.content import SHORT_HASH
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


_SPACE = re.compile(r"[\s\x00]+")
HASH_CHARS = 64
SEQ_DIGITS = 10
"""A position has at most ten digits (``proof.Seq``)."""
_HEX_RUN = re.compile(f"[0-9a-f]{{{HASH_CHARS},}}")
_CITATION = re.compile(f"#([0-9]{{1,{SEQ_DIGITS}}})")


def against_print(proof: Proof, printed: str) -> tuple[str, ...]:
    """What the report's printed text lacks of its own proof (see the module's procedure).

    Read without white space (a long hash or id may be broken across lines when a PDF's text is read back)
    and without NULs.
    """
    text = _SPACE.sub("", printed)
    hashes = {c.hash for c in proof.cited} | {proof.head.hash}
    where = _hashes_at(text, hashes)
    named = _citations(text, {(c.seq, c.hash[:SHORT_HASH]) for c in proof.cited})
    problems: list[str] = []
    for c in proof.cited:
        if c.hash not in where:
            problems.append(f"entry {c.seq} ({c.event}): the hash the report keeps ({c.hash}) is not the one printed")
        elif not _row_at(text, where[c.hash], _row(c), hashes):
            problems.append(
                f"entry {c.seq} ({c.event}): the proof table prints its hash, not as kept with it: "
                f"entry {c.seq}, event {c.event}, {c.type} at {c.at}"
            )
        if (c.seq, c.hash[:SHORT_HASH]) not in named:
            problems.append(
                f"entry {c.seq} ({c.event}): in the proof, but no line of the report names it "
                f"(#{c.seq} {c.hash[:SHORT_HASH]})"
            )
    if proof.head.hash not in where:
        problems.append(f"the chain head's hash the report keeps ({proof.head.hash}) is not the one printed")
    elif not any(_follows(text, at, f"entry{proof.head.seq}·") for at in where[proof.head.hash]):
        problems.append(
            f"the chain head the report keeps (entry {proof.head.seq}, {proof.head.hash}) is not the one printed"
        )
    if (kept := fingerprint(proof)) not in text:
        problems.append(f"the proof the report keeps (fingerprint {kept}) is not the one it prints")
    return tuple(problems)


def _row(c: Cited) -> str:
    """What the proof table prints before a cited event's hash, as it reads back: its position, id, type and
    time; its type and time only when its id is not plain ASCII (see the module's procedure)."""
    event = _SPACE.sub("", c.event)
    return _SPACE.sub("", f"{c.seq}{event}{c.type}{c.at}" if event.isascii() else f"{c.type}{c.at}")


def _hashes_at(text: str, wanted: set[str]) -> dict[str, list[int]]:
    """Where each wanted hash begins in the text: each run of hex digits read once, 64 characters at a time."""
    found: dict[str, list[int]] = {}
    for run in _HEX_RUN.finditer(text):
        for at in range(run.start(), run.end() - HASH_CHARS + 1):
            if (window := text[at : at + HASH_CHARS]) in wanted:
                found.setdefault(window, []).append(at)
    return found


def _row_at(text: str, starts: list[int], before: str, hashes: set[str]) -> bool:
    """Whether one of these places is right after ``before``; when ``before`` begins with the position, it
    must begin the row: after no digit, or right after the row above's hash (not inside a longer number)."""
    for at in starts:
        if _follows(text, at, before):
            begins = at - len(before)
            if (
                not before[:1].isdigit()  # begins with the type: no number to cut short
                or begins == 0
                or not text[begins - 1].isdigit()
                or text[max(begins - HASH_CHARS, 0) : begins] in hashes
            ):
                return True
    return False


def _follows(text: str, at: int, before: str) -> bool:
    """Whether ``before`` is printed right before place ``at``."""
    return at >= len(before) and text.startswith(before, at - len(before))


def _citations(text: str, wanted: set[tuple[int, str]]) -> set[tuple[int, str]]:
    """The wanted (position, short hash) pairs a ``#`` begins: the digits after it split each way they can be
    (a short hash may itself begin with digits)."""
    named: set[tuple[int, str]] = set()
    for mark in _CITATION.finditer(text):
        digits = mark.group(1)
        for cut in range(1, len(digits) + 1):
            after = mark.start(1) + cut
            if (pair := (int(digits[:cut]), text[after : after + SHORT_HASH])) in wanted:
                named.add(pair)
    return named


def verify(proof: Proof, printed: str, log: EventLog) -> Verification:
    """The report checked against the record and against its own printed text."""
    found = against_record(proof, log)
    return Verification(proof, found.mismatches, found.head, against_print(proof, printed))
