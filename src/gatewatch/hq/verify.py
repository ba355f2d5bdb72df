"""Every site's chain as head office holds it, checked end to end (``gatewatch hq verify``).

For each site, its entries are read from PostgreSQL in order, a chunk at a time, and walked
from the genesis through a fresh ``SiteWatch``: each must be the next position, follow the one
before, and hash to what it says (a withheld payload's digest is not checked: it covers the
original, which head office never held; the entry's hash still is). The walk must end at the head
head office recorded for the site. The first entry that fails names the site and its position.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gatewatch.hq.chain_watch import Accept, SiteWatch
from gatewatch.hq.store import OfficeStore, UnknownSite
from gatewatch.store.chain import GENESIS

PROGRESS_EVERY = 5_000
"""Entries between two calls of the progress callback."""


@dataclass(frozen=True, slots=True)
class SiteVerdict:
    """One site's chain checked: how many entries, its head, and the first problem (none: ``ok``).

    ``seq``: the position of the first bad entry; ``withheld``/``redacted``: entries whose payload
    digest could not be checked (a withheld view) or whose payload was dropped by a redaction.
    """

    site: str
    ok: bool
    count: int
    head: str
    withheld: int = 0
    redacted: int = 0
    problem: str = ""
    seq: int | None = None

    @property
    def message(self) -> str:
        if self.ok:
            return f"site {self.site}: {self.count} entries, the chain verifies"
        return f"site {self.site}: {self.problem}"


def verify_site(store: OfficeStore, site: str, progress: Callable[[int], None] | None = None) -> SiteVerdict:
    """Walk one site's entries from the first and name the first altered, missing or reordered one.

    ``progress``: called with the count walked so far, every ``PROGRESS_EVERY`` entries.
    """
    held = store.site(site)
    if held is None:
        raise UnknownSite(f"site {site} is not known to head office")
    watch = SiteWatch(site, 0, GENESIS)
    count = withheld = redacted = 0
    for shipped in store.entries(site):
        if shipped.seq != watch.head_seq + 1:
            problem = _out_of_place(watch.head_seq + 1, shipped.seq)
            return SiteVerdict(site, False, count, watch.head_hash, withheld, redacted, problem, watch.head_seq + 1)
        verdict = watch.take(shipped)
        if not isinstance(verdict, Accept):
            problem = getattr(verdict, "problem", f"entry {shipped.seq} could not be checked")
            return SiteVerdict(site, False, count, watch.head_hash, withheld, redacted, problem, shipped.seq)
        count, withheld, redacted = count + 1, withheld + shipped.withheld, redacted + shipped.redacted
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    if held.head_seq > watch.head_seq:
        problem = _out_of_place(watch.head_seq + 1, held.head_seq + 1)
        return SiteVerdict(site, False, count, watch.head_hash, withheld, redacted, problem, watch.head_seq + 1)
    if (held.head_seq, held.head_hash) != (watch.head_seq, watch.head_hash):
        problem = (
            f"entry {watch.head_seq} is the last held, yet head office records its head as "
            f"entry {held.head_seq} with another hash: the record or the head was altered"
        )
        return SiteVerdict(site, False, count, watch.head_hash, withheld, redacted, problem, watch.head_seq)
    if progress is not None:
        progress(count)
    return SiteVerdict(site, True, count, watch.head_hash, withheld, redacted)


def verify_all(store: OfficeStore, progress: Callable[[str, int], None] | None = None) -> list[SiteVerdict]:
    """Every site's verdict, in the order of their ids (``progress``: site and count walked so far)."""
    verdicts: list[SiteVerdict] = []
    for held in store.sites():
        report = None if progress is None else _for_site(progress, held.site)
        verdicts.append(verify_site(store, held.site, report))
    return verdicts


def _for_site(progress: Callable[[str, int], None], site: str) -> Callable[[int], None]:
    return lambda count: progress(site, count)


def _out_of_place(expected: int, found: int) -> str:
    """``store.chain.check``'s words for an entry that is not at the next position."""
    if found > expected + 1:
        return f"entries {expected}–{found - 1} are missing (removed)"
    if found == expected + 1:
        return f"entry {expected} is missing (removed)"
    return f"entry {found} is out of order"
