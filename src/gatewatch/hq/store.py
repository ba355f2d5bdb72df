"""Head office's store on PostgreSQL: sites, their entries as shipped, links across sites, the outbox.

Head office runs on PostgreSQL only (JSONB payloads, ``ON CONFLICT``, ``DISTINCT ON``). Every
call is bounded like the site store's (``store/limits.py``: statement and lock timeouts, a
deadline on every answer), so a hung database never hangs head office; migrations run once, on
an engine without the statement limits.

``ingest`` is the hot path: one transaction takes many sites' entries, their marks, each site's
new head, and the links the new marks make with other sites (with a note to each party's site
in the outbox, sent later by ``hq/outbox.py``). The chain itself is checked before, by each
site's ``chain_watch.SiteWatch``; the store only keeps what it is given, safely: an entry it
already holds is skipped, and a site's head only moves forward.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec
from sqlalchemy import Engine, create_engine, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError

from gatewatch.hq.schema import VERSION_TABLE, hq_alerts, hq_entries, hq_links, hq_lists, hq_outbox, hq_sites
from gatewatch.store.limits import StoreLimits
from gatewatch.store.migrating import Migrations
from gatewatch.sync import wire

MIGRATIONS = Path(__file__).parent / "migrations"
HEAD_REVISION = "0001"
"""Head office's newest migration."""
SCHEMA = Migrations(MIGRATIONS, HEAD_REVISION, VERSION_TABLE)
INGEST_MOST = 20_000
"""The most entries one ``ingest`` call takes (the writer commits batches of about 2,000)."""
CHUNK = 5_000
"""Entries read at once when walking a site's record (``entries``)."""
PARTIES_MOST = 20
"""At most this many people at other sites are linked to one new presenter of one mark (the earliest known),
and no party is linked by one mark to more than this many: a mark many people present (a shared office
phone, or a site with its own key presenting another site's document under thousands of names) must not
make thousands of links, nor send thousands of notes to one site about one person."""
OUTBOX_MOST = 1_000
NAME_CHARS = 200
LIST_VERSION_MOST = 2**31 - 1
PUBLIC_KEY = re.compile(r"^U[A-Z2-7]{55}$")
"""A NATS NKEY user public key: ``U`` and 55 base32 characters."""
LINK_NOTE_TYPES = ("identify", "register")
"""The entry types whose payloads give a person's name (``name``, or register's ``person.name``)."""


class UnknownSite(ValueError):
    """An entry or a call for a site head office does not know (``gatewatch hq site add`` first)."""


class KnownSite(ValueError):
    """A site added twice."""


@dataclass(frozen=True, slots=True)
class SiteRow:
    """One site as head office holds it (see ``schema.hq_sites``)."""

    site: str
    name: str
    public_key: str | None
    added: str
    head_seq: int
    head_hash: str
    last_at: str | None
    last_arrived: str | None
    pending: int | None
    pending_checked: str | None
    stopped_seq: int | None
    stopped_problem: str | None
    stopped_at: str | None
    stopped_stream_seq: int | None

    @property
    def stopped(self) -> bool:
        return self.stopped_seq is not None


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """A message still to send: its subject, JetStream message id and body."""

    id: int
    site: str
    msg_id: str
    subject: str
    body: bytes


@dataclass(frozen=True, slots=True)
class _Party:
    site: str
    person: str
    seq: int
    at: str


def postgres_only(url: str) -> str:
    """The URL, if it names a PostgreSQL database; else ``ValueError`` saying head office needs one."""
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError:
        raise ValueError(f"--db: {url[:200]!r} is not a database URL (postgresql+psycopg://user@host/db)") from None
    if backend != "postgresql":
        raise ValueError(
            f"head office runs on PostgreSQL only, and {backend!r} was given: "
            "give a URL such as postgresql+psycopg://user@host/db (--db or GATEWATCH_HQ_DB)"
        )
    return url


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _json_text(value: Any) -> str:
    return msgspec.json.encode(value).decode()


def _engine(url: str, limits: StoreLimits, patient: bool = False) -> Engine:
    engine = create_engine(
        url,
        pool_timeout=limits.pool_s,
        pool_pre_ping=True,
        json_serializer=_json_text,
        json_deserializer=msgspec.json.decode,
    )
    if engine.dialect.driver == "psycopg":
        from gatewatch.store.answering import bound_postgres

        bound_postgres(engine, limits, patient)
    return engine


