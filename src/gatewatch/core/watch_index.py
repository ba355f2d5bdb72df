"""An index over a large watchlist: one name screened against a million entries in milliseconds.

Judging a name against every entry (``screen_entries``) costs about a tenth of a millisecond
per entry name: minutes for a published sanctions list. The index chooses the few names worth
judging first:

- each entry name is cut into *keys*: its parts in plain Latin letters (ICU's transliteration
  for other scripts, particles and initials left out) and the sound of each part (metaphone);
  every document number the entry lists is a key of its own;
- a name in another script, or with accents, is also filed under the matcher's own Latin
  spellings of its parts (rigour's and ICU's transliterations differ: Троцкий is "trotsky" and
  "trockij"); a screened name is looked up under the same keys;
- names sharing keys with it are ranked by how rare the shared keys are (a shared "mercader"
  says more than a shared "maria"; a shared document number most of all), and the best
  ``POOL`` are judged in full by ``gatewatch.core.watchlist.judge``, the same judgement as the
  entry-by-entry scan.

Rarest keys are followed first. Once ``BROAD`` names are gathered, commoner keys only add
weight to the names already gathered instead of bringing in all of theirs: the work per
screening stays bounded, whatever the list.

An index is flat numpy arrays (the keys' hashes sorted, the postings, and names and entries as
blobs with offsets), so that it is saved as files and loaded by mapping them. Building and
searching do no I/O.
"""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, fields
from functools import lru_cache
from hashlib import blake2b

import msgspec
import numpy as np
from numpy.typing import NDArray

from gatewatch.core.names import PARTICLES, analyse
from gatewatch.core.watchlist import Candidate, Subject, WatchEntry, document_number, judge, ranked

POOL = 32
"""How many of the best-ranked names are judged in full."""

BROAD = 20_000
"""Names gathered before commoner keys only add weight."""

DOCUMENT_WEIGHT = 50.0
"""A shared document number outranks any shared name part."""

_SPLIT = re.compile(r"[^0-9a-z]+")


def plain_parts(name: str) -> list[str]:
    """The name's parts in plain lower-case Latin letters, without particles and initials."""
    if name.isascii():
        text = name.lower()
    else:
        from normality import ascii_text  # ICU, loaded on first use

        text = (ascii_text(name) or "").lower()
    return [p for p in _SPLIT.split(text) if len(p) > 1 and p not in PARTICLES]


@lru_cache(maxsize=262_144)
def part_keys(part: str) -> tuple[str, ...]:
    """A part's keys: the part itself and its sound."""
    from rigour.text.phonetics import metaphone

    sound = metaphone(part)
    return (part, f"~{sound}") if sound else (part,)


def name_keys(name: str) -> set[str]:
    """The keys a name written in Latin letters is filed and looked up under."""
    return {key for part in plain_parts(name) for key in part_keys(part)}


def all_keys(name: str) -> set[str]:
    """A name's keys, with its parts' other Latin spellings when it is written in another
    script or with accents (rigour's analysis costs a tenth of a millisecond: only then)."""
    keys = name_keys(name)
    if name.isascii():
        return keys
    for part in analyse(name):
        for form in part.latin:
            if len(form) > 1 and form not in PARTICLES:
                keys.update(part_keys(form))
    return keys


def document_key(number: str) -> str:
    return f"#{document_number(number)}"


@lru_cache(maxsize=262_144)
def key_hash(key: str) -> int:
    """A key as a stable 64-bit number (the same in every process, unlike ``hash``)."""
    return int.from_bytes(blake2b(key.encode(), digest_size=8).digest(), "little")


