"""Guarded sites for the multi-site tests: a site file and a data directory each, events through the desk.

Every site is the test house of ``support.SITE_YAML`` under its own id. Events are submitted
through the site's own desk (``bootstrap.build(...).desk.submit``), as the door would, and what
the site recorded is read back from its record (``EventLog``) with no help from the sync.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from gatewatch.bootstrap import Services, build
from gatewatch.core.parse import parse_event
from gatewatch.service.desk import Decided
from gatewatch.store.chain import Entry
from gatewatch.store.log import EventLog, database_url
from support import SITE_YAML

SUBMITTED_BY = "multisite-test"
DAY = timedelta(days=1)


def site_yaml(site: str) -> str:
    """The test house as site ``site`` (its own id and name)."""
    raw = yaml.safe_load(SITE_YAML)
    raw["site"] = site
    raw["name"] = f"Test house {site}"
    return yaml.safe_dump(raw, sort_keys=False)


@dataclass
class Site:
    """One site: its file, its data directory (the SQLite record), and, while open, its desk."""

    id: str
    root: Path
    services: Services | None = None
    clock: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0) - timedelta(days=3))
    """The time of the next event: the record only moves forward, so each site keeps its own."""
    number: int = 0

    @property
    def file(self) -> Path:
        return self.root / "site.yaml"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def url(self) -> str:
        return database_url(self.data)

    @classmethod
    def make(cls, root: Path, site: str) -> Site:
        """The site's file and data directory, written under ``root/site``."""
        made = cls(site, root / site)
        made.data.mkdir(parents=True, exist_ok=True)
        made.file.write_text(site_yaml(site))
        return made

    def open(self) -> Services:
        """The site's services, as ``gatewatch serve`` builds them (the record migrated on first use)."""
        if self.services is None:
            self.services = build(self.file, self.url, cache=self.data)
        return self.services

    def close(self) -> None:
        if self.services is not None:
            self.services.close()
            self.services = None

    def submit(self, raw: dict[str, Any]) -> Decided:
        """One event (a mapping as a drill writes it, its ``at`` an ISO time) decided and recorded."""
        services = self.open()
        self.number += 1
        event = parse_event(raw, services.site, services.zone, self.clock, default_id=f"{self.id}-{self.number}")
        self.clock = max(self.clock, event.at)
        return services.desk.submit(event, SUBMITTED_BY, datetime.now(UTC))

    def record(self, events: list[dict[str, Any]]) -> list[Decided]:
        """Events decided and recorded one after another, as the doors would send them."""
        return [self.submit(raw) for raw in events]

    def next_day(self, count: int, seed: int, span: timedelta = DAY) -> list[dict[str, Any]]:
        """``count`` events over the ``span`` after the site's last event (see ``day_of_events``)."""
        return day_of_events(self.id, self.clock + timedelta(minutes=1), count, seed, span)

    def entries(self) -> list[Entry]:
        """The site's record as it stands, read afresh from its database."""
        log = EventLog.open(self.url)
        try:
            return list(log.entries())
        finally:
            log.close()

    def chain(self) -> list[tuple[int, str]]:
        """Each entry's position and hash, in order."""
        return [(entry.seq, entry.hash) for entry in self.entries()]


def at(moment: datetime) -> str:
    """An event's time as a drill writes it (UTC: the test house's clock)."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds")


def visit(site: str, tag: str, start: datetime, step: timedelta) -> Iterator[dict[str, Any]]:
    """An ordinary visit at the side gate: invited, arrives, identified on a passport of their own,
    let in by the lead, goes to the yard, and leaves; one event every ``step`` from ``start``.

    ``tag`` makes the visitor, the passport number and the event ids unique at the site.
    """
    person = f"v{tag}"
    document = {"kind": "passport", "country": "GB", "number": f"{site.upper()[:6]}{tag}"}
    shapes: list[dict[str, Any]] = [
        {"type": "invite", "by": "res", "person": person},
        {"type": "arrive", "people": [person], "door": "side"},
        {"type": "identify", "person": person, "name": f"Visitor {tag} of {site}", "document": document},
        {"type": "request", "door": "side", "by": "lead", "for": [person]},
        {"type": "open", "door": "side"},
        {"type": "move", "people": [person], "to": "yard"},
        {"type": "close", "door": "side"},
        {"type": "leave", "people": [person]},
    ]
    for index, shape in enumerate(shapes):
        yield {"id": f"{site}-{tag}-{index}", "at": at(start + step * index), **shape}


def day_of_events(site: str, start: datetime, count: int, seed: int, span: timedelta = DAY) -> list[dict[str, Any]]:
    """``count`` events spread over ``span`` (a day) from ``start``: visits, check-ins, the weather.

    A realistic mix, in time order; ``seed`` makes it the same every run and keeps its ids and
    documents apart from another batch's (give each batch of a site its own seed).
    """
    chooser = random.Random(seed)
    step = span / count
    made: list[dict[str, Any]] = []
    while len(made) < count:
        moment = start + step * len(made)
        tag = f"{seed}x{len(made)}"
        pick = chooser.random()
        if pick < 0.8 and count - len(made) >= 8:
            made.extend(visit(site, tag, moment, step))
        elif pick < 0.9:
            made.append({"id": f"{site}-{tag}-c", "at": at(moment), "type": "checkin", "post": "tower", "by": "g1"})
        else:
            degrees = chooser.randint(5, 30)
            made.append({"id": f"{site}-{tag}-w", "at": at(moment), "type": "weather", "temp_c": degrees})
    return made