class OfficeStore:
    """Head office's tables, on one PostgreSQL engine (``engine``: for read models such as the console's)."""

    def __init__(self, engine: Engine, topology: wire.Topology | None = None) -> None:
        self.engine = engine
        self.topology = topology or wire.Topology()

    @classmethod
    def open(cls, url: str, topology: wire.Topology | None = None, limits: StoreLimits | None = None) -> OfficeStore:
        """Connect (PostgreSQL only), bring the schema up to date, and return the store.

        ``topology``: the deployment's names (the subjects link notes go to). Every call is bounded
        by ``limits`` (the environment's by default); the migration runs without statement limits.
        """
        postgres_only(url)
        chosen = StoreLimits.from_env() if limits is None else limits
        store = cls(_engine(url, chosen), topology)
        SCHEMA.bring_up_to_date(store.engine, lambda: _engine(url, chosen, patient=True))
        return store

    def migrate(self) -> None:
        """Bring head office's schema to the newest revision (its own Alembic environment and version table)."""
        SCHEMA.upgrade(self.engine)

    def revision(self) -> str | None:
        return SCHEMA.revision(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    # --- sites ---------------------------------------------------------------------------

    def add_site(self, site: str, name: str, public_key: str | None = None, added: str | None = None) -> SiteRow:
        """Register a site (its chain starts at the genesis); ``KnownSite`` if it is there already."""
        wire.check_site_id(site)
        if not name.strip() or len(name) > NAME_CHARS:
            raise ValueError(f"site {site}: a name of 1–{NAME_CHARS} characters, not {len(name)}")
        if public_key is not None and not PUBLIC_KEY.fullmatch(public_key):
            raise ValueError(f"site {site}: {public_key[:80]!r} is not a NATS user public key (U and 55 characters)")
        with self.engine.begin() as connection:
            made = connection.execute(
                pg_insert(hq_sites)
                .values(site=site, name=name, public_key=public_key, added=added or now())
                .on_conflict_do_nothing(index_elements=["site"])
                .returning(hq_sites.c.site)
            ).first()
            if made is None:
                raise KnownSite(f"site {site} is already known to head office")
        return self._site(site)

    def sites(self) -> list[SiteRow]:
        with self.engine.connect() as connection:
            rows = connection.execute(select(hq_sites).order_by(hq_sites.c.site)).fetchall()
        return [SiteRow(**row._asdict()) for row in rows]

    def site(self, site: str) -> SiteRow | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(hq_sites).where(hq_sites.c.site == site)).first()
        return SiteRow(**row._asdict()) if row else None

    def _site(self, site: str) -> SiteRow:
        found = self.site(site)
        if found is None:
            raise UnknownSite(f"site {site} is not known to head office (gatewatch hq site add {site})")
        return found

    def heads(self) -> dict[str, tuple[int, str]]:
        """Each site's head: the position and hash of the newest entry head office holds."""
        with self.engine.connect() as connection:
            rows = connection.execute(select(hq_sites.c.site, hq_sites.c.head_seq, hq_sites.c.head_hash)).fetchall()
        return {row.site: (row.head_seq, row.head_hash) for row in rows}

    def hash_at(self, site: str, seq: int) -> str | None:
        """The hash of the entry head office holds at this site's position ``seq`` (none: not held)."""
        with self.engine.connect() as connection:
            found = connection.execute(
                select(hq_entries.c.hash).where(hq_entries.c.site == site, hq_entries.c.seq == seq)
            ).scalar_one_or_none()
        return None if found is None else str(found)

    def stop_site(self, site: str, seq: int, problem: str, stream_seq: int | None, at: str | None = None) -> None:
        """Stop a site's ingest at entry ``seq`` (its chain broke there): a critical alert names site and position.

        ``stream_seq``: the offending message's JetStream sequence, skipped on ``resume_site``.
        """
        when = at or now()
        with self.engine.begin() as connection:
            changed = connection.execute(
                update(hq_sites)
                .where(hq_sites.c.site == site)
                .values(stopped_seq=seq, stopped_problem=problem, stopped_at=when, stopped_stream_seq=stream_seq)
            ).rowcount
            if not changed:
                raise UnknownSite(f"site {site} is not known to head office: it cannot be stopped")
            connection.execute(
                insert(hq_alerts).values(
                    site=site,
                    at=when,
                    severity="critical",
                    code="SITE_STOPPED",
                    message=f"site {site} stopped at entry {seq}: {problem}",
                    seq=seq,
                )
            )

    def resume_site(self, site: str, at: str | None = None) -> int | None:
        """Clear a site's stop (noted as an alert); the stream sequence of the message to skip, if one was kept."""
        when = at or now()
        with self.engine.begin() as connection:
            row = connection.execute(
                select(hq_sites.c.stopped_seq, hq_sites.c.stopped_stream_seq)
                .where(hq_sites.c.site == site)
                .with_for_update()
            ).first()
            if row is None:
                raise UnknownSite(f"site {site} is not known to head office: it cannot be resumed")
            if row.stopped_seq is None:
                return None
            connection.execute(
                update(hq_sites)
                .where(hq_sites.c.site == site)
                .values(stopped_seq=None, stopped_problem=None, stopped_at=None, stopped_stream_seq=None)
            )
            connection.execute(
                insert(hq_alerts).values(
                    site=site,
                    at=when,
                    severity="info",
                    code="SITE_RESUMED",
                    message=f"site {site} resumed after entry {row.stopped_seq} (the offending message is skipped)",
                    seq=row.stopped_seq,
                )
            )
        return None if row.stopped_stream_seq is None else int(row.stopped_stream_seq)

    def record_pending(self, site: str, count: int, at: str | None = None) -> None:
        """Keep JetStream's count of this site's messages not yet taken, and when it was read."""
        if not 0 <= count <= 2**53:
            raise ValueError(f"site {site}: pending count {count} is out of range")
        with self.engine.begin() as connection:
            connection.execute(
                update(hq_sites).where(hq_sites.c.site == site).values(pending=count, pending_checked=at or now())
            )

    # --- ingest --------------------------------------------------------------------------

    def ingest(self, batch: Sequence[wire.Shipped], arrived: str) -> list[int]:
        """Keep checked entries of many sites in ONE transaction; return the ids of the new links.

        In order: lock the batch's sites' rows (an unknown site refuses the whole batch), skip
        what is held already (at or before the site's head, or twice in the batch), insert the
        entries and their marks (one ``executemany`` each), move each site's head forward, then
        link the new marks with the same marks at other sites (a note to each party's site).
        """
        if len(batch) > INGEST_MOST:
            raise ValueError(f"ingest: {len(batch)} entries at once, more than {INGEST_MOST}")
        if not batch:
            return []
        with self.engine.begin() as connection:
            heads = self._lock_sites(connection, {shipped.site for shipped in batch})
            fresh = _fresh(batch, heads)
            if not fresh:
                return []
            connection.exec_driver_sql(_INSERT_ENTRIES, [_entry_row(shipped, arrived) for shipped in fresh])
            marks = _mark_rows(fresh)
            if marks:
                connection.exec_driver_sql(_INSERT_MARKS, marks)
            connection.exec_driver_sql(_ADVANCE_HEAD, _head_rows(fresh, arrived))
            return self._link(connection, fresh, arrived) if marks else []

    def _lock_sites(self, connection: Connection, sites: set[str]) -> dict[str, int]:
        rows = connection.execute(
            select(hq_sites.c.site, hq_sites.c.head_seq)
            .where(hq_sites.c.site.in_(sorted(sites)))
            .order_by(hq_sites.c.site)
            .with_for_update()
        ).fetchall()
        heads = {row.site: int(row.head_seq) for row in rows}
        unknown = sorted(sites - heads.keys())
        if unknown:
            raise UnknownSite(f"entries of sites head office does not know: {', '.join(unknown[:10])}")
        return heads

    def _link(self, connection: Connection, fresh: list[wire.Shipped], found: str) -> list[int]:
        """Links for the new marks: for each new presenter of a mark, each person at another site who presented it."""
        presenters = {(mark.kind, mark.mark, shipped.site, mark.person) for shipped in fresh for mark in shipped.marks}
        wanted = sorted({mark for _kind, mark, _site, _person in presenters})
        parties = _parties(connection, wanted)
        _with_presenters(parties, fresh)
        linked = _linked(connection, wanted)
        new = {(shipped.site, shipped.seq) for shipped in fresh}
        rows: list[dict[str, Any]] = []
        by_person = {key: {(p.site, p.person): p for p in held} for key, held in parties.items()}
        degree = _degrees(linked)
        for kind, mark, site, person in sorted(presenters):
            held = parties.get((kind, mark), [])
            me = by_person.get((kind, mark), {}).get((site, person))
            if me is None:
                continue
            others = [p for p in held if p.site != site][:PARTIES_MOST]
            for other in others:
                pair = frozenset({(me.site, me.person), (other.site, other.person)})
                if pair in linked.get(mark, set()):
                    continue
                ends = ((mark, me.site, me.person), (mark, other.site, other.person))
                if any(degree.get(end, 0) >= PARTIES_MOST for end in ends):
                    continue  # one party linked to many presenters of one mark already: no flood of notes
                for end in ends:
                    degree[end] = degree.get(end, 0) + 1
                linked.setdefault(mark, set()).add(pair)
                first, second = _earlier_known(other, me, new)
                rows.append(_link_row(kind, mark, first, second, found))
        if not rows:
            return []
        names = _names(connection, {(row[f"{side}_site"], row[f"{side}_person"]) for row in rows for side in "ab"})
        for row in rows:
            row["a_name"] = names.get((row["a_site"], row["a_person"]))
            row["b_name"] = names.get((row["b_site"], row["b_person"]))
        columns = {name: [row[name] for row in rows] for name in _LINK_COLUMNS}
        made = sorted(connection.execute(_INSERT_LINKS, columns).fetchall(), key=lambda row: row.id)
        notes = [note for row in made for note in self._notes(row._asdict(), found)]
        if notes:
            connection.exec_driver_sql(_INSERT_NOTES, notes)
        return [int(row.id) for row in made]

    def _notes(self, link: dict[str, Any], made: str) -> Iterator[tuple[str, str, str, bytes, str]]:
        """The two outbox rows of a new link: a ``LinkNote`` to each party's site, telling it of the other."""
        a, b = (
            wire.Party(
                site=link[f"{side}_site"],
                person=link[f"{side}_person"],
                seq=link[f"{side}_seq"],
                at=link[f"{side}_at"],
                name=link[f"{side}_name"],
            )
            for side in ("a", "b")
        )
        for here, there in ((a, b), (b, a)):
            note = wire.LinkNote(link=link["id"], kind=link["kind"], here=here, there=there, found=link["found"])
            yield (
                here.site,
                f"link-{link['id']}-{here.site}",
                self.topology.to_site(here.site),
                wire.encode(note),
                made,
            )

    # --- redactions ----------------------------------------------------------------------

    def redact(self, site: str, seqs: Sequence[int]) -> int:
        """Drop the payloads of these entries of a site, as the site dropped them after shipping them.

        In one transaction: each entry head office holds at these positions gets payload NULL and
        is marked redacted (its chain still verifies: its hash covers the payload's digest, which
        stays), and its marks (the identifiers it presented) are removed. A position head office
        does not hold is passed over. Returns how many entries were redacted here (not before).
        """
        chosen = sorted(set(seqs))
        if len(chosen) > wire.REDACTION_SEQS:
            raise ValueError(f"site {site}: {len(chosen)} entries redacted at once, more than {wire.REDACTION_SEQS}")
        if any(isinstance(seq, bool) or not 1 <= seq <= 2**53 for seq in chosen):
            raise ValueError(f"site {site}: a redaction names positions from 1 to 2**53 only")
        if not chosen:
            return 0
        with self.engine.begin() as connection:
            changed = connection.execute(_REDACT_ENTRIES, {"site": site, "seqs": chosen}).rowcount
            connection.execute(_FORGET_MARKS, {"site": site, "seqs": chosen})
        return int(changed)

    # --- outbox --------------------------------------------------------------------------

    def outbox_pending(self, limit: int = 100) -> list[OutboxRow]:
        """The oldest messages not yet sent, at most ``limit`` (held to 1 … ``OUTBOX_MOST``)."""
        held = max(1, min(limit, OUTBOX_MOST))
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(hq_outbox.c.id, hq_outbox.c.site, hq_outbox.c.msg_id, hq_outbox.c.subject, hq_outbox.c.body)
                .where(hq_outbox.c.sent.is_(None))
                .order_by(hq_outbox.c.id)
                .limit(held)
            ).fetchall()
        return [OutboxRow(row.id, row.site, row.msg_id, row.subject, bytes(row.body)) for row in rows]

    def outbox_sent(self, ids: Iterable[int], at: str | None = None) -> None:
        """Mark these messages sent (JetStream acknowledged them)."""
        chosen = sorted(set(ids))
        if not chosen:
            return
        with self.engine.begin() as connection:
            for start in range(0, len(chosen), OUTBOX_MOST):
                part = chosen[start : start + OUTBOX_MOST]
                connection.execute(update(hq_outbox).where(hq_outbox.c.id.in_(part)).values(sent=at or now()))

    # --- watchlists ----------------------------------------------------------------------

    def next_list_version(self, list_name: str) -> int:
        """The version the next publication of this watchlist gets (1 for a list never published)."""
        with self.engine.connect() as connection:
            newest = connection.execute(
                select(func.max(hq_lists.c.version)).where(hq_lists.c.list == list_name)
            ).scalar_one_or_none()
        version = 1 if newest is None else int(newest) + 1
        if version > LIST_VERSION_MOST:
            raise ValueError(f"watchlist {list_name}: no version after {newest}")
        return version

    def add_list_version(
        self,
        list_name: str,
        version: int,
        format: str,
        digest: str,
        size: int,
        published: str,
        source: str,
        parts: int,
    ) -> None:
        """Record a watchlist version head office published (``ValueError`` if that version is there already)."""
        row = {
            "list": list_name,
            "version": version,
            "format": format,
            "digest": digest,
            "size": size,
            "published": published,
            "source": source,
            "parts": parts,
        }
        with self.engine.begin() as connection:
            made = connection.execute(
                pg_insert(hq_lists).values(row).on_conflict_do_nothing().returning(hq_lists.c.version)
            ).first()
        if made is None:
            raise ValueError(f"watchlist {list_name} version {version} was published already")

    # --- reading -------------------------------------------------------------------------

    def entries(self, site: str, after: int = 0) -> Iterator[wire.Shipped]:
        """This site's entries after position ``after``, in order, read ``CHUNK`` at a time (without marks)."""
        last = after
        while True:
            with self.engine.connect() as connection:
                rows = connection.execute(
                    select(hq_entries)
                    .where(hq_entries.c.site == site, hq_entries.c.seq > last)
                    .order_by(hq_entries.c.seq)
                    .limit(CHUNK)
                ).fetchall()
            if not rows:
                return
            for row in rows:
                yield _shipped(row._asdict())
            last = rows[-1].seq


