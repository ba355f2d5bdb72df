"""Times on the site's clock: what a recorded instant reads on the wall clock where the site is.

The engine's state may hold an instant with any offset (the one its event was recorded with, or UTC
once the state has been kept in a snapshot and read back). A person's file and its chart give
every time in the site's own zone (the site file's ``timezone``), so that a visit begun at 16:30 on
the site reads 16:30 wherever the state came from: as ISO 8601 with the site's offset where a
machine reads it, and as ``1940-08-11 12:00`` where a person does.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from gatewatch.core.site import Site


@lru_cache(maxsize=16)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def site_zone(site: Site) -> ZoneInfo:
    """The site's time zone (its name was checked when the site file was loaded)."""
    return _zone(site.timezone)


def on_site(at: datetime, zone: tzinfo) -> str:
    """``at`` (aware) as ISO 8601 on the site's clock: the same instant, with the site's offset then."""
    return at.astimezone(zone).isoformat()


def shown(at: datetime | str, zone: tzinfo) -> str:
    """``at`` (aware, or ISO 8601 with an offset) as a reader sees it: ``1940-08-11 12:00``, site time."""
    moment = datetime.fromisoformat(at) if isinstance(at, str) else at
    return moment.astimezone(zone).isoformat(sep=" ", timespec="minutes")[:16]  # the offset left off
