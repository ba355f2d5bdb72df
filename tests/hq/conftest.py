"""Head office's tests: a PostgreSQL database per test, and real site records to ship from.

PostgreSQL: ``GATEWATCH_TEST_PG`` (default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``)
names a server where each test gets a database of its own, dropped afterwards. Where no server
answers, the tests that need one are skipped, except under CI, where they fail.

A site's entries are made the way a site makes them: appended to a site ``EventLog`` on SQLite
(``SiteRecord``), then shipped with ``wire.ship`` (with the marks a test gives).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from gatewatch.hq.store import OfficeStore
from gatewatch.store.chain import Entry
from gatewatch.store.log import EventLog, Submission
from gatewatch.sync import wire
from pg_support import postgres_database

SENT = "2024-06-03T10:00:00+00:00"
ARRIVED = "2024-06-03T10:00:01+00:00"


@pytest.fixture
def office_url() -> Iterator[str]:
    """The URL of a PostgreSQL database of this test's own (empty)."""
    yield from postgres_database("gatewatch_hq_test")


@pytest.fixture
def topology() -> wire.Topology:
    return wire.Topology(prefix=f"t{uuid.uuid4().hex[:10]}")


@pytest.fixture
def office(office_url: str, topology: wire.Topology) -> Iterator[OfficeStore]:
    """Head office's store on this test's database, its schema made."""
    opened = OfficeStore.open(office_url, topology)
    yield opened
    opened.close()


def document_mark(number: str, person: str, country: str = "FR") -> wire.Mark:
    """The mark a passport gives (as ``sync/marks.py`` writes a document's thread key)."""
    return wire.Mark(kind="document", mark=f"document:{country}:{number}", person=person)


class SiteRecord:
    """One site's record on SQLite, appended to like the site's desk does, and shipped like its publisher does."""

    def __init__(self, site: str, folder: Path) -> None:
        self.site = site
        folder.mkdir(parents=True, exist_ok=True)
        self.log = EventLog.open(f"sqlite:///{folder / 'gatewatch.db'}")
        self.marks: dict[int, tuple[wire.Mark, ...]] = {}
        self._count = 0

    def record(self, type_: str, person: str | dict[str, Any] | None = None, **fields: Any) -> Entry:
        """Append one event of this type (about ``person``: an id, or a register's person), a minute after the last."""
        self._count += 1
        minute = self._count
        at = f"2024-06-03T{8 + minute // 60:02d}:{minute % 60:02d}:00+00:00"
        event_id = f"{self.site}-e{self._count}"
        payload: dict[str, Any] = {"type": type_, "id": event_id, "at": at, **fields}
        if person is not None:
            payload["person"] = person
        submission = Submission(
            event_id=event_id,
            type=type_,
            at=at,
            payload=payload,
            outcome={"at": at, "decision": None, "reasons": [], "alerts": []},
            submitted_by="g1",
            received=at,
        )
        return self.log.append(submission).entry

    def identify(self, person: str, name: str | None, number: str | None = None, country: str = "FR") -> Entry:
        """An ``identify`` of ``person`` under ``name``, presenting a passport ``number`` (its mark kept to ship)."""
        fields: dict[str, Any] = {} if name is None else {"name": name}
        if number is not None:
            fields["document"] = {"kind": "passport", "country": country, "number": number}
        entry = self.record("identify", person, **fields)
        if number is not None:
            self.marks[entry.seq] = (document_mark(number, person, country),)
        return entry

    def fill(self, count: int) -> list[Entry]:
        """``count`` ordinary events (doors opening, people checked in)."""
        made: list[Entry] = []
        for n in range(count):
            made.append(self.record("check_in", f"{self.site}-visitor-{n % 7}", door="outer"))
        return made

    def entries(self, after: int = 0) -> list[Entry]:
        return list(self.log.entries(after))

    def shipped(self, after: int = 0) -> list[wire.Shipped]:
        """Every entry after ``after`` as the site ships it."""
        return [self.ship(entry) for entry in self.entries(after)]

    def ship(self, entry: Entry, view: dict[str, Any] | None = None) -> wire.Shipped:
        return wire.ship(entry, self.site, SENT, self.marks.get(entry.seq, ()), view)


@pytest.fixture
def site_record(tmp_path: Path) -> Iterator[Callable[[str], SiteRecord]]:
    """Make a site's record: ``site_record("north")`` (closed after the test)."""
    made: list[SiteRecord] = []

    def make(site: str) -> SiteRecord:
        record = SiteRecord(site, tmp_path / f"site-{site}")
        made.append(record)
        return record

    yield make
    for record in made:
        record.log.close()