# --- ingest's parts -----------------------------------------------------------------------

_ENTRY_COLUMNS = [column.name for column in hq_entries.columns]
_INSERT_ENTRIES = (
    f"INSERT INTO hq_entries ({', '.join(_ENTRY_COLUMNS)}) VALUES "
    f"({', '.join('%s::jsonb' if name in ('payload', 'outcome') else '%s' for name in _ENTRY_COLUMNS)}) "
    "ON CONFLICT (site, seq) DO NOTHING"
)
_INSERT_MARKS = (
    "INSERT INTO hq_marks (site, seq, kind, mark, person) VALUES (%s, %s, %s, %s, %s) "
    "ON CONFLICT (site, seq, kind, mark) DO NOTHING"
)
_LINK_COLUMNS = [column.name for column in hq_links.columns if column.name != "id"]
_LINK_TYPES = {name: "bigint" if name.endswith("_seq") else "text" for name in _LINK_COLUMNS}
_INSERT_LINKS = text(
    f"INSERT INTO hq_links ({', '.join(_LINK_COLUMNS)}) "
    f"SELECT * FROM unnest({', '.join(f'CAST(:{name} AS {_LINK_TYPES[name]}[])' for name in _LINK_COLUMNS)}) "
    f"ON CONFLICT ON CONSTRAINT hq_links_parties DO NOTHING RETURNING id, {', '.join(_LINK_COLUMNS)}"
)
"""The new links in one statement (columns as arrays); a pair linked already is skipped, and not returned."""
_INSERT_NOTES = "INSERT INTO hq_outbox (site, msg_id, subject, body, made) VALUES (%s, %s, %s, %s, %s)"
_ADVANCE_HEAD = (
    "UPDATE hq_sites SET head_seq = %s, head_hash = %s, last_at = %s, last_arrived = %s "
    "WHERE site = %s AND head_seq < %s"
)
_REDACT_ENTRIES = text(
    "UPDATE hq_entries SET payload = NULL, redacted = true "
    "WHERE site = :site AND seq = ANY(CAST(:seqs AS bigint[])) AND NOT redacted"
)
_FORGET_MARKS = text("DELETE FROM hq_marks WHERE site = :site AND seq = ANY(CAST(:seqs AS bigint[]))")


