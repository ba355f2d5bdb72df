"""An index over a large watchlist: one name screened against a million entries in milliseconds.

Judging a name against every entry (``screen_entries``) costs about a tenth of a millisecond
per entry name: minutes for a published sanctions list. The index chooses the few names worth
judging first:

- each entry name is cut into *keys*: its parts in plain Latin letters (ICU's transliteration
  for other scripts, particles and initials left out) and the sound of each part (metaphone);
  every document number the entry lists is a key of its own;
- a name is also filed under the other forms the matcher (``gatewatch.core.names``) pairs its
  parts by, so that a name written in one of them shares keys with its entry:

  - **run together**: a word in camel case is cut where its capitals begin (IvanPetrov: ivan,
    petrov), and neighbouring words are run together as the matcher runs them (two words; a
    word, a particle and a word, with and without the particle), each filed as written and by
    its spelling key: Ivan Petrov is also ``ivanpetrov``, Abdul Rahman ``abdulrahman``;
  - **other spellings of a part**: its spelling key (Mikhail: mihail), its full names in the
    nickname data (Bob: robert), its pinyin readings when every part of the name reads as
    Chinese syllables (Chiang Ching-kuo: jiang, jingguo); and, as the matcher compares names
    of Arabic origin (which one side alone cannot tell: the other may be), a part of two
    consonants or fewer by its Arabic key (Omar: umar), a longer one by its consonant skeleton
    (Djamel, Jamal: ``%jml``; Abd al-Karim run together, Abdelkarim: ``%bdlkrm``);
  - **other scripts**: a name in another script, or with accents, is also filed under the
    matcher's own Latin spellings of its parts and of its parts run together (rigour's and
    ICU's transliterations differ: Троцкий is "trotsky" and "trockij"; 张伟 is zhang, wei;
    Hangul in every usual spelling of its syllables: 김민준 is gim, kim, minjun, minjoon, …);

  a screened name is looked up under the same keys (``all_keys`` on both sides);
- names sharing keys with it are ranked by how rare the shared keys are (a shared "mercader"
  says more than a shared "maria"; a shared document number most of all), and the best
  ``POOL`` are judged in full by ``gatewatch.core.watchlist.judge``, the same judgement as the
  entry-by-entry scan.

Rarest keys are followed first. Once ``BROAD`` names are gathered, commoner keys only add
weight to the names already gathered instead of bringing in all of theirs: the work per
screening stays bounded, whatever the list.

An index is flat numpy arrays (the keys' hashes sorted, the postings, and names and entries as
blobs with offsets), so that it is saved as files and loaded by mapping them. Building and
searching do no I/O. An index carries the version of its keys (``KEY_SCHEME``): one saved under
other keys is not loaded, but built again.
"""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from functools import lru_cache
from hashlib import blake2b
from itertools import chain, islice
from typing import TypeAlias

import msgspec
import numpy as np
from numpy.typing import NDArray

from gatewatch.core.name_forms import arabic_key, skeleton, spelling_key
from gatewatch.core.name_nicknames import full_names_of
from gatewatch.core.name_scripts import chinese_reading, hangul_pattern
from gatewatch.core.names import MAX_NAME_CHARACTERS, MAX_PARTS, PARTICLES, Part, analyse_name
from gatewatch.core.watchlist import Candidate, Subject, WatchEntry, document_number, judge, ranked

POOL = 32
"""How many of the best-ranked names are judged in full."""

BROAD = 20_000
"""Names gathered before commoner keys only add weight."""

DOCUMENT_WEIGHT = 50.0
"""A shared document number outranks any shared name part."""

KEY_SCHEME = 2
"""The version of the keys names are filed under (1: parts and their sounds; 2: also run
together, other spellings, skeletons). An index saved under another version is built again."""

MAX_HANGUL_SPELLINGS = 128
"""At most this many Latin spellings of one Hangul part are keys (two syllables have up to 48)."""

SKELETON_LETTERS = 3
"""A consonant skeleton is a key from this many letters (the matcher compares no shorter ones)."""

