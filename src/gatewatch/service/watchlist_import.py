"""Importing a watchlist file as the list's next version: the one procedure for every way a list arrives.

``gatewatch watchlist import`` calls it with a file an operator gives; the site's inbox calls it
with a version head office published. Each entry is read and checked as the file is read
(``files.watchlist_files``), stored as the list's next version in one transaction (a file with a
bad line changes nothing: ``WatchlistFileError`` names the line), and indexed in the same pass;
the index is then kept by the screener, so that screenings use the new version at once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

from gatewatch.core.watch_index import IndexBuilder
from gatewatch.files.watchlist_files import Reading, read_entries
from gatewatch.service.screening import Screener
from gatewatch.store.watchlists import ListVersion


def import_list(
    screener: Screener,
    file: Path,
    kind: Literal["ftm", "csv"],
    list_name: str,
    reading: Reading,
    *,
    source: str,
    by: str,
    at: str,
    progress: Callable[[int], None] | None = None,
) -> ListVersion:
    """Read, check, store and index ``file`` in one pass as ``list_name``'s next version, and keep its index.

    ``reading`` gathers what was passed over, set aside and moved (and gives each finding to its
    ``sink``); ``source`` says where the file came from; ``progress`` is told the bytes read.
    """
    builder = IndexBuilder()
    version = screener.book.import_version(
        list_name,
        read_entries(file, kind, reading, progress),
        source=source,
        by=by,
        at=at,
        each=builder.add,
    )
    screener.keep(version, builder.build())
    return version