def _fresh(batch: Sequence[wire.Shipped], heads: dict[str, int]) -> list[wire.Shipped]:
    """The batch without what is held: an entry at or before its site's head, or a position already in the batch."""
    seen: set[tuple[str, int]] = set()
    fresh: list[wire.Shipped] = []
    for shipped in batch:
        key = (shipped.site, shipped.seq)
        if shipped.seq <= heads[shipped.site] or key in seen:
            continue
        seen.add(key)
        fresh.append(shipped)
    return fresh


def person_of(shipped: wire.Shipped) -> str | None:
    """Whom the entry is about: its payload's ``person`` (a string), or a register's ``person.id``."""
    payload = shipped.payload
    if payload is None:
        return None
    person = payload.get("person")
    if isinstance(person, str):
        return person
    if isinstance(person, dict) and isinstance(person.get("id"), str):
        return str(person["id"])
    return None


def _entry_row(shipped: wire.Shipped, arrived: str) -> tuple[Any, ...]:
    values = {
        "site": shipped.site,
        "seq": shipped.seq,
        "event_id": shipped.event_id,
        "type": shipped.type,
        "at": shipped.at,
        "received": shipped.received,
        "submitted_by": shipped.submitted_by,
        "person": person_of(shipped),
        "payload": None if shipped.payload is None else _json_text(shipped.payload),
        "payload_digest": shipped.payload_digest,
        "outcome": _json_text(shipped.outcome),
        "outcome_digest": shipped.outcome_digest,
        "prev_hash": shipped.prev_hash,
        "hash": shipped.hash,
        "redacted": shipped.redacted,
        "withheld": shipped.withheld,
        "sent": shipped.sent,
        "arrived": arrived,
    }
    return tuple(values[name] for name in _ENTRY_COLUMNS)


