"""Watchlists in the record's database: each import a new version of a named list.

An import is one transaction: the version's row and all its entries are written, the list's
earlier version stops being current and its entries are dropped (its row stays, so that a
screening recorded against it can still be traced to when, by whom and from what file it was
imported, and to its digest). An import that fails part-way leaves the current version as it was.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass

import msgspec
from sqlalchemy import Engine, and_, delete, func, insert, select, update

from gatewatch.core.watchlist import WatchEntry
from gatewatch.store.schema import watchlist_entries, watchlist_versions

BATCH = 5_000


@dataclass(frozen=True, slots=True)
class ListVersion:
    """One imported version of a list: what it holds and where it came from."""

    list: str
    version: int
    imported: str
    imported_by: str
    source: str
    digest: str
    """SHA-256 over the entries as stored, in order."""
    entries: int
    current: bool


class Watchlists:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def import_version(
        self,
        name: str,
        entries: Iterable[WatchEntry],
        *,
        source: str,
        by: str,
        at: str,
        each: Callable[[WatchEntry], None] | None = None,
    ) -> ListVersion:
        """Store ``entries`` as the list's next version and make it current.

        ``each`` is called with every entry as it is stored (to build the index and move a
        progress bar in the same pass).
        """
        encoder = msgspec.msgpack.Encoder()
        digest = hashlib.sha256()
        with self.engine.begin() as connection:
            last = connection.execute(
                select(func.max(watchlist_versions.c.version)).where(watchlist_versions.c.list == name)
            ).scalar()
            version = int(last or 0) + 1
            count = 0
            rows: list[dict[str, object]] = []
            for listed in entries:
                entry = msgspec.structs.replace(listed, list=name)
                blob = encoder.encode(entry)
                digest.update(len(blob).to_bytes(4, "big") + blob)
                rows.append({"list": name, "version": version, "position": count, "entry": blob})
                count += 1
                if each is not None:
                    each(entry)
                if len(rows) == BATCH:
                    connection.execute(insert(watchlist_entries), rows)
                    rows = []
            if rows:
                connection.execute(insert(watchlist_entries), rows)
            connection.execute(
                delete(watchlist_entries).where(
                    and_(watchlist_entries.c.list == name, watchlist_entries.c.version != version)
                )
            )
            connection.execute(
                update(watchlist_versions).where(watchlist_versions.c.list == name).values(current=False)
            )
            made = ListVersion(name, version, at, by, source, digest.hexdigest(), count, current=True)
            connection.execute(insert(watchlist_versions), [asdict(made)])
        return made

    def withdraw(self, name: str) -> bool:
        """Stop screening against a list: its entries go, its versions' rows stay."""
        with self.engine.begin() as connection:
            done = connection.execute(
                update(watchlist_versions)
                .where(and_(watchlist_versions.c.list == name, watchlist_versions.c.current.is_(True)))
                .values(current=False)
            )
            connection.execute(delete(watchlist_entries).where(watchlist_entries.c.list == name))
        return bool(done.rowcount)

    def current(self) -> tuple[ListVersion, ...]:
        """The version of each list screened against now, by list name."""
        return self._versions(watchlist_versions.c.current.is_(True))

    def history(self, name: str | None = None) -> tuple[ListVersion, ...]:
        """Every version imported (of one list, or of all)."""
        return self._versions(watchlist_versions.c.list == name if name else None)

    def entries(self, version: ListVersion) -> Iterator[WatchEntry]:
        """The entries of a current version, in the order imported."""
        decoder = msgspec.msgpack.Decoder(WatchEntry)
        query = (
            select(watchlist_entries.c.entry)
            .where(and_(watchlist_entries.c.list == version.list, watchlist_entries.c.version == version.version))
            .order_by(watchlist_entries.c.position)
        )
        with self.engine.connect() as connection:
            for (blob,) in connection.execution_options(yield_per=BATCH).execute(query):
                yield decoder.decode(blob)

    def _versions(self, condition: object | None) -> tuple[ListVersion, ...]:
        query = select(watchlist_versions).order_by(watchlist_versions.c.list, watchlist_versions.c.version)
        if condition is not None:
            query = query.where(condition)  # type: ignore[arg-type]
        with self.engine.connect() as connection:
            return tuple(ListVersion(**row._mapping) for row in connection.execute(query))