@dataclass(frozen=True, slots=True)
class WatchIndex:
    """One list version's entries and the keys they are filed under."""

    keys: NDArray[np.uint64]
    """Each key's hash, sorted, once."""
    key_starts: NDArray[np.int64]
    """Where each key's names begin in ``postings`` (one more than ``keys``: the end)."""
    postings: NDArray[np.int32]
    """Name numbers, ascending within each key."""
    name_entry: NDArray[np.int32]
    """The entry each name belongs to."""
    name_text: NDArray[np.uint8]
    name_starts: NDArray[np.int64]
    entry_data: NDArray[np.uint8]
    """Each entry, msgpack-encoded."""
    entry_starts: NDArray[np.int64]

    @classmethod
    def array_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    @property
    def size(self) -> int:
        """How many entries."""
        return len(self.entry_starts) - 1

    def name(self, number: int) -> str:
        start, end = self.name_starts[number], self.name_starts[number + 1]
        return bytes(self.name_text[start:end]).decode()

    def entry(self, number: int) -> WatchEntry:
        start, end = self.entry_starts[number], self.entry_starts[number + 1]
        return msgspec.msgpack.decode(bytes(self.entry_data[start:end]), type=WatchEntry)

    def search(self, subject: Subject, limit: int = 10) -> tuple[Candidate, ...]:
        """The best candidates for the subject, judged in full, best first."""
        chosen = self._ranked_names(subject)
        by_entry: dict[int, list[str]] = {}
        for number in chosen:
            by_entry.setdefault(int(self.name_entry[number]), []).append(self.name(int(number)))
        judged = (judge(self.entry(e), subject, names) for e, names in sorted(by_entry.items()))
        return ranked((c for c in judged if c is not None), limit)

    def _ranked_names(self, subject: Subject) -> NDArray[np.int32]:
        """The ``POOL`` names sharing the rarest keys with the subject, best first."""
        wanted = {key_hash(k): 1.0 for name in subject.names for k in all_keys(name)}
        wanted.update({key_hash(document_key(d)): DOCUMENT_WEIGHT for d in subject.documents if document_number(d)})
        if not wanted or not len(self.keys):
            return np.empty(0, dtype=np.int32)
        hashes = np.fromiter(wanted, dtype=np.uint64, count=len(wanted))
        at = np.minimum(np.searchsorted(self.keys, hashes), len(self.keys) - 1)
        present = self.keys[at] == hashes
        starts, ends = self.key_starts[at[present]], self.key_starts[at[present] + 1]
        boosts = np.array([wanted[int(h)] for h in hashes[present]], dtype=np.float64)
        names = len(self.name_entry)
        gathered: list[NDArray[np.int32]] = []
        weights: list[NDArray[np.float64]] = []
        later: list[tuple[NDArray[np.int32], float]] = []
        count = 0
        for i in np.argsort(ends - starts, kind="stable"):
            postings = self.postings[starts[i] : ends[i]]
            weight = boosts[i] * math.log(1 + names / len(postings))
            if count < BROAD:
                gathered.append(postings)
                weights.append(np.full(len(postings), weight))
                count += len(postings)
            else:
                later.append((postings, weight))
        if not gathered:
            return np.empty(0, dtype=np.int32)
        found, inverse = np.unique(np.concatenate(gathered), return_inverse=True)
        score = np.bincount(inverse, weights=np.concatenate(weights))
        for postings, weight in later:
            at_found = np.minimum(np.searchsorted(postings, found), len(postings) - 1)
            score += weight * (postings[at_found] == found)
        best = np.lexsort((found, -score))[:POOL]
        chosen: NDArray[np.int32] = found[best]
        return chosen


class IndexBuilder:
    """Builds a ``WatchIndex`` one entry at a time (a million entries fit in a few hundred MB)."""

    def __init__(self) -> None:
        self._key_hashes = array("Q")
        self._key_names = array("i")
        self._name_entry = array("i")
        self._name_text = bytearray()
        self._name_starts = array("q", [0])
        self._entry_data = bytearray()
        self._entry_starts = array("q", [0])
        self._encoder = msgspec.msgpack.Encoder()

    def add(self, entry: WatchEntry) -> None:
        number = len(self._entry_starts) - 1
        self._entry_data += self._encoder.encode(entry)
        self._entry_starts.append(len(self._entry_data))
        first = len(self._name_entry)
        for name in dict.fromkeys(entry.all_names):
            self._file(len(self._name_entry), all_keys(name))
            self._name_entry.append(number)
            self._name_text += name.encode()
            self._name_starts.append(len(self._name_text))
        self._file(first, {document_key(d) for d in entry.documents if document_number(d)})

    def add_all(self, entries: Iterable[WatchEntry]) -> None:
        for entry in entries:
            self.add(entry)

    def _file(self, name_number: int, keys: set[str]) -> None:
        for key in keys:
            self._key_hashes.append(key_hash(key))
            self._key_names.append(name_number)

    def build(self) -> WatchIndex:
        hashes = np.frombuffer(self._key_hashes, dtype=np.uint64)
        names = np.frombuffer(self._key_names, dtype=np.int32)
        order = np.lexsort((names, hashes))
        hashes, names = hashes[order], names[order]
        keys, firsts = np.unique(hashes, return_index=True)
        return WatchIndex(
            keys=keys,
            key_starts=np.append(firsts, len(hashes)).astype(np.int64),
            postings=names.astype(np.int32),
            name_entry=np.frombuffer(self._name_entry, dtype=np.int32).copy(),
            name_text=np.frombuffer(bytes(self._name_text), dtype=np.uint8),
            name_starts=np.frombuffer(self._name_starts, dtype=np.int64).copy(),
            entry_data=np.frombuffer(bytes(self._entry_data), dtype=np.uint8),
            entry_starts=np.frombuffer(self._entry_starts, dtype=np.int64).copy(),
        )


def build_index(entries: Iterable[WatchEntry]) -> WatchIndex:
    builder = IndexBuilder()
    builder.add_all(entries)
    return builder.build()