def _mark_rows(fresh: list[wire.Shipped]) -> list[tuple[str, int, str, str, str]]:
    rows: dict[tuple[str, int, str, str], str] = {}
    for shipped in fresh:
        for mark in shipped.marks:
            rows.setdefault((shipped.site, shipped.seq, mark.kind, mark.mark), mark.person)
    return [(*key, person) for key, person in rows.items()]


def _head_rows(fresh: list[wire.Shipped], arrived: str) -> list[tuple[Any, ...]]:
    newest: dict[str, wire.Shipped] = {}
    for shipped in fresh:
        if shipped.site not in newest or shipped.seq > newest[shipped.site].seq:
            newest[shipped.site] = shipped
    return [(s.seq, s.hash, s.received, arrived, s.site, s.seq) for s in newest.values()]


MARK_ROWS_READ = 1_000
"""The most presentations of one mark read to link a new presenter (a mark a compromised site presents
under a million names must not make every batch read a million rows)."""


def _parties(connection: Connection, marks: list[str]) -> dict[tuple[str, str], list[_Party]]:
    """Who presented each of these marks, at any site (up to ``MARK_ROWS_READ`` presentations a mark,
    the batch's own among them): each one's first entry presenting it, earliest first."""
    rows = connection.execute(
        text(
            "SELECT m.kind, m.mark, m.site, m.person, m.seq, e.at FROM unnest(CAST(:marks AS text[])) AS wanted(mark) "
            "CROSS JOIN LATERAL (SELECT kind, mark, site, person, seq FROM hq_marks "
            "WHERE hq_marks.mark = wanted.mark LIMIT :most) m "
            "JOIN hq_entries e ON e.site = m.site AND e.seq = m.seq"
        ),
        {"marks": marks, "most": MARK_ROWS_READ},
    ).fetchall()
    first: dict[tuple[str, str, str, str], _Party] = {}
    for row in rows:
        key = (row.kind, row.mark, row.site, row.person)
        if key not in first or int(row.seq) < first[key].seq:
            first[key] = _Party(row.site, row.person, int(row.seq), row.at)
    found: dict[tuple[str, str], list[_Party]] = {}
    for (kind, mark, _site, _person), party in first.items():
        found.setdefault((kind, mark), []).append(party)
    for held in found.values():
        held.sort(key=lambda party: (party.at, party.site, party.person))
    return found


