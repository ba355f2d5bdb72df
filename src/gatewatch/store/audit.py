"""The record verified as a whole, or quickly at start-up.

In full (``verify_record``): the log's chain; that only a recorded redaction of an identity
event left a payload null; the alerts table against the alerts the log's outcomes raised; each
side table's chain; and every signed checkpoint against all of these. At start-up
(``verify_start``): the newest checkpoint only, and the record from there on.

The person index (``person_entries``) is not checked: it is derived from the log, not chained,
and only finds a person's entries, which are then read from the log itself
(``gatewatch.store.person_index``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec
from sqlalchemy import Engine, func, select

from gatewatch.core.retention import IDENTITY_EVENTS
from gatewatch.store import links
from gatewatch.store.chain import GENESIS, Entry, LinkVerdict, Verdict, check, check_links
from gatewatch.store.checkpoint import Checkpoint, CheckpointPlace, Reading, key_problem, read_checkpoints
from gatewatch.store.log import EventLog, alert_rows
from gatewatch.store.schema import acknowledgements, alerts, log, redactions

logger = logging.getLogger("gatewatch.record")

SHOWN = 20
"""At most this many problems of one kind are listed; the rest are counted."""


@dataclass(frozen=True, slots=True)
class Audit:
    """What verification found: the log's chain, each side table's, the checkpoints checked, and every problem."""

    chain: Verdict
    tables: tuple[LinkVerdict, ...]
    checkpoints: int
    newest: Checkpoint | None
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Problems:
    """Problems as found, listing at most ``SHOWN`` of each kind."""

    found: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, problem: str) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        if self.counts[kind] <= SHOWN:
            self.found.append(problem)

    def all(self) -> tuple[str, ...]:
        more = [f"… and {n - SHOWN} more of the kind: {kind}" for kind, n in self.counts.items() if n > SHOWN]
        return (*self.found, *more)


def verify_record(
    store: EventLog,
    place: CheckpointPlace | None,
    site: str | None = None,
    public: Path | None = None,
    file: Path | None = None,
) -> Audit:
    """Check everything the record keeps against itself and against every signed checkpoint."""
    problems = _Problems()
    reading = _read(place, public, file, only_newest=False, problems=problems)
    checkpoints = reading.checkpoints
    _same_site(checkpoints, site, problems)
    tally = _AlertTally(store.engine, problems)
    marks: dict[int, str] = {}
    wanted = {c.state.seq for c in checkpoints}

    def observe(entry: Entry) -> None:
        tally.see(entry)
        if entry.seq in wanted:
            marks[entry.seq] = entry.hash
        if entry.redacted and entry.type not in IDENTITY_EVENTS:
            problems.add("redactions", f"entry {entry.seq} ({entry.event_id}): a {entry.type} event is never redacted")

    verdict = check(_observed(store.entries(), observe))
    if not verdict.ok:
        problems.add("log", f"log: {verdict.problem}")
    else:
        tally.finish()
    count = verdict.count if verdict.ok else _count(store.engine)
    _log_against(checkpoints, count, lambda seq: marks.get(seq) or _hash_at(store.engine, seq), problems)
    _redactions(store.engine, problems)
    _orphan_acknowledgements(store.engine, problems)
    tables = tuple(_side_table(store.engine, chain, checkpoints, problems) for chain in links.SIDE_CHAINS)
    return Audit(verdict, tables, len(checkpoints), reading.newest, problems.all())


def verify_start(store: EventLog, place: CheckpointPlace, site: str) -> Audit:
    """The quick check at start-up: the newest checkpoint, and the record from it to the head."""
    problems = _Problems()
    reading = _read(place, None, None, only_newest=True, problems=problems)
    newest = reading.newest
    _same_site(reading.checkpoints, site, problems)
    start = (0, GENESIS) if newest is None else (newest.state.seq, newest.state.head)
    if newest is not None:
        _log_against((newest,), _count(store.engine), lambda seq: _hash_at(store.engine, seq), problems)
    verdict = check(store.entries(after=start[0]), start=start)
    if not verdict.ok:
        problems.add("log", f"log: {verdict.problem}")
    tables = tuple(_side_table_from(store.engine, chain, newest, problems) for chain in links.SIDE_CHAINS)
    return Audit(verdict, tables, len(reading.checkpoints), newest, problems.all())


class UnverifiedRecord(ValueError):
    """The record fails verification against the newest checkpoint: the server will not serve it."""

    def __init__(self, audit: Audit) -> None:
        self.audit = audit
        listed = "\n  ".join(audit.problems)
        super().__init__(
            f"the record fails verification against its newest checkpoint:\n  {listed}\n"
            "Run 'gatewatch log verify' to see everything that is wrong. Restore the database from a backup "
            "that verifies against the checkpoints; or, to serve this record as it is (the refusal is logged, "
            "and 'log verify' keeps reporting it), start again with --accept-unverified-record."
        )


def require_verified(store: EventLog, place: CheckpointPlace, site: str, accept: bool = False) -> Audit:
    """The start-up check: refuse (``UnverifiedRecord``) a record that fails it, unless ``accept``, which is logged."""
    audit = verify_start(store, place, site)
    if not audit.ok:
        if not accept:
            raise UnverifiedRecord(audit)
        logger.critical("SERVING AN UNVERIFIED RECORD (--accept-unverified-record): %s", "; ".join(audit.problems))
    return audit


def _read(
    place: CheckpointPlace | None, public: Path | None, file: Path | None, only_newest: bool, problems: _Problems
) -> Reading:
    if place is None:
        if file is None:
            return Reading((), (), 0)
        place = CheckpointPlace(file.with_suffix(".key"), file)  # an exported copy: FILE and FILE.pub beside it
    elif public is None and (mismatch := key_problem(place)):
        problems.add("checkpoints", mismatch)
    where = place
    reading = read_checkpoints(where, public, file, only_newest)
    for problem in reading.problems:
        problems.add("checkpoints", problem)
    return reading


def _same_site(checkpoints: Iterable[Checkpoint], site: str | None, problems: _Problems) -> None:
    for checkpoint in checkpoints:
        expected = site or checkpoint.site
        if checkpoint.site != expected:
            problems.add(
                "checkpoints", f"{checkpoint.describe()} was signed for site {checkpoint.site}, not {expected}"
            )
        site = expected


def _observed(entries: Iterator[Entry], observe: Callable[[Entry], None]) -> Iterator[Entry]:
    for entry in entries:
        observe(entry)
        yield entry


def _count(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(log)).scalar_one())


def _hash_at(engine: Engine, seq: int) -> str | None:
    with engine.connect() as connection:
        found = connection.execute(select(log.c.hash).where(log.c.seq == seq)).scalar_one_or_none()
    return None if found is None else str(found)


def _log_against(
    checkpoints: Iterable[Checkpoint], count: int, hash_at: Callable[[int], str | None], problems: _Problems
) -> None:
    """Each checkpoint's signed entry must still be there with the signed hash (a rewrite is placed between two)."""
    matched: Checkpoint | None = None
    for checkpoint in sorted(checkpoints, key=lambda c: (c.state.seq, c.at)):
        seq = checkpoint.state.seq
        if count < seq:
            held = "is empty" if count == 0 else f"holds {count} entries"
            problems.add("log checkpoints", f"the record {held} but {checkpoint.describe()} signed {seq}")
        elif seq and hash_at(seq) != checkpoint.state.head:
            since = f" (after entry {matched.state.seq}, which matches {matched.describe()})" if matched else ""
            problems.add(
                "log checkpoints",
                f"entry {seq}'s hash differs from the one signed at {checkpoint.describe()}: "
                f"the record was rewritten at or before entry {seq}{since}",
            )
        else:
            matched = checkpoint