JOINED_SKELETON_LETTERS = 4
"""Words run together with a particle are compared by skeleton from this many letters."""

_SPLIT = re.compile(r"[^0-9a-z]+")
_WORDS = re.compile(r"[0-9A-Za-z]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _ascii(name: str) -> str:
    """The name (up to the length the matcher reads) in plain Latin letters: ICU's
    transliteration for other scripts and accents."""
    name = name[:MAX_NAME_CHARACTERS]
    if name.isascii():
        return name
    from normality import ascii_text  # ICU, loaded on first use

    return ascii_text(name) or ""


def plain_parts(name: str) -> list[str]:
    """The name's parts in plain lower-case Latin letters, without particles and initials."""
    return [p for p in _SPLIT.split(_ascii(name).lower()) if len(p) > 1 and p not in PARTICLES]


def written_words(name: str) -> list[str]:
    """The name's words in plain lower-case Latin letters, in order, particles and initials
    kept; a word in camel case is cut where its capitals begin (IvanPetrov: ivan, petrov)."""
    words = [piece.lower() for token in _WORDS.findall(_ascii(name)) for piece in _CAMEL.split(token)]
    return words[:MAX_PARTS]


def _is_particle(word: str) -> bool:
    """A particle (al, van, abd, bin): a word of two letters or more in ``PARTICLES``."""
    return len(word) > 1 and word in PARTICLES


@lru_cache(maxsize=262_144)
def part_keys(part: str) -> tuple[str, ...]:
    """A part's keys: the part itself and its sound."""
    from rigour.text.phonetics import metaphone

    sound = metaphone(part)
    return (part, f"~{sound}") if sound else (part,)


@lru_cache(maxsize=262_144)
def spelling_keys(part: str) -> frozenset[str]:
    """A part's keys with its other spellings: itself and its sound, its spelling key, its full
    names in the nickname data (Bob: robert), and its spellings as a name of Arabic origin: its
    consonant skeleton (``%`` and three letters or more) or, when that is shorter, its Arabic
    key (Omar: umar; Kaed, Qaid: kaid)."""
    keys = {*part_keys(part), spelling_key(part), *full_names_of(part)}
    letters = skeleton(part).letters
    keys.add(f"%{letters}" if len(letters) >= SKELETON_LETTERS else arabic_key(part))
    return frozenset(keys)


@lru_cache(maxsize=262_144)
def run_together_keys(joined: str, with_particle: bool) -> frozenset[str]:
    """Words run together: as written and by spelling key; with a particle run in, also by
    consonant skeleton (Abd al-Karim and Abdelkarim are both ``%bdlkrm``)."""
    keys = {joined, spelling_key(joined)}
    letters = skeleton(joined).letters if with_particle else ""
    if len(letters) >= JOINED_SKELETON_LETTERS:
        keys.add(f"%{letters}")
    return frozenset(keys)


def name_keys(name: str) -> set[str]:
    """The keys of a name's parts written in Latin letters: each part and its sound."""
    return {key for part in plain_parts(name) for key in part_keys(part)}


def word_groups(words: list[str]) -> list[frozenset[str]]:
    """The keys of a name's words (``written_words``), one set for each part and each run of
    neighbours: each part with its other spellings; neighbours run together as the matcher
    runs them (two words, not two particles nor two initials; a word, a particle and a word,
    with and without the particle); and, when every part reads as Chinese syllables, the pinyin
    readings of each."""
    parts = [w for w in words if len(w) > 1 and w not in PARTICLES]
    joined: list[tuple[str, bool]] = []
    for i in range(len(words) - 1):
        two = words[i : i + 2]
        if not all(_is_particle(w) for w in two) and not all(len(w) == 1 for w in two):
            joined.append(("".join(two), any(_is_particle(w) for w in two)))
        if i + 2 < len(words) and _is_particle(words[i + 1]) and not _is_particle(words[i + 2]):
            joined += [("".join(words[i : i + 3]), True), (words[i] + words[i + 2], True)]
    groups = [spelling_keys(p) for p in parts] + [run_together_keys(t, particle) for t, particle in joined]
    if parts and all(chinese_reading(p)[0] for p in parts):
        texts = [*parts, *(t for t, _ in joined)]
        groups = [keys | chinese_reading(text)[2] for keys, text in zip(groups, texts, strict=True)]
    return groups


def script_groups(name: str) -> list[frozenset[str]]:
    """The keys of a name in another script or with accents, one set for each part and each
    run of neighbours the matcher pairs: the Latin spellings it gives them (every
    transliteration; pinyin for Chinese characters; every usual spelling of Hangul), a part's
    with its other spellings, a run's with its skeleton when a particle is run in."""
    groups: list[frozenset[str]] = []
    for indices, part in analyse_name(name).units:
        if len(indices) == 1 and part.optional:
            continue
        if len(indices) == 1:
            forms = [f for f in part.latin if len(f) > 1 and f not in PARTICLES]
            keys = frozenset(chain.from_iterable(spelling_keys(form) for form in forms))
        else:  # as written (ICU's spelling of the whole name, with spelling keys, is in word_groups)
            keys = part.latin | _run_together_skeleton(part)
        groups.append(keys | part.readings | hangul_spellings(part))
    return groups


def _run_together_skeleton(part: Part) -> frozenset[str]:
    """The consonant skeleton of parts run together with a particle, as a key; else nothing."""
    letters = part.skeleton.letters if part.particle_joined else ""
    return frozenset({f"%{letters}"}) if len(letters) >= JOINED_SKELETON_LETTERS else frozenset()


def hangul_spellings(part: Part) -> frozenset[str]:
    """A part in Hangul in every usual Latin spelling of its syllables (the first
    ``MAX_HANGUL_SPELLINGS``: two syllables have up to 48); nothing for another script."""
    if part.script != "hangul":
        return frozenset()
    return frozenset(islice(pattern_spellings(hangul_pattern(part.form).pattern), MAX_HANGUL_SPELLINGS))


def key_groups(name: str) -> list[frozenset[str]]:
    """Every key a name is filed and looked up under (see the module's description), one set
    for each part or run of parts: its words in Latin letters (camel-case words also whole),
    and, when it is written in another script or with accents, the matcher's spellings of its
    parts. There, sets sharing a key are one set: one part, read two ways (ICU's trockij;
    rigour's trotsky and trockij)."""
    groups = _unmerged_groups(name)
    return groups if name.isascii() else _merged(groups)


def _unmerged_groups(name: str) -> list[frozenset[str]]:
    """``key_groups`` before sets sharing a key are made one (rigour's analysis costs a tenth
    of a millisecond: only for a name in another script or with accents)."""
    words = written_words(name)
    whole = [p for p in plain_parts(name) if p not in words]
    groups = word_groups(words) + [spelling_keys(w) for w in whole]
    if name.isascii():
        return groups
    return groups + script_groups(name[:MAX_NAME_CHARACTERS])


def _merged(groups: list[frozenset[str]]) -> list[frozenset[str]]:
    """The sets, those sharing a key (directly or through others) made one."""
    merged: list[frozenset[str]] = []
    for keys in groups:
        if not keys:
            continue
        touching = [m for m in merged if not m.isdisjoint(keys)]
        merged = [m for m in merged if m.isdisjoint(keys)]
        merged.append(keys.union(*touching))
    return merged


def all_keys(name: str) -> set[str]:
    """Every key of a name (``key_groups``), together."""
    return set().union(*_unmerged_groups(name))


# --- the spellings a pattern of alternatives matches --------------------------------------------

_Sequence: TypeAlias = list["str | list[_Sequence]"]
"""Letters, and groups of alternatives (each a sequence)."""


def pattern_spellings(pattern: str) -> Iterator[str]:
    """Every word a pattern of letters and groups of alternatives (``(?:a|b)``, as
    ``hangul_pattern`` writes them) matches, in the pattern's order."""
    sequence, end = _sequence(pattern, 0)
    if end != len(pattern):
        raise ValueError(f"a spelling pattern with an unmatched {pattern[end]!r} at {end}: {pattern}")
    return _spelt(sequence)


def _sequence(pattern: str, at: int) -> tuple[_Sequence, int]:
    """The letters and groups from ``at`` up to a ``|`` or ``)``, and where they end."""
    items: _Sequence = []
    while at < len(pattern) and pattern[at] not in "|)":
        if pattern.startswith("(?:", at):
            alternatives: list[_Sequence] = []
            at += 3
            while True:
                alternative, at = _sequence(pattern, at)
                alternatives.append(alternative)
                if at >= len(pattern):
                    raise ValueError(f"a spelling pattern with a group left open: {pattern}")
                if pattern[at] == ")":
                    break
                at += 1  # past the "|" to the next alternative
            items.append(alternatives)
            at += 1
        elif pattern[at].isalpha():
            items.append(pattern[at])
            at += 1
        else:
            raise ValueError(f"a spelling pattern with {pattern[at]!r} at {at}, not a letter or a group: {pattern}")
    return items, at


def _spelt(sequence: _Sequence) -> Iterator[str]:
    """Each word a sequence spells, lazily (the first ones are taken)."""
    if not sequence:
        yield ""
        return
    head, rest = sequence[0], sequence[1:]
    heads = (head,) if isinstance(head, str) else chain.from_iterable(_spelt(alt) for alt in head)
    for start in heads:
        for end in _spelt(rest):
            yield start + end


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
    key_scheme: NDArray[np.uint32]
    """One number: the ``KEY_SCHEME`` the names were filed under."""

    @classmethod
    def array_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    @property
    def is_current(self) -> bool:
        """Whether the names were filed under the keys this code looks them up under."""
        return self.key_scheme.shape == (1,) and int(self.key_scheme[0]) == KEY_SCHEME

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
        if not self.is_current:
            raise ValueError(
                f"this watchlist index was filed under keys of version {self.key_scheme.tolist()}, "
                f"not {KEY_SCHEME}: build it again"
            )
        chosen = self._ranked_names(subject)
        by_entry: dict[int, list[str]] = {}
        for number in chosen:
            by_entry.setdefault(int(self.name_entry[number]), []).append(self.name(int(number)))
        judged = (judge(self.entry(e), subject, names) for e, names in sorted(by_entry.items()))
        return ranked((c for c in judged if c is not None), limit)

    def _ranked_names(self, subject: Subject) -> NDArray[np.int32]:
        """The ``POOL`` names sharing the rarest keys with the subject, best first.

        Each of the subject's parts (a ``key_groups`` set) and each document number counts once
        for a name: by the rarest of its keys the name shares. A part filed under many spellings
        weighs no more than a part filed under one."""
        wanted: dict[int, list[tuple[int, float]]] = {}
        groups = list(dict.fromkeys(keys for name in subject.names for keys in key_groups(name)))
        for group, keys in enumerate(groups):
            for key in keys:
                wanted.setdefault(key_hash(key), []).append((group, 1.0))
        for number, document in enumerate(d for d in subject.documents if document_number(d)):
            wanted.setdefault(key_hash(document_key(document)), []).append((len(groups) + number, DOCUMENT_WEIGHT))
        if not wanted or not len(self.keys):
            return np.empty(0, dtype=np.int32)
        hashes = np.fromiter(wanted, dtype=np.uint64, count=len(wanted))
        at = np.minimum(np.searchsorted(self.keys, hashes), len(self.keys) - 1)
        present = at[self.keys[at] == hashes]
        followed = [(k, group, boost) for k in present for group, boost in wanted[int(self.keys[k])]]
        return self._best(followed)

    def _best(self, followed: list[tuple[int, int, float]]) -> NDArray[np.int32]:
        """The best ``POOL`` names sharing the keys ``followed`` (the key's number, its group
        and its boost): keys are followed rarest first (from ``BROAD`` names gathered, they only
        weigh), and each name is scored by the rarest key it shares of each group (the first
        followed: weights fall as keys get commoner)."""
        if not followed:
            return np.empty(0, dtype=np.int32)
        keys = np.array([k for k, _, _ in followed], dtype=np.int64)
        starts, ends = self.key_starts[keys], self.key_starts[keys + 1]
        names = len(self.name_entry)
        gathered: list[int] = []
        later: list[tuple[NDArray[np.int32], int, float]] = []
        count = 0
        for i in np.argsort(ends - starts, kind="stable"):
            if count < BROAD:
                gathered.append(int(i))
                count += int(ends[i] - starts[i])
            else:
                postings = self.postings[starts[i] : ends[i]]
                _, group, boost = followed[i]
                later.append((postings, group, boost * math.log(1 + names / len(postings))))
        if not gathered:
            return np.empty(0, dtype=np.int32)
        found, score, credited_names, credited_groups = self._gathered_scores(starts, ends, followed, gathered)
        if later:
            found, score = _weigh_later(found, score, credited_names, credited_groups, later)
        best = np.lexsort((found, -score))[:POOL]
        chosen: NDArray[np.int32] = found[best]
        return chosen

    def _gathered_scores(
        self,
        starts: NDArray[np.int64],
        ends: NDArray[np.int64],
        followed: list[tuple[int, int, float]],
        gathered: list[int],
    ) -> tuple[NDArray[np.int32], NDArray[np.float64], NDArray[np.intp], NDArray[np.int64]]:
        """The names the ``gathered`` keys (rarest first) file, each scored by the rarest key
        of each group it shares; and which name (by position) each group credited."""
        lengths = (ends - starts)[gathered]
        postings = np.concatenate([self.postings[starts[i] : ends[i]] for i in gathered]).astype(np.int64)
        groups = np.repeat(np.array([followed[i][1] for i in gathered], dtype=np.int64), lengths)
        weights = np.repeat(
            [followed[i][2] * math.log(1 + len(self.name_entry) / n) for i, n in zip(gathered, lengths, strict=True)],
            lengths,
        )
        span = int(groups.max()) + 1
        pairs, first = np.unique(postings * span + groups, return_index=True)  # the rarest key first
        pair_names = pairs // span
        new_name = np.ones(len(pairs), dtype=bool)
        new_name[1:] = pair_names[1:] != pair_names[:-1]
        position = np.cumsum(new_name) - 1
        found = pair_names[new_name].astype(np.int32)
        score = np.asarray(np.bincount(position, weights=weights[first], minlength=len(found)), dtype=np.float64)
        return found, score, position, pairs % span


def _weigh_later(
    found: NDArray[np.int32],
    score: NDArray[np.float64],
    credited_names: NDArray[np.intp],
    credited_groups: NDArray[np.int64],
    later: list[tuple[NDArray[np.int32], int, float]],
) -> tuple[NDArray[np.int32], NDArray[np.float64]]:
    """The gathered names (``found``, by their positions ``credited_names`` already credited
    with ``credited_groups``) with the weights of the commoner keys added, each group at most
    once per name. Only names that could still reach the best ``POOL`` are weighed: a name whose
    score, with the best weight of every commoner group added, stays below the ``POOL``-th
    score so far can never rise into them (scores only grow): the answer is the same, for less
    work."""
    best_later: dict[int, float] = {}
    for _, group, weight in later:
        best_later[group] = max(best_later.get(group, 0.0), weight)
    keep = np.ones(len(found), dtype=bool)
    if len(found) > POOL:
        threshold = np.partition(score, len(score) - POOL)[len(score) - POOL]
        keep = score + sum(best_later.values()) >= threshold
    found, score = found[keep], score[keep]
    credited: dict[int, NDArray[np.bool_]] = {}
    for postings, group, weight in later:
        if group not in credited:
            in_group = np.zeros(len(keep), dtype=bool)
            in_group[credited_names[credited_groups == group]] = True
            credited[group] = in_group[keep]
        at = np.minimum(np.searchsorted(postings, found), len(postings) - 1)
        new = (postings[at] == found) & ~credited[group]
        score += weight * new
        credited[group] |= new
    return found, score


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
            key_scheme=np.array([KEY_SCHEME], dtype=np.uint32),
        )


def build_index(entries: Iterable[WatchEntry]) -> WatchIndex:
    builder = IndexBuilder()
    builder.add_all(entries)
    return builder.build()
