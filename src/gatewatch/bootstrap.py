"""One place that wires the layers: the site file, the store, the desk and the gatekeeper.

The core knows nothing of this; the API and the command line ask for a ``Services`` and use it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from gatewatch.core.site import Site
from gatewatch.files.loader import load_site
from gatewatch.service.auth import Gatekeeper
from gatewatch.service.desk import SNAPSHOT_EVERY, Desk
from gatewatch.service.screening import Screener
from gatewatch.store.accounts import Accounts
from gatewatch.store.alerts import AlertBook
from gatewatch.store.log import EventLog
from gatewatch.store.watchlists import Watchlists


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

    def close(self) -> None:
        """Write what the desk has queued, keep its state, then let the store go."""
        self.desk.close()
        self.log.close()


def open_accounts(url: str) -> tuple[EventLog, Accounts, Gatekeeper]:
    """The store's accounts alone (for ``gatewatch user``): no site needed."""
    log = EventLog.open(url)
    accounts = Accounts(log.engine)
    return log, accounts, Gatekeeper(accounts)


def build(site_path: Path, url: str, snapshot_every: int = SNAPSHOT_EVERY, cache: Path | None = None) -> Services:
    """Load the site, open the store (migrating it), and rebuild the desk's state from the record.

    ``cache``: a folder (the data directory) where a large site file is kept parsed between starts,
    and the watchlists' indexes are kept as files.
    """
    site, zone = load_site(site_path, cache)
    log = EventLog.open(url)
    desk = Desk.open(site, log, snapshot_every=snapshot_every)
    accounts = Accounts(log.engine)
    screener = Screener(Watchlists(log.engine), cache)
    desk.followers.append(screener.follow)
    return Services(
        site, zone, log, desk, AlertBook(log.engine), accounts, Gatekeeper(accounts), screener, site_path=site_path
    )