def _side_table(
    engine: Engine, chain: links.SideChain, checkpoints: tuple[Checkpoint, ...], problems: _Problems
) -> LinkVerdict:
    """Walk one side table's chain whole, and hold it to every checkpoint."""
    signed = [(c, c.state.tables[chain.name]) for c in checkpoints if chain.name in c.state.tables]
    verdict = check_links(chain.name, links.links(engine, chain), frozenset(t.count for _, t in signed))
    if not verdict.ok:
        problems.add(chain.name, verdict.problem)
    for checkpoint, head in signed:
        mark = (verdict.marks or {}).get(head.count)
        if not verdict.ok and mark is None:
            continue  # the walk stopped before this row: the problem is already named
        if verdict.count < head.count:
            problems.add(
                f"{chain.name} checkpoints",
                f"{chain.name} holds {verdict.count} rows but {checkpoint.describe()} signed {head.count}",
            )
        elif head.count and (mark is None or mark[1] != head.head):
            where = f"row {mark[0]}" if mark else f"the row at position {head.count}"
            problems.add(
                f"{chain.name} checkpoints",
                f"{chain.name} {where} (position {head.count}) differs from the one signed at {checkpoint.describe()}",
            )
    return verdict


def _side_table_from(
    engine: Engine, chain: links.SideChain, newest: Checkpoint | None, problems: _Problems
) -> LinkVerdict:
    """One side table from the newest checkpoint's signed row to its head."""
    head = newest.state.tables.get(chain.name) if newest is not None else None
    after: int | None = None
    start = (0, GENESIS)
    if newest is not None and head is not None and head.count:
        with engine.connect() as connection:
            place = links.place_of(connection, chain, head.head)
        if place is None:
            problem = f"{chain.name}: the row signed as its head at {newest.describe()} is gone or altered"
            problems.add(chain.name, problem)
            return LinkVerdict(chain.name, False, 0, GENESIS, problem)
        after, position = place
        if position != head.count:
            problems.add(
                chain.name,
                f"{chain.name} row {after} is at position {position}, but {newest.describe()} "
                f"signed it at {head.count}: rows before it were removed or inserted",
            )
        start = (head.count, head.head)
    verdict = check_links(chain.name, links.links(engine, chain, after), start=start)
    if not verdict.ok:
        problems.add(chain.name, verdict.problem)
    return verdict


