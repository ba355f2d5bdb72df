"""A report's proof: the events it cites, as the record held them, and the chain's head then.

Each cited event is named by its position in the log (``seq``), its event id, type and time, and
the hash the record keeps for it; the chain head is the last entry's position and hash when the
report was made. With them: when the report was made, by whom, on which site, and what it is of.
The proof is kept in the report (a PDF's ``proof.json`` attachment, an HTML report's
``<script type="application/json" id="proof">``) as canonical JSON: sorted keys, no spaces, so one
proof is one byte string, and its SHA-256 (``fingerprint``), printed in the report, names it.

Checking a proof against the record is ``gatewatch.reports.verify``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Annotated

import msgspec

from gatewatch.core.limits import ID_CHARS, TEXT_CHARS
from gatewatch.store.chain import Entry

FORMAT = "gatewatch-report-proof/1"
"""The proof's format; a proof of another format is refused, not misread."""
MAX_CITED = 20_000
"""Events one report may cite (a window is refused before it comes near: ``content.MAX_WINDOW_EVENTS``)."""

Seq = Annotated[int, msgspec.Meta(ge=0, le=2**31 - 1)]
Hash = Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{64}$")]
Id = Annotated[str, msgspec.Meta(min_length=1, max_length=ID_CHARS)]
Short = Annotated[str, msgspec.Meta(max_length=ID_CHARS)]
Text = Annotated[str, msgspec.Meta(max_length=TEXT_CHARS)]


class Cited(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One event a report cites, as the record held it when the report was made."""

    seq: Seq
    event: Id
    type: Short
    at: Short
    hash: Hash


class Head(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The chain's head: the newest entry's position and hash (0 and the genesis hash: an empty record)."""

    seq: Seq
    hash: Hash


class Proof(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What a report proves: the cited events, the chain head, and who made it, when, where, of what."""

    format: Short
    site: Short
    subject: Text
    """What the report is of: ``case C-12`` or ``window 1940-08-01 – 1940-08-31``."""
    made_at: Short
    made_by: Short
    head: Head
    cited: Annotated[tuple[Cited, ...], msgspec.Meta(max_length=MAX_CITED)]


def cite(entry: Entry) -> Cited:
    """The citation of one recorded entry."""
    return Cited(seq=entry.seq, event=entry.event_id, type=entry.type, at=entry.at, hash=entry.hash)


def make(site: str, subject: str, made_at: str, made_by: str, head: tuple[int, str], entries: Iterable[Entry]) -> Proof:
    """The proof of a report citing ``entries`` (each once, in the log's order), made with the chain at ``head``.

    ``head`` is read after the entries, so every cited entry is at or before it.
    """
    cited = {entry.seq: cite(entry) for entry in entries}
    if len(cited) > MAX_CITED:
        raise ValueError(f"a report cites at most {MAX_CITED:,} events; this one would cite {len(cited):,}")
    beyond = sorted(seq for seq in cited if seq > head[0])
    if beyond:
        raise ValueError(f"entry {beyond[0]} is cited but the chain head given is entry {head[0]}")
    return Proof(
        format=FORMAT,
        site=site,
        subject=subject,
        made_at=made_at,
        made_by=made_by,
        head=Head(seq=head[0], hash=head[1]),
        cited=tuple(cited[seq] for seq in sorted(cited)),
    )


_encoder = msgspec.json.Encoder(order="sorted")
_decoder = msgspec.json.Decoder(Proof)


def canonical(proof: Proof) -> bytes:
    """The proof as canonical JSON (sorted keys, no spaces): one proof, one byte string."""
    return _encoder.encode(proof)


def fingerprint(proof: Proof) -> str:
    """The SHA-256 of the proof's canonical JSON: printed in the report, it names the proof kept in it."""
    return hashlib.sha256(canonical(proof)).hexdigest()


class ProofError(ValueError):
    """A report whose proof cannot be read: none, not JSON, another format, a field missing or out of bounds."""


def load(raw: bytes | str) -> Proof:
    """A proof read back from a report, every field checked, and its citations in order, each once, none past
    its head (``ProofError`` names what is wrong)."""
    try:
        found = _decoder.decode(raw)
    except msgspec.ValidationError as error:
        raise ProofError(f"the report's proof: {error}") from None
    except msgspec.DecodeError as error:
        raise ProofError(f"the report's proof is not JSON: {error}") from None
    if found.format != FORMAT:
        raise ProofError(f"the report's proof is of format {found.format!r}; this version reads {FORMAT!r}")
    _in_order(found)
    return found


def _in_order(proof: Proof) -> None:
    """A proof as ``make`` makes it: each entry cited once, in the log's order, none past the chain head."""
    last = 0
    for cited in proof.cited:
        if cited.seq == last:
            raise ProofError(f"the report's proof: entry {cited.seq} is cited twice")
        if cited.seq < last:
            raise ProofError(f"the report's proof: entry {cited.seq} is cited after entry {last}")
        if cited.seq > proof.head.seq:
            raise ProofError(
                f"the report's proof: entry {cited.seq} is cited past the chain head, entry {proof.head.seq}"
            )
        last = cited.seq
