"""One place that wires the layers: the site file, the store, the desk and the gatekeeper.

The core knows nothing of this; the API and the command line ask for a ``Services`` and use it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from gatewatch.core.site import Site
from gatewatch.files.loader import load_site
from gatewatch.service.auth import Gatekeeper
from gatewatch.service.case_notes import NoteKey
from gatewatch.service.desk import SNAPSHOT_EVERY, Desk
from gatewatch.service.doors import Doors
from gatewatch.service.screening import Screener
from gatewatch.store.accounts import Accounts
from gatewatch.store.alerts import AlertBook
from gatewatch.store.audit import UnverifiedRecord, require_verified
from gatewatch.store.checkpoint import CheckpointPlace
from gatewatch.store.keeper import checkpoint_if_changed, keep_checkpoints
from gatewatch.store.log import EventLog
from gatewatch.store.watchlists import Watchlists

if TYPE_CHECKING:
    from gatewatch.sync.nats_link import HeadOfficeLink


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    site: Site
    zone: ZoneInfo
    log: EventLog
    desk: Desk
    alerts: AlertBook
    accounts: Accounts
    gatekeeper: Gatekeeper
    screener: Screener
    clock: Callable[[], datetime] = field(default=utc_now)
    site_path: Path | None = None
    """The site file; drills kept beside it are offered on the console's Drills page."""
    checkpoints: CheckpointPlace | None = None
    """Where the record's signed checkpoints and their key are kept (none: no checkpoints)."""
    doors: Doors | None = None
    """The desk's side of the door drivers, once the server has built it (none: no drivers)."""
    notes: NoteKey | None = None
    """The key case notes are sealed with, kept in a file outside the database (none: no notes)."""
    head_office: HeadOfficeLink | None = None
    """Head office's NATS servers and the site's keys: the server syncs with it (none: no head office)."""

    def close(self) -> None:
        """Write what the desk has queued, keep its state, then let the store go."""
        self.desk.close()
        if self.checkpoints is not None:
            checkpoint_if_changed(self.log, self.checkpoints, self.site.id)
        self.log.close()

    def keep_checkpoints(self, stop: threading.Event) -> None:
        """Sign checkpoints of the record periodically until ``stop`` is set (run in a thread)."""
        if self.checkpoints is not None:
            keep_checkpoints(self.log, self.checkpoints, self.site.id, stop)


def open_accounts(url: str) -> tuple[EventLog, Accounts, Gatekeeper]:
    """The store's accounts alone (for ``gatewatch user``): no site needed."""
    log = EventLog.open(url)
    accounts = Accounts(log.engine)
    return log, accounts, Gatekeeper(accounts)


def build(
    site_path: Path,
    url: str,
    snapshot_every: int = SNAPSHOT_EVERY,
    cache: Path | None = None,
    checkpoints: CheckpointPlace | None = None,
    accept_unverified: bool = False,
    notes_key: Path | None = None,
) -> Services:
    """Load the site, open the store (migrating it), and rebuild the desk's state from the record.

    ``cache``: a folder (the data directory) where a large site file is kept parsed between starts,
    and the watchlists' indexes are kept as files. ``checkpoints``: the record is first checked
    against the newest one (``UnverifiedRecord`` if it fails, unless ``accept_unverified``).
    ``notes_key``: the file of the key case notes are sealed with (made on first use).
    """
    site, zone = load_site(site_path, cache)
    log = EventLog.open(url)
    if checkpoints is not None:
        try:
            require_verified(log, checkpoints, site.id, accept_unverified)
        except UnverifiedRecord:
            log.close()
            raise
    desk = Desk.open(site, log, snapshot_every=snapshot_every)
    accounts = Accounts(log.engine)
    screener = Screener(Watchlists(log.engine), cache)
    desk.followers.append(screener.follow)
    return Services(
        site,
        zone,
        log,
        desk,
        AlertBook(log.engine),
        accounts,
        Gatekeeper(accounts),
        screener,
        site_path=site_path,
        checkpoints=checkpoints,
        notes=NoteKey(notes_key, log) if notes_key is not None else None,
    )