def _redactions(engine: Engine, problems: _Problems) -> None:
    """A payload is null only where its redaction is recorded on the redactions chain (and the other way round)."""
    with engine.connect() as connection:
        marked = set(connection.execute(select(log.c.seq).where(log.c.redacted)).scalars())
        recorded = set(connection.execute(select(redactions.c.seq)).scalars())
    for seq in sorted(marked - recorded):
        problems.add(
            "redactions",
            f"entry {seq} is marked redacted but no redaction of it is recorded: its payload was removed outside the "
            "retention",
        )
    for seq in sorted(recorded - marked):
        problems.add("redactions", f"redactions records entry {seq}, but entry {seq} is not redacted")


def _orphan_acknowledgements(engine: Engine, problems: _Problems) -> None:
    query = (
        select(acknowledgements.c.alert_id)
        .select_from(acknowledgements.outerjoin(alerts, alerts.c.id == acknowledgements.c.alert_id))
        .where(alerts.c.id.is_(None))
        .order_by(acknowledgements.c.alert_id)
    )
    with engine.connect() as connection:
        for alert_id in connection.execute(query).scalars():
            problems.add("acknowledgements", f"acknowledgements row for alert {alert_id}: no such alert was raised")


class _AlertTally:
    """The alerts table held to the alerts the log's outcomes raised, entry by entry, as the log is walked."""

    def __init__(self, engine: Engine, problems: _Problems) -> None:
        self._groups = _alert_groups(engine)
        self._pending = next(self._groups, None)
        self._problems = problems

    def see(self, entry: Entry) -> None:
        while self._pending is not None and self._pending[0] < entry.seq:
            self._inserted(*self._pending)
            self._pending = next(self._groups, None)
        held: dict[str, dict[str, Any]] = {}
        if self._pending is not None and self._pending[0] == entry.seq:
            held = self._pending[1]
            self._pending = next(self._groups, None)
        raised = {row["id"]: row for row in alert_rows(entry.seq, entry.event_id, _outcome_json(entry))}
        for alert_id, row in raised.items():
            kept = held.get(alert_id)
            if kept is None:
                self._add(f"alerts row {alert_id} (entry {entry.seq}'s {row['code']} alert) is missing: removed")
            elif changed := _changed_field(row, kept):
                self._add(f"alerts row {alert_id} (entry {entry.seq}): field '{changed}' altered")
        self._inserted(entry.seq, {k: v for k, v in held.items() if k not in raised})

    def finish(self) -> None:
        while self._pending is not None:
            self._inserted(*self._pending)
            self._pending = next(self._groups, None)

    def _inserted(self, seq: int, rows: dict[str, dict[str, Any]]) -> None:
        for alert_id in sorted(rows):
            self._add(f"alerts row {alert_id}: entry {seq} raised no such alert: inserted")

    def _add(self, problem: str) -> None:
        self._problems.add("alerts", problem)


def _outcome_json(entry: Entry) -> str:
    return msgspec.json.encode(entry.outcome).decode()


def _changed_field(raised: dict[str, Any], kept: dict[str, Any]) -> str:
    for name, value in raised.items():
        held = kept.get(name)
        same = msgspec.json.decode(str(held)) == msgspec.json.decode(value) if name == "subjects" else held == value
        if not same:
            return name
    return ""


def _alert_groups(engine: Engine) -> Iterator[tuple[int, dict[str, dict[str, Any]]]]:
    """The alerts table's rows grouped by entry, in entry order, read a range of entries at a time."""
    with engine.connect() as connection:
        first, last = connection.execute(select(func.min(alerts.c.seq), func.max(alerts.c.seq))).one()
    if first is None or last is None:
        return
    start = int(first) - 1
    while start < last:
        with engine.connect() as connection:
            rows = connection.execute(
                select(alerts)
                .where(alerts.c.seq > start, alerts.c.seq <= start + links.CHUNK)
                .order_by(alerts.c.seq, alerts.c.id)
            ).fetchall()
        groups: dict[int, dict[str, dict[str, Any]]] = {}
        for row in rows:
            groups.setdefault(row.seq, {})[row.id] = dict(row._mapping)
        yield from sorted(groups.items())
        start += links.CHUNK
