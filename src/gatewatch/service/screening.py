"""Screening against the site's watchlists, and keeping every screening in the record.

The lists live in the store (``gatewatch watchlist import``); their indexes live as files in the
data directory, or in memory without one. A screening looks the subject up in the current
version of every list, judges the best candidates in full, and is recorded as a
``watchlist_check`` event: who screened, whom, which list versions, every candidate with its
score and reasons. The engine raises ``WATCHLIST_MATCH`` from it when a person on site matches.

Screening runs on demand (API, command line), and by itself after every ``identify`` that
gives a name or a document, and every ``invite``: the desk calls ``Screener.follow``.
"""

from __future__ import annotations

import csv
import hashlib
import json
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, Literal

import msgspec

from gatewatch.core import events as ev
from gatewatch.core.errors import InvalidInput, unknown
from gatewatch.core.state import State
from gatewatch.core.watch_index import IndexBuilder, WatchIndex
from gatewatch.core.watchlist import Candidate, Subject, ranked
from gatewatch.files.cells import inert
from gatewatch.files.index_files import forget_others, index_folder, load_index, save_index
from gatewatch.service.desk import Decided, Desk
from gatewatch.service.name_parts import prepare, prepare_names
from gatewatch.store.log import EventLog
from gatewatch.store.watchlists import ListVersion, Watchlists

SHOWN = 10
"""Candidates kept per screening."""


@dataclass(frozen=True, slots=True)
class Screened:
    """The lists screened against and the best candidates, best first."""

    lists: tuple[ev.ListVersion, ...]
    candidates: tuple[Candidate, ...]

    @property
    def result(self) -> Literal["match", "clear"]:
        return "match" if any(c.is_match for c in self.candidates) else "clear"


@dataclass(frozen=True, slots=True)
class _Loaded:
    version: ListVersion
    index: WatchIndex


class Screener:
    def __init__(self, book: Watchlists, cache: Path | None = None) -> None:
        self.book = book
        self.cache = cache
        self._loaded: dict[str, _Loaded] = {}
        self._lock = threading.Lock()

    # --- the lists -------------------------------------------------------------------------

    def current(self, progress: Callable[[int, int], None] | None = None) -> tuple[_Loaded, ...]:
        """Every current list version with its index (loaded, or built when its files are missing)."""
        versions = self.book.current()
        with self._lock:
            for version in versions:
                held = self._loaded.get(version.list)
                if held is None or held.version != version:
                    self._loaded[version.list] = _Loaded(version, self._index_of(version, progress))
            for gone in set(self._loaded) - {v.list for v in versions}:
                del self._loaded[gone]
            return tuple(self._loaded[v.list] for v in versions)

    def warm(self) -> None:
        """Load every list's index (mapped from its files; built, if they are missing).

        The name matcher's own data loads apart: in the server, in the name-data process that
        starts with it (``service.name_data``); a screening before it is ready waits for it in
        its own thread.
        """
        self.current()

    def keep(self, version: ListVersion, index: WatchIndex) -> None:
        """Hold a freshly imported version's index (and save it, with a data directory)."""
        if self.cache is not None:
            folder = index_folder(self.cache, version.list, version.version, version.digest)
            save_index(index, folder)
            current = {index_folder(self.cache, v.list, v.version, v.digest) for v in self.book.current()}
            forget_others(self.cache, current | {folder})
        with self._lock:
            self._loaded[version.list] = _Loaded(version, index)

    def _index_of(self, version: ListVersion, progress: Callable[[int, int], None] | None) -> WatchIndex:
        folder = index_folder(self.cache, version.list, version.version, version.digest) if self.cache else None
        found = load_index(folder) if folder is not None else None
        if found is not None and found.size == version.entries:
            return found
        builder = IndexBuilder()
        for done, entry in enumerate(self.book.entries(version), start=1):
            builder.add(entry)
            if progress is not None and done % 1000 == 0:
                progress(done, version.entries)
        index = builder.build()
        if folder is not None:
            save_index(index, folder)
        return index

    # --- screening -------------------------------------------------------------------------

    def screen(self, subject: Subject, limit: int = SHOWN, loaded: tuple[_Loaded, ...] | None = None) -> Screened:
        """The subject against every current list (``loaded``, when the caller has them already).

        The subject's name parts are looked up first, in one batch (``name_parts.prepare_names``)."""
        loaded = self.current() if loaded is None else loaded
        prepare_names(subject.names)
        found = [c for held in loaded for c in held.index.search(subject, limit)]
        lists = tuple(ev.ListVersion(held.version.list, held.version.version) for held in loaded)
        return Screened(lists, ranked(found, limit))

    def record(
        self,
        desk: Desk,
        subject: Subject,
        screened: Screened,
        *,
        by: str,
        at: datetime,
        event_id: str,
        person: str | None = None,
    ) -> Decided:
        """Keep the screening in the record as a ``watchlist_check`` event, decided by the desk.

        Doors and other events are decided while a subject is screened (the names' data may still
        be loading): the desk dates the screening ``at``, or after the last event it decided."""
        check = ev.WatchlistCheck(
            id=event_id,
            at=at,
            screened_by=by,
            names=subject.names,
            person=person,
            birth_date=subject.birth_date,
            documents=subject.documents,
            lists=screened.lists,
            candidates=screened.candidates,
        )
        prepare(desk.state, check)  # outside the desk's lock, as the intake does
        # dated under the desk's lock, never before the events decided while the subject was screened
        return desk.submit(check, by, at, stamped=True)

    def follow(self, desk: Desk, event: ev.Event, decided: Decided, submitted_by: str) -> Decided | None:
        """After an identify or invite is recorded, screen the person and record that too.

        A resend whose screening was never recorded (the screening failed the first time) is
        screened now."""
        if not isinstance(event, ev.Identify | ev.Invite):
            return None
        if decided.duplicate and desk.log.find(follow_id(event.id)) is not None:
            return None  # a resend: its screening is already recorded
        birth = event.birth_date if isinstance(event, ev.Identify) else None
        subject = subject_of(desk.state, event.person, birth)
        loaded = self.current() if subject is not None else ()
        if subject is None or not loaded:
            return None
        screened = self.screen(subject, loaded=loaded)
        now = desk.state.now
        at = max(event.at, now) if now is not None else event.at  # a resend comes after what followed it
        return self.record(
            desk, subject, screened, by=submitted_by, at=at, event_id=follow_id(event.id), person=event.person
        )