def _with_presenters(parties: dict[tuple[str, str], list[_Party]], fresh: list[wire.Shipped]) -> None:
    """Each of the batch's presenters among the parties of their mark, even past the rows read."""
    for shipped in fresh:
        for mark in shipped.marks:
            held = parties.setdefault((mark.kind, mark.mark), [])
            if not any(party.site == shipped.site and party.person == mark.person for party in held):
                held.append(_Party(shipped.site, mark.person, shipped.seq, shipped.at))


def _linked(connection: Connection, marks: list[str]) -> dict[str, set[frozenset[tuple[str, str]]]]:
    """The pairs of parties already linked by each of these marks (in either order)."""
    rows = connection.execute(
        select(hq_links.c.mark, hq_links.c.a_site, hq_links.c.a_person, hq_links.c.b_site, hq_links.c.b_person).where(
            hq_links.c.mark.in_(marks)
        )
    ).fetchall()
    found: dict[str, set[frozenset[tuple[str, str]]]] = {}
    for row in rows:
        found.setdefault(row.mark, set()).add(frozenset({(row.a_site, row.a_person), (row.b_site, row.b_person)}))
    return found


def _degrees(linked: dict[str, set[frozenset[tuple[str, str]]]]) -> dict[tuple[str, str, str], int]:
    """How many links each party (mark, site, person) has by that mark already."""
    degree: dict[tuple[str, str, str], int] = {}
    for mark, pairs in linked.items():
        for pair in pairs:
            for site, person in pair:
                degree[(mark, site, person)] = degree.get((mark, site, person), 0) + 1
    return degree


