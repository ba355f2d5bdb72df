"""The event log on a database: append (idempotent by event id), read, verify, export, import.

SQLite by default (WAL, ``synchronous=FULL``: an acknowledged append survives a power cut),
PostgreSQL when given its URL. Entries are only ever inserted; nothing is updated in place.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

import msgspec
from sqlalchemy import Engine, Table, create_engine, delete, event, func, insert, or_, select, update
from sqlalchemy.engine import Connection, Row, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError

from gatewatch.store import links, person_index
from gatewatch.store.chain import GENESIS, Entry, Verdict, check, digest, entry_hash
from gatewatch.store.limits import StoreLimits
from gatewatch.store.migrating import Migrations
from gatewatch.store.schema import alerts, log, person_entries, snapshots

MIGRATIONS = Path(__file__).parent / "migrations"
HEAD_REVISION = "0008"
"""The newest migration (a test holds this to Alembic's own head)."""
SCHEMA = Migrations(MIGRATIONS, HEAD_REVISION)
DATABASE_FILE = "gatewatch.db"
CHUNK = 5_000
KEEP_SNAPSHOTS = 3
IDS_AT_ONCE = 500
"""Event ids looked up in one query (``find_many``)."""


class IdConflict(ValueError):
    """An event id already recorded with different content."""

    def __init__(self, event_id: str) -> None:
        self.event_id = event_id
        super().__init__(f'event id "{event_id}" is already recorded with different content')


class NotEmpty(ValueError):
    """An import into a store that already holds entries."""


@dataclass(frozen=True, slots=True)
class Submission:
    """What a caller asks the log to keep: the event, what the engine made of it, and who sent it."""

    event_id: str
    type: str
    at: str
    payload: dict[str, Any]
    outcome: dict[str, Any]
    submitted_by: str
    received: str


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The engine's state after entry ``seq`` (whose hash was ``head_hash``), as bytes."""

    seq: int
    head_hash: str
    site_digest: str
    state: bytes


@dataclass(frozen=True, slots=True)
class Appended:
    entry: Entry
    duplicate: bool


def database_url(data: Path | None = None, db: str | None = None, *, existing: bool = False) -> str:
    """``--db URL`` as given, else the SQLite file in ``--data DIR`` (created if need be).

    A URL given as ``--data`` is refused, never made into folders (``sqlite:/tmp/…``); so is a
    ``--db`` that is not a database URL. ``existing``: for a command that only reads a record,
    a ``--data`` directory without its database (or a SQLite ``--db`` file that is not there)
    is refused, and nothing is created.
    """
    if data is not None and _looks_like_url(str(data)):
        raise ValueError(
            f"--data: {str(data)!r} looks like a database URL, not a directory: "
            "give the URL as --db URL, and --data a directory"
        )
    if db:
        url = _checked_url(db)
        if existing and (file := _sqlite_file(url)) is not None and not file.is_file():
            raise ValueError(f"no record at {file} (no such database file)")
        return url
    if data is None:
        raise ValueError("give a data directory (--data DIR) or a database URL (--db URL)")
    if existing and not (data / DATABASE_FILE).is_file():
        raise ValueError(f"no record in {data} (no {DATABASE_FILE} there)")
    data.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(data / DATABASE_FILE).resolve()}"


def _sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names; ``None`` for another database, or SQLite in memory."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None  # said when it is opened
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]+:")
"""A scheme before the first slash (``sqlite:``, ``postgresql+psycopg:``); one letter is a Windows drive."""


def _looks_like_url(value: str) -> bool:
    return _URL_SCHEME.match(value) is not None


def _checked_url(db: str) -> str:
    if not _looks_like_url(db) or "://" not in db:
        raise ValueError(
            f"--db: {db!r} is not a database URL (e.g. postgresql+psycopg://user@host/db or sqlite:///path/file.db)"
        )
    return db


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    """Each SQLite connection: WAL, every commit on disk (its busy timeout is the driver's ``timeout``)."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def _engine(url: str, limits: StoreLimits, patient: bool = False) -> Engine:
    """An engine bounded by ``limits``; ``patient``: without the statement limits (migrations)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": limits.busy_s}, pool_timeout=limits.pool_s)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_engine(url, pool_timeout=limits.pool_s, pool_pre_ping=True)
    if engine.dialect.driver == "psycopg":
        from gatewatch.store.answering import bound_postgres

        bound_postgres(engine, limits, patient)
    return engine