def on_demand(
    screener: Screener,
    desk: Desk,
    now: datetime,
    *,
    event_id: str,
    by: str,
    names: Iterable[str] = (),
    person: str | None = None,
    birth_date: date | None = None,
    documents: Iterable[str] = (),
    limit: int = SHOWN,
) -> tuple[Screened, Decided]:
    """Screen names, documents and (when given) everything a person on record presented; record it."""
    state = desk.state
    wanted = tuple(dict.fromkeys(n.strip() for n in names if n.strip()))
    papers = tuple(dict.fromkeys(d.strip() for d in documents if d.strip()))
    if person is not None:
        if person not in state.people:
            raise InvalidInput(unknown("person", person, state.people), field="person")
        known = subject_of(state, person)
        if known is not None:
            wanted = tuple(dict.fromkeys((*wanted, *known.names)))
            papers = tuple(dict.fromkeys((*papers, *known.documents)))
    if not wanted and not papers:
        raise InvalidInput("give names or documents to screen, or a person on record who has given some", field="names")
    subject = Subject(wanted, birth_date, papers)
    screened = screener.screen(subject, limit)
    at = max(now, state.now) if state.now is not None else now
    decided = screener.record(desk, subject, screened, by=by, at=at, event_id=event_id, person=person)
    return screened, decided


def subject_of(state: State, person_id: str, birth_date: date | None = None) -> Subject | None:
    """A person as the record knows them: every name and document they presented."""
    identity = state.identities.get(person_id)
    person = state.people.get(person_id)
    names = identity.names if identity is not None else ()
    if not names and person is not None and person.name != person.id:
        names = (person.name,)
    documents = tuple(d.number for d in identity.documents) if identity is not None else ()
    if not names and not documents:
        return None
    return Subject(names, birth_date, documents)


def follow_id(event_id: str) -> str:
    """The id of the screening that follows an event (within the record's 200 characters)."""
    if len(event_id) <= 180:
        return f"{event_id}.screening"
    return f"{event_id[:150]}~{hashlib.sha256(event_id.encode()).hexdigest()[:16]}.screening"


EXPORT_COLUMNS = (
    "seq",
    "at",
    "screened_by",
    "person",
    "names",
    "birth_date",
    "documents",
    "lists",
    "result",
    "best_list",
    "best_entry",
    "best_alias",
    "best_score",
    "reasons",
)


def recorded_screenings(log: EventLog, person: str | None = None, after: int = 0) -> Iterator[dict[str, Any]]:
    """Every screening kept in the record (of one person, or all), oldest first, as flat rows."""
    for entry in log.entries_of_types(("watchlist_check",), after):
        check = ev.from_payload(entry.payload or {})
        if not isinstance(check, ev.WatchlistCheck) or (person is not None and check.person != person):
            continue
        best = check.candidates[0] if check.candidates else None
        yield {
            "seq": entry.seq,
            "at": entry.at,
            "screened_by": check.screened_by,
            "person": check.person or "",
            "names": "; ".join(check.names),
            "birth_date": check.birth_date.isoformat() if check.birth_date else "",
            "documents": "; ".join(check.documents),
            "lists": "; ".join(f"{v.list} v{v.version}" for v in check.lists),
            "result": check.result,
            "best_list": best.list if best else "",
            "best_entry": best.entry if best else "",
            "best_alias": best.alias if best else "",
            "best_score": best.score if best else "",
            "reasons": "; ".join(best.reasons) if best else "",
            "candidates": [msgspec.to_builtins(c) for c in check.candidates],
        }


def write_screenings(rows: Iterable[dict[str, Any]], handle: IO[str], kind: Literal["csv", "jsonl"]) -> int:
    """Write screenings as CSV (one row each, the best candidate in columns; a cell that a
    spreadsheet would take for a formula is quoted) or JSON lines (whole)."""
    count = 0
    writer = csv.DictWriter(handle, EXPORT_COLUMNS, extrasaction="ignore") if kind == "csv" else None
    if writer is not None:
        writer.writeheader()
    for row in rows:
        if writer is not None:
            writer.writerow({key: inert(value) for key, value in row.items()})
        else:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count