def _earlier_known(other: _Party, me: _Party, new: set[tuple[str, int]]) -> tuple[_Party, _Party]:
    """The two parties, the earlier known first: the one head office held before this batch, else the earlier entry."""
    if (other.site, other.seq) not in new:
        return other, me
    return (other, me) if (other.at, other.site, other.person) <= (me.at, me.site, me.person) else (me, other)


def _link_row(kind: str, mark: str, a: _Party, b: _Party, found: str) -> dict[str, Any]:
    return {
        "kind": kind,
        "mark": mark,
        "a_site": a.site,
        "a_person": a.person,
        "a_seq": a.seq,
        "a_at": a.at,
        "a_name": None,
        "b_site": b.site,
        "b_person": b.person,
        "b_seq": b.seq,
        "b_at": b.at,
        "b_name": None,
        "found": found,
    }


def _names(connection: Connection, parties: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Each party's newest name at its site as head office holds it (identify's ``name``, register's person's)."""
    if not parties:
        return {}
    chosen = sorted(parties)
    rows = connection.execute(
        _NAMES, {"sites": [site for site, _ in chosen], "people": [person for _, person in chosen]}
    ).fetchall()
    return {(row.site, row.person): str(row.name)[:NAME_CHARS] for row in rows}


_NAMES = text(
    "SELECT DISTINCT ON (e.site, e.person) e.site, e.person, "
    "COALESCE(e.payload->>'name', e.payload->'person'->>'name') AS name "
    "FROM hq_entries e JOIN unnest(CAST(:sites AS text[]), CAST(:people AS text[])) AS p(site, person) "
    "ON e.site = p.site AND e.person = p.person "
    f"WHERE e.type IN ({', '.join(repr(kind) for kind in LINK_NOTE_TYPES)}) "
    "AND COALESCE(e.payload->>'name', e.payload->'person'->>'name') IS NOT NULL "
    "ORDER BY e.site, e.person, e.seq DESC"
)


def _shipped(row: dict[str, Any]) -> wire.Shipped:
    return wire.Shipped(
        site=row["site"],
        seq=int(row["seq"]),
        event_id=row["event_id"],
        type=row["type"],
        at=row["at"],
        received=row["received"],
        submitted_by=row["submitted_by"],
        payload=row["payload"],
        payload_digest=row["payload_digest"],
        outcome=row["outcome"],
        outcome_digest=row["outcome_digest"],
        prev_hash=row["prev_hash"],
        hash=row["hash"],
        sent=row["sent"],
        redacted=bool(row["redacted"]),
        withheld=bool(row["withheld"]),
    )
