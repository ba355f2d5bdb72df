"""The side tables' chains: acknowledgements, reads of person files, sign-ins and redactions.

These tables are not events, so they are not in the log's chain; each is a chain of its own.
Every row keeps the hash of the row before it (in insert order) and its own hash over what it
keeps (``chain.link_hash``). A unique index on ``prev_hash`` lets no two rows follow the same
one, so two writers at once cannot fork a chain: the loser reads the new head and tries again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Engine, Table, func, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from gatewatch.store.chain import GENESIS, Link, link_hash
from gatewatch.store.schema import acknowledgements, logins, reads, redactions

CHUNK = 5_000
ATTEMPTS = 20


@dataclass(frozen=True, slots=True)
class SideChain:
    """A chained side table: its name, its rows' insert order, and the fields each row's hash covers."""

    name: str
    table: Table
    order: str
    covered: tuple[str, ...]
    numbered: bool
    """The order column is a position this module sets (else the database's own id)."""

    @property
    def order_column(self) -> Column[Any]:
        column: Column[Any] = self.table.c[self.order]
        return column

    def fields(self, values: Any) -> dict[str, Any]:
        """What a row's hash covers, from a row or a dict."""
        read = values.get if isinstance(values, dict) else values._mapping.get
        return {name: read(name) for name in self.covered}


ACKNOWLEDGEMENTS = SideChain(
    "acknowledgements", acknowledgements, "position", ("alert_id", "by", "at", "comment"), True
)
READS = SideChain("reads", reads, "id", ("at", "user", "person"), False)
LOGINS = SideChain("logins", logins, "id", ("at", "name", "client", "ok"), False)
REDACTIONS = SideChain("redactions", redactions, "position", ("seq", "at"), True)
SIDE_CHAINS = (ACKNOWLEDGEMENTS, READS, LOGINS, REDACTIONS)

_locks = {chain.name: threading.Lock() for chain in SIDE_CHAINS}


def last(connection: Connection, chain: SideChain) -> tuple[int, str]:
    """The chain's last row: its order key and its hash (one index lookup)."""
    row = connection.execute(
        select(chain.order_column, chain.table.c.hash).order_by(chain.order_column.desc()).limit(1)
    ).first()
    return (0, GENESIS) if row is None else (int(row[0]), str(row[1]))


def head(connection: Connection, chain: SideChain) -> tuple[int, str, int]:
    """The chain's last row: its order key, its hash, and how many rows the chain holds."""
    count = connection.execute(select(func.count()).select_from(chain.table)).scalar_one()
    return (*last(connection, chain), int(count))


def append_links(connection: Connection, chain: SideChain, rows: list[dict[str, Any]]) -> None:
    """Insert rows at the chain's head, in this connection's transaction (the caller holds ``lock(chain)``)."""
    key, previous = last(connection, chain)
    chained = []
    for values in rows:
        hashed = link_hash(chain.name, chain.fields(values), previous)
        row = {**values, "prev_hash": previous, "hash": hashed}
        if chain.numbered:
            key += 1
            row[chain.order] = key
        chained.append(row)
        previous = hashed
    if chained:
        connection.execute(insert(chain.table), chained)


def lock(chain: SideChain) -> threading.Lock:
    """The lock that keeps this process's writers to one chain in line."""
    return _locks[chain.name]


def insert_linked(
    engine: Engine,
    chain: SideChain,
    values: dict[str, Any],
    before: Callable[[Connection], None] | None = None,
) -> None:
    """Insert one row at the chain's head in a transaction of its own, retrying if another writer got there first.

    ``before`` runs in the same transaction first (it may refuse by raising).
    """
    for attempt in range(ATTEMPTS):
        try:
            with lock(chain), engine.begin() as connection:
                if before is not None:
                    before(connection)
                append_links(connection, chain, [values])
            return
        except IntegrityError:
            if attempt == ATTEMPTS - 1:
                raise


def links(engine: Engine, chain: SideChain, after: int | None = None) -> Iterator[Link]:
    """The chain's rows in insert order (after the row whose order key is ``after``), read in chunks."""
    last = after
    columns = [
        chain.order_column,
        chain.table.c.prev_hash,
        chain.table.c.hash,
        *(chain.table.c[n] for n in chain.covered),
    ]
    while True:
        query = select(*columns).order_by(chain.order_column).limit(CHUNK)
        if last is not None:
            query = query.where(chain.order_column > last)
        with engine.connect() as connection:
            rows = connection.execute(query).fetchall()
        if not rows:
            return
        for row in rows:
            yield Link(int(row[0]), chain.fields(row), row.prev_hash, row.hash)
        last = int(rows[-1][0])


def place_of(connection: Connection, chain: SideChain, hashed: str) -> tuple[int, int] | None:
    """Where the row with this hash stands: its order key and how many rows there are up to it (itself included)."""
    key = connection.execute(select(chain.order_column).where(chain.table.c.hash == hashed)).scalar_one_or_none()
    if key is None:
        return None
    count = connection.execute(
        select(func.count()).select_from(chain.table).where(chain.order_column <= key)
    ).scalar_one()
    return int(key), int(count)