class EventLog:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._lock = threading.Lock()
        self._head: tuple[int, str] | None = None

    @classmethod
    def open(cls, url: str, limits: StoreLimits | None = None) -> EventLog:
        """Connect, bring the schema up to date (Alembic), and return the log.

        Every call on the log is bounded by ``limits`` (the environment's, by default: see
        ``store/limits.py``). A migration is not: it runs once, on an engine of its own without
        the statement limits, since bringing a large record up to date may take minutes.
        """
        chosen = StoreLimits.from_env() if limits is None else limits
        store = cls(_engine(url, chosen))
        SCHEMA.bring_up_to_date(store.engine, lambda: _engine(url, chosen, patient=True))
        return store

    def migrate(self) -> None:
        """Bring the schema to the newest revision (Alembic is loaded only when there is work)."""
        SCHEMA.upgrade(self.engine)

    def revision(self) -> str | None:
        return SCHEMA.revision(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    # --- writing -------------------------------------------------------------------------

    def append(self, submission: Submission) -> Appended:
        return self.append_many([submission])[0]

    def append_many(self, submissions: Iterable[Submission]) -> list[Appended]:
        """Append in one transaction; an id seen before with the same content returns its entry.

        New events are the common case, so the batch is inserted at once and the unique index
        on ``event_id`` catches repeats; only then is the batch redone, looking each id up.
        """
        items = list(submissions)
        with self._lock:
            try:
                return self._append(items, check_known=False)
            except IntegrityError:
                self._head = None
                return self._append(items, check_known=True)

    def _append(self, items: list[Submission], check_known: bool) -> list[Appended]:
        with self.engine.begin() as connection:
            seq, previous = self._head or self._read_head(connection)
            known = self._by_ids(connection, {item.event_id for item in items}) if check_known else {}
            done: list[Appended] = []
            rows: list[dict[str, Any]] = []
            for item in items:
                payload_digest = digest(item.payload)
                earlier = known.get(item.event_id)
                if earlier is not None:
                    if earlier.payload_digest != payload_digest:
                        raise IdConflict(item.event_id)
                    done.append(Appended(earlier, duplicate=True))
                    continue
                seq += 1
                entry = _new_entry(item, seq, previous, payload_digest)
                rows.append(_row(entry))
                known[item.event_id] = entry
                done.append(Appended(entry, duplicate=False))
                previous = entry.hash
            if rows:
                _insert_with_alerts(connection, rows)
        self._head = (seq, previous)
        return done

    def write(self, entries: list[Entry]) -> None:
        """Keep entries already chained by the caller (the desk), in one transaction, in order.

        The caller owns the chain's head while it writes: nothing else appends meanwhile.
        """
        if not entries:
            return
        with self._lock:
            with self.engine.begin() as connection:
                _insert_with_alerts(connection, [_row(entry) for entry in entries])
            self._head = (entries[-1].seq, entries[-1].hash)

    def import_lines(self, lines: Iterable[str]) -> Verdict:
        """Load exported JSON lines into an empty store, verbatim, then verify the chain."""
        with self._lock, self.engine.begin() as connection:
            if connection.execute(select(func.count()).select_from(log)).scalar_one():
                raise NotEmpty("the store already holds entries: import only into an empty one")
            batch: list[dict[str, Any]] = []
            for line in lines:
                if line.strip():
                    batch.append(_row(msgspec.json.decode(line, type=Entry)))
                if len(batch) >= CHUNK:
                    _insert_with_alerts(connection, batch)
                    batch = []
            if batch:
                _insert_with_alerts(connection, batch)
            _record_imported_redactions(connection)
        self._head = None
        return self.verify()

    def save_snapshot(self, snapshot: Snapshot, keep: int = KEEP_SNAPSHOTS) -> None:
        """Keep a snapshot, and only the ``keep`` newest (an older one is needed only if all fail)."""
        row = {
            "seq": snapshot.seq,
            "head_hash": snapshot.head_hash,
            "site_digest": snapshot.site_digest,
            "state": snapshot.state,
            "state_digest": hashlib.sha256(snapshot.state).hexdigest(),
        }
        with self.engine.begin() as connection:
            connection.execute(delete(snapshots).where(snapshots.c.seq == snapshot.seq))
            connection.execute(insert(snapshots), [row])
            held = connection.execute(select(snapshots.c.seq).order_by(snapshots.c.seq.desc())).scalars().all()
            if len(held) > keep:
                connection.execute(delete(snapshots).where(snapshots.c.seq.in_(held[keep:])))

    def latest_snapshot(self, site_digest: str) -> Snapshot | None:
        """The newest snapshot for this site that is intact and still matches the chain."""
        with self.engine.connect() as connection:
            candidates = connection.execute(
                select(snapshots.c.seq, snapshots.c.head_hash, snapshots.c.state_digest)
                .where(snapshots.c.site_digest == site_digest)
                .order_by(snapshots.c.seq.desc())
            ).fetchall()  # the bytes are read only for the one that is used
            for seq, head_hash, state_digest in candidates:
                at = connection.execute(select(log.c.hash).where(log.c.seq == seq)).scalar_one_or_none()
                if at != head_hash:
                    continue
                state = connection.execute(select(snapshots.c.state).where(snapshots.c.seq == seq)).scalar_one()
                if hashlib.sha256(state).hexdigest() == state_digest:
                    return Snapshot(seq, head_hash, site_digest, bytes(state))
        return None

    def drop_snapshots_before(self, seq: int) -> None:
        """Remove snapshots older than ``seq`` (after a redaction, they hold what was forgotten)."""
        with self.engine.begin() as connection:
            connection.execute(delete(snapshots).where(snapshots.c.seq < seq))

    # --- redaction -----------------------------------------------------------------------

    def entries_of_types(self, types: Iterable[str], after: int = 0) -> Iterator[Entry]:
        """Entries of these types after entry ``after`` whose payload is still held, in order."""
        wanted = sorted(types)
        last = after
        while True:
            with self.engine.connect() as connection:
                rows = connection.execute(
                    select(log)
                    .where(log.c.seq > last, log.c.type.in_(wanted), log.c.payload.is_not(None))
                    .order_by(log.c.seq)
                    .limit(CHUNK)
                ).fetchall()
            if not rows:
                return
            yield from (_entry(row) for row in rows)
            last = rows[-1].seq

    def redact(self, seqs: Iterable[int]) -> int:
        """Drop these entries' payloads (the chain keeps their digests, so it still verifies).

        The one change the record allows in place, and only this one: payload to null. Each
        redaction is recorded, in the same transaction, on the redactions table's chain: that
        record is what makes a payload set to null legitimate when the record is verified.
        """
        chosen = sorted(set(seqs))
        at = _now()
        with self._lock, links.lock(links.REDACTIONS), self.engine.begin() as connection:
            for start in range(0, len(chosen), CHUNK):
                part = chosen[start : start + CHUNK]
                fresh = connection.execute(
                    select(log.c.seq).where(log.c.seq.in_(part), ~log.c.redacted).order_by(log.c.seq)
                ).scalars()
                links.append_links(connection, links.REDACTIONS, [{"seq": seq, "at": at} for seq in fresh])
                connection.execute(update(log).where(log.c.seq.in_(part)).values(payload=None, redacted=True))
        return len(chosen)

    # --- reading -------------------------------------------------------------------------

    def head(self) -> tuple[int, str]:
        with self.engine.connect() as connection:
            return self._read_head(connection)

    def event_ids(self) -> Iterator[str]:
        """Every recorded event id (the desk keeps them in memory to tell a resend at once)."""
        with self.engine.connect() as connection:
            result = connection.execution_options(stream_results=True, yield_per=CHUNK).execute(select(log.c.event_id))
            for (event_id,) in result:
                yield event_id

    def find(self, event_id: str) -> Entry | None:
        """The entry recorded under this event id, if any."""
        with self.engine.connect() as connection:
            return self._by_ids(connection, {event_id}).get(event_id)

    def entries_at(self, seqs: Iterable[int]) -> dict[int, Entry]:
        """The entries at these positions (those that exist), read in batches of ``CHUNK``."""
        wanted = sorted(set(seqs))
        found: dict[int, Entry] = {}
        with self.engine.connect() as connection:
            for start in range(0, len(wanted), CHUNK):
                part = wanted[start : start + CHUNK]
                rows = connection.execute(select(log).where(log.c.seq.in_(part))).fetchall()
                found.update((row.seq, _entry(row)) for row in rows)
        return found

    def find_many(self, event_ids: Iterable[str]) -> dict[str, Entry]:
        """The entries recorded under these event ids (those that are), read ``IDS_AT_ONCE`` at a time."""
        wanted = sorted(set(event_ids))
        found: dict[str, Entry] = {}
        with self.engine.connect() as connection:
            for start in range(0, len(wanted), IDS_AT_ONCE):
                found.update(self._by_ids(connection, set(wanted[start : start + IDS_AT_ONCE])))
        return found

    def entries(self, after: int = 0) -> Iterator[Entry]:
        """Every entry after ``after``, in order, read in chunks."""
        last = after
        while True:
            with self.engine.connect() as connection:
                rows = connection.execute(
                    select(log).where(log.c.seq > last).order_by(log.c.seq).limit(CHUNK)
                ).fetchall()
            if not rows:
                return
            for row in rows:
                yield _entry(row)
            last = rows[-1].seq

    def entries_naming(
        self, person: str, limit: int, before: int | None = None, unless_alerted: Iterable[str] = ()
    ) -> list[Entry]:
        """The newest ``limit`` entries that name ``person`` (``person_index``), newest first.

        ``before``: only entries before that position (the next page of an older part).
        ``unless_alerted``: entry types left out unless their outcome raised an alert (a move
        is in a person's visit already; a move that raised an alert is not). A redacted entry
        is there, without its payload. ``limit`` is held to 1 … ``person_index.MOST_READ``.
        """
        held = max(1, min(limit, person_index.MOST_READ))
        query = (
            select(log)
            .join(person_entries, person_entries.c.seq == log.c.seq)
            .where(person_entries.c.person == person)
            .order_by(person_entries.c.seq.desc())
            .limit(held)
        )
        if before is not None:
            query = query.where(person_entries.c.seq < before)
        skipped = sorted(set(unless_alerted))
        if skipped:
            raised = select(alerts.c.seq).where(alerts.c.seq == log.c.seq).exists()
            query = query.where(or_(log.c.type.not_in(skipped), raised))
        with self.engine.connect() as connection:
            return [_entry(row) for row in connection.execute(query)]

    def verify(self) -> Verdict:
        return check(self.entries())

    def export(self, out: IO[str]) -> int:
        count = 0
        for entry in self.entries():
            out.write(msgspec.json.encode(entry).decode() + "\n")
            count += 1
        return count

    def _read_head(self, connection: Connection) -> tuple[int, str]:
        row = connection.execute(select(log.c.seq, log.c.hash).order_by(log.c.seq.desc()).limit(1)).first()
        return (row.seq, row.hash) if row else (0, GENESIS)

    def _by_ids(self, connection: Connection, event_ids: set[str]) -> dict[str, Entry]:
        """The entries already recorded under any of these ids: one query per batch."""
        if not event_ids:
            return {}
        rows = connection.execute(select(log).where(log.c.event_id.in_(sorted(event_ids)))).fetchall()
        return {row.event_id: _entry(row) for row in rows}


def alert_rows(seq: int, event_id: str, outcome_json: str) -> list[dict[str, Any]]:
    """The alerts of one recorded outcome as rows of the alerts table (id: ``SEQ-N``, the N-th alert of entry SEQ).

    Only the outcome's time and alerts are decoded (most outcomes raise none).
    """
    outcome = _raised.decode(outcome_json)
    if outcome.alerts and outcome.at is None:
        raise ValueError(f"entry {seq} ({event_id}): field 'at': an outcome that raises alerts has no time")
    return [
        {
            "id": f"{seq}-{number}",
            "seq": seq,
            "event_id": event_id,
            "at": outcome.at,
            "code": alert["code"],
            "severity": alert["severity"],
            "subjects": msgspec.json.encode(alert["subjects"]).decode(),
            "message": alert["message"],
        }
        for number, alert in enumerate(outcome.alerts, start=1)
    ]


class _Raised(msgspec.Struct):
    """What the alerts table needs of an outcome: its time and its alerts (the rest is skipped)."""

    at: str | None = None
    alerts: list[dict[str, Any]] = msgspec.field(default_factory=list)


_raised = msgspec.json.Decoder(_Raised)


def _insert_with_alerts(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert log rows, then the alert rows their outcomes raise and the person index's rows
    (``person_index``), in the caller's transaction.

    Written straight through the driver's ``executemany`` (``_insert_rows``); a repeated event id
    still fails with ``IntegrityError``, and any error rolls the whole transaction back.
    """
    _insert_rows(connection, log, rows)
    raised = [alert for row in rows for alert in alert_rows(row["seq"], row["event_id"], row["outcome"])]
    if raised:
        _insert_rows(connection, alerts, raised)
    named = person_index.rows_for(rows, raised)
    if named:
        _insert_rows(connection, person_entries, named)


def _insert_rows(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Rows into ``table`` as one DBAPI ``executemany``, skipping SQLAlchemy's per-row work.

    SQLAlchemy still wraps the driver's errors (``IntegrityError``, a lost connection). A driver
    whose placeholder style is not known here goes through SQLAlchemy Core as before.
    """
    mark = _PLACEHOLDERS.get(connection.dialect.paramstyle)
    if mark is None:
        connection.execute(insert(table), rows)
        return
    names = [column.name for column in table.columns]
    key = (connection.dialect.name, table.name, mark)
    statement = _statements.get(key)
    if statement is None:
        quote = connection.dialect.identifier_preparer.quote
        statement = _statements[key] = (
            f"INSERT INTO {quote(table.name)} ({', '.join(quote(name) for name in names)}) "
            f"VALUES ({', '.join([mark] * len(names))})"
        )
    connection.exec_driver_sql(statement, list(map(itemgetter(*names), rows)))


_PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}
"""The positional placeholder of each DBAPI paramstyle the fast insert knows (SQLite, psycopg)."""
_statements: dict[tuple[str, str, str], str] = {}
"""Each table's INSERT statement, per dialect, made once."""


def prepare_entry(item: Submission, seq: int, previous: str) -> Entry:
    """The entry this submission becomes at position ``seq`` after the entry whose hash is ``previous``."""
    return _new_entry(item, seq, previous, digest(item.payload))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _record_imported_redactions(connection: Connection) -> None:
    """Entries imported already redacted are recorded as redactions, as of the import."""
    seqs = connection.execute(select(log.c.seq).where(log.c.redacted).order_by(log.c.seq)).scalars()
    at = _now()
    with links.lock(links.REDACTIONS):
        links.append_links(connection, links.REDACTIONS, [{"seq": seq, "at": at} for seq in seqs])


def _new_entry(item: Submission, seq: int, previous: str, payload_digest: str) -> Entry:
    hashed = entry_hash(
        seq,
        item.event_id,
        item.type,
        item.at,
        item.received,
        item.submitted_by,
        payload_digest,
        digest(item.outcome),
        previous,
    )
    return Entry(
        seq,
        item.event_id,
        item.type,
        item.at,
        item.received,
        item.submitted_by,
        item.payload,
        payload_digest,
        item.outcome,
        previous,
        hashed,
    )


def _row(entry: Entry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "event_id": entry.event_id,
        "type": entry.type,
        "at": entry.at,
        "received": entry.received,
        "submitted_by": entry.submitted_by,
        "payload": None if entry.payload is None else msgspec.json.encode(entry.payload).decode(),
        "payload_digest": entry.payload_digest,
        "outcome": msgspec.json.encode(entry.outcome).decode(),
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
        "redacted": entry.redacted,
    }


def _entry(row: Row[Any]) -> Entry:
    return Entry(
        seq=row.seq,
        event_id=row.event_id,
        type=row.type,
        at=row.at,
        received=row.received,
        submitted_by=row.submitted_by,
        payload=None if row.payload is None else msgspec.json.decode(row.payload),
        payload_digest=row.payload_digest,
        outcome=msgspec.json.decode(row.outcome),
        prev_hash=row.prev_hash,
        hash=row.hash,
        redacted=bool(row.redacted),
    )
