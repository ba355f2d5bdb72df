"""Each site's chain, checked entry by entry as it arrives at head office (pure: no I/O).

A ``SiteWatch`` knows one site's head (the position and hash of the newest entry head office
holds) and judges each shipped entry:

- ``Accept``: the next one (position head + 1), following the head, its hash recomputed from its
  fields, its payload's digest checked (not for a withheld view, whose digest covers the original
  head office never sees; a redacted entry has no payload and is accepted). The head moves on.
- ``Duplicate``: one head office holds already (at or before the head) with the same hash: a
  resend; acknowledge it and drop it.
- ``Hold``: a later one before an earlier one (a gap): kept, unacknowledged, until the gap
  fills; ``release`` then gives the held entries that follow, each judged in turn. Past
  ``HOLD_MOST`` held entries, or a gap open longer than ``GAP_PATIENCE_S``, the gap is a ``Break``.
- ``Break``: the chain is broken there (an altered entry, a wrong link, a position that arrives
  again with another hash, an entry of another site): the site's ingest stops and nothing past
  it is taken. The watch stays broken; every later entry gets the same ``Break``.

The problems are worded as ``store.chain.check`` words them, and name the entry's position;
``Break.message`` names the site too.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from gatewatch.store.chain import canonical, entry_hash, redaction_problem
from gatewatch.sync import wire

HOLD_MOST = 2_000
"""The most entries held while waiting for an earlier one."""
GAP_PATIENCE_S = 120.0
"""How long a gap may stay open (the earliest held entry waiting), in seconds."""
REMEMBERED = 4_096
"""Hashes of the newest accepted entries kept, to tell a resend without asking the store."""

_NUL = b"\\u0000"
"""How canonical JSON writes a NUL character (PostgreSQL's JSONB cannot hold one)."""
_BACKSLASHES = re.compile(rb"\\*")
_INEXACT = re.compile(rb"-0\.0(?![0-9])|[0-9]e[0-9]")
"""Text in canonical JSON that may be a number JSONB gives back as another (checked by ``_inexact_number``)."""


@dataclass(frozen=True, slots=True)
class Accept:
    """The next entry of the chain, checked: store it."""

    shipped: wire.Shipped


@dataclass(frozen=True, slots=True)
class Duplicate:
    """An entry head office holds already: acknowledge and drop it."""

    shipped: wire.Shipped


@dataclass(frozen=True, slots=True)
class Hold:
    """A later entry before an earlier one: keep it unacknowledged until the gap fills (see ``release``)."""

    shipped: wire.Shipped


@dataclass(frozen=True, slots=True)
class Break:
    """The site's chain is broken at ``position``: stop its ingest (``shipped``: the offending entry, if one)."""

    site: str
    position: int
    problem: str
    shipped: wire.Shipped | None = None

    @property
    def message(self) -> str:
        return f"site {self.site}: {self.problem}"


Verdict = Accept | Duplicate | Hold | Break


class SiteWatch:
    """One site's chain as head office takes it: the head, the entries held past a gap, and a break once found."""

    def __init__(self, site: str, head_seq: int = 0, head_hash: str = "0" * 64) -> None:
        self.site = wire.check_site_id(site)
        if head_seq < 0:
            raise ValueError(f"site {site}: head position {head_seq} is negative")
        self.head_seq = head_seq
        self.head_hash = head_hash
        self.broken: Break | None = None
        self._held: dict[int, tuple[wire.Shipped, float]] = {}
        self._recent: OrderedDict[int, str] = OrderedDict({head_seq: head_hash}) if head_seq else OrderedDict()

    @property
    def held(self) -> int:
        """How many entries wait for an earlier one."""
        return len(self._held)

    def held_entries(self) -> list[wire.Shipped]:
        """The entries held, in order (the caller keeps their messages unacknowledged)."""
        return [self._held[seq][0] for seq in sorted(self._held)]

    def take(self, shipped: wire.Shipped, known_hash: str | None = None, now: float = 0.0) -> Verdict:
        """Judge one arriving entry (see the module's words); ``now``: a monotonic clock, in seconds.

        ``known_hash``: for an entry at or before the head, the hash head office holds at that
        position (``OfficeStore.hash_at``); not needed for the head itself or the newest accepted
        entries, which the watch remembers. Without it, an older entry cannot be told from an
        altered one, and is a ``Break``.
        """
        if self.broken is not None:
            return self.broken
        if shipped.site != self.site:
            return self._break(
                shipped.seq,
                f"entry {shipped.seq} ({shipped.event_id}) names site {shipped.site}: not this site's entry",
                shipped,
            )
        if shipped.seq <= self.head_seq:
            return self._again(shipped, known_hash)
        if shipped.seq > self.head_seq + 1:
            return self._hold(shipped, now)
        verdict = self._judge(shipped)
        if isinstance(verdict, Accept):
            self._advance(shipped)
        return verdict

    def release(self, now: float = 0.0) -> list[Verdict]:
        """The held entries that now follow the head, each judged in order; a ``Break`` if the gap stayed too long."""
        if self.broken is not None:
            return []
        done: list[Verdict] = []
        while (held := self._held.pop(self.head_seq + 1, None)) is not None:
            verdict = self._judge(held[0])
            done.append(verdict)
            if not isinstance(verdict, Accept):
                return done
            self._advance(held[0])
        if self._held and now - min(since for _shipped, since in self._held.values()) > GAP_PATIENCE_S:
            done.append(self._missing())
        return done

    def reset(self, head_seq: int, head_hash: str) -> None:
        """Start again from the head the store holds (after a commit failed): nothing held, no break."""
        self.head_seq, self.head_hash, self.broken = head_seq, head_hash, None
        self._held.clear()
        self._recent = OrderedDict({head_seq: head_hash}) if head_seq else OrderedDict()

    # --- the parts -----------------------------------------------------------------------

    def _judge(self, shipped: wire.Shipped) -> Accept | Break:
        """The checks of ``store.chain.check`` on the next entry, in its order and words."""
        where = f"entry {shipped.seq}"
        if shipped.prev_hash != self.head_hash:
            return self._break(
                shipped.seq,
                f"{where} ({shipped.event_id}) does not follow entry {self.head_seq}: reordered or inserted",
                shipped,
            )
        outcome = canonical(shipped.outcome)
        payload = None if shipped.payload is None else canonical(shipped.payload)
        if altered := _altered(shipped, payload, outcome):
            return self._break(shipped.seq, f"{where} ({shipped.event_id}): {altered}", shipped)
        if held := redaction_problem(shipped.entry()):
            return self._break(shipped.seq, f"{where} ({shipped.event_id}): {held}", shipped)
        if _holds_nul(outcome) or (payload is not None and _holds_nul(payload)):
            problem = f"{where} ({shipped.event_id}): holds a NUL character, which head office cannot store"
            return self._break(shipped.seq, problem, shipped)
        inexact = _inexact_number(shipped.outcome, "outcome", outcome)
        if inexact is None and shipped.payload is not None and payload is not None:
            inexact = _inexact_number(shipped.payload, "payload", payload)
        if inexact is not None:
            problem = f"{where} ({shipped.event_id}): {inexact}, which head office cannot store exactly"
            return self._break(shipped.seq, problem, shipped)
        return Accept(shipped)

    def _again(self, shipped: wire.Shipped, known_hash: str | None) -> Duplicate | Break:
        known = known_hash if known_hash is not None else self._recent.get(shipped.seq)
        if known is None:
            problem = (
                f"entry {shipped.seq} ({shipped.event_id}) arrived again, "
                "and head office's hash of it was not given to compare"
            )
            return self._break(shipped.seq, problem, shipped)
        payload = None if shipped.payload is None else canonical(shipped.payload)
        if shipped.hash != known or _altered(shipped, payload, canonical(shipped.outcome)):
            return self._break(shipped.seq, f"entry {shipped.seq} ({shipped.event_id}) arrived again, altered", shipped)
        return Duplicate(shipped)

    def patient(self, now: float) -> None:
        """Start the gap's patience again: head office itself is behind (entries of this site taken
        and not yet written), so the missing entry may be in the stream, not yet delivered."""
        for seq, (shipped, _since) in self._held.items():
            self._held[seq] = (shipped, now)

    def _hold(self, shipped: wire.Shipped, now: float) -> Hold | Break:
        earlier = self._held.get(shipped.seq)
        if earlier is not None and earlier[0].hash != shipped.hash:
            return self._break(shipped.seq, f"entry {shipped.seq} ({shipped.event_id}) arrived again, altered", shipped)
        if earlier is None and len(self._held) >= HOLD_MOST:
            return self._missing(shipped.seq)
        since = earlier[1] if earlier is not None else now
        self._held[shipped.seq] = (shipped, since)  # a redelivery replaces the message kept
        return Hold(shipped)

    def _missing(self, arriving: int | None = None) -> Break:
        """The gap as a break at its first position (no offending message: nothing arrived there)."""
        first = self.head_seq + 1
        last = min([*self._held, *([arriving] if arriving is not None else [])]) - 1
        gone = f"entries {first}–{last} are" if last > first else f"entry {first} is"
        return self._break(first, f"{gone} missing (never arrived)", None)

    def _advance(self, shipped: wire.Shipped) -> None:
        self.head_seq, self.head_hash = shipped.seq, shipped.hash
        self._recent[shipped.seq] = shipped.hash
        while len(self._recent) > REMEMBERED:
            self._recent.popitem(last=False)

    def _break(self, position: int, problem: str, shipped: wire.Shipped | None) -> Break:
        self.broken = Break(self.site, position, problem, shipped)
        self._held.clear()
        return self.broken


def _altered(shipped: wire.Shipped, payload: bytes | None, outcome: bytes) -> str:
    """What of the entry does not hash as it says (none: its payload, where sent whole, and its
    fields and outcome give its hash). ``payload`` and ``outcome``: their canonical bytes."""
    if payload is not None and not shipped.withheld and _sha256(payload) != shipped.payload_digest:
        return "payload altered"
    hashed = entry_hash(
        shipped.seq,
        shipped.event_id,
        shipped.type,
        shipped.at,
        shipped.received,
        shipped.submitted_by,
        shipped.payload_digest,
        shipped.outcome_digest if shipped.outcome_digest is not None else _sha256(outcome),
        shipped.prev_hash,
    )
    return "altered" if hashed != shipped.hash else ""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _holds_nul(data: bytes) -> bool:
    """True when canonical JSON holds a NUL character: ``\\u0000`` after an even run of backslashes.

    Linear in the size of ``data``: the run before each occurrence is measured once, in the
    reversed text (the runs do not overlap), so a megabyte of backslashes is judged at once.
    """
    start = data.find(_NUL)
    if start == -1:
        return False
    backwards = data[::-1]
    while start != -1:
        run = _BACKSLASHES.match(backwards, len(data) - start)
        if run is not None and len(run.group()) % 2 == 0:
            return True
        start = data.find(_NUL, start + len(_NUL))
    return False


def _inexact_number(value: Any, name: str, text: bytes) -> str | None:
    """Where ``value`` holds a number PostgreSQL's JSONB gives back as another, in words; else ``None``.

    JSONB keeps a number as a decimal: ``-0.0`` comes back as ``0.0`` (its sign lost), and a float
    written with a positive exponent (``1e16``) comes back as an integer. Either would make the
    entry's digest fail when ``gatewatch hq verify`` reads it back. ``text``: the value's
    canonical JSON, looked at first (most values hold no such text, and are not walked).
    """
    if not _INEXACT.search(text):
        return None
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, float):
            written = canonical(item)
            if written == b"-0.0" or (b"e" in written and b"e-" not in written):
                return f"its {name} holds the number {written.decode()}"
    return None
