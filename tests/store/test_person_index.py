"""The person index: a person's entries found without reading the log, on SQLite and PostgreSQL;
written with each append, kept through redaction and import, built for an older record."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import msgspec
import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, func, insert, select

from gatewatch.core.events import people_named, to_payload
from gatewatch.store.audit import verify_record
from gatewatch.store.log import HEAD_REVISION, MIGRATIONS, EventLog, IdConflict, Submission
from gatewatch.store.person_index import MOST_NAMED, named_in_payload, rows_for
from gatewatch.store.schema import alerts, log, person_entries, redactions
from support import events

AT = "2024-06-03T09:{:02d}:00+00:00"


def outcome(at: str, raised: list[dict[str, Any]] | None = None, decision: str | None = None) -> dict[str, Any]:
    return {"at": at, "decision": decision, "reasons": [], "alerts": raised or []}


def entry(n: int, payload: dict[str, Any], raised: list[dict[str, Any]] | None = None) -> Submission:
    at = AT.format(n % 60)
    return Submission(f"e{n}", payload["type"], at, {"id": f"e{n}", "at": at, **payload}, outcome(at, raised), "g1", at)


UNESCORTED = {"code": "UNESCORTED_VISITOR", "severity": "high", "subjects": ["vic", "yard"], "message": "alone"}
HELD = {"code": "DOOR_HELD", "severity": "warning", "subjects": ["side"], "message": "held"}


def approach() -> list[Submission]:
    """Vic arrives, is asked in by g1, moves twice (once alone in the yard), leaves; Ann arrives apart."""
    return [
        entry(1, {"type": "arrive", "people": ["vic"], "door": "outer"}),
        entry(2, {"type": "request", "door": "outer", "by": "g1", "for": ["vic"]}),
        entry(3, {"type": "move", "people": ["vic"], "to": "lobby"}),
        entry(4, {"type": "move", "people": ["vic"], "to": "yard"}, [UNESCORTED]),
        entry(5, {"type": "open", "door": "side"}, [HELD]),
        entry(6, {"type": "arrive", "people": ["ann"], "door": "outer"}),
        entry(7, {"type": "leave", "people": ["vic"]}),
    ]


def seqs(found: list[Any]) -> list[int]:
    return [e.seq for e in found]


def test_a_persons_entries_are_found_newest_first_and_bounded(store: EventLog) -> None:
    store.append_many(approach())
    assert seqs(store.entries_naming("vic", 10)) == [7, 4, 3, 2, 1]
    assert seqs(store.entries_naming("vic", 2)) == [7, 4]
    assert seqs(store.entries_naming("vic", 2, before=4)) == [3, 2]
    assert seqs(store.entries_naming("g1", 10)) == [2]  # the guard who asked is named too
    assert seqs(store.entries_naming("ann", 10)) == [6]
    assert seqs(store.entries_naming("side", 10)) == [5]  # an alert's place: harmless
    assert store.entries_naming("nobody", 10) == []
    assert seqs(store.entries_naming("vic", 0)) == [7]  # held to at least one


def test_moves_are_left_out_unless_they_raised_an_alert(store: EventLog) -> None:
    store.append_many(approach())
    assert seqs(store.entries_naming("vic", 10, unless_alerted={"move"})) == [7, 4, 2, 1]


def test_a_resend_adds_no_row_and_a_refused_batch_none(store: EventLog) -> None:
    store.append_many(approach())
    store.append(approach()[0])
    clash = entry(7, {"type": "leave", "people": ["ann"]})  # e7 again, other content: the batch is refused
    with pytest.raises(IdConflict):
        store.append_many([entry(8, {"type": "leave", "people": ["ann"]}), clash])
    with store.engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(person_entries)).scalar_one()
    assert count == 9  # vic ×5 (his alert's subject adds no second row), g1, yard, side, ann


def test_a_redacted_entry_keeps_its_row_without_its_payload(store: EventLog) -> None:
    store.append_many([entry(1, {"type": "identify", "person": "vic", "name": "Vic Visitor"}), *approach()[1:3]])
    store.redact([1])
    found = store.entries_naming("vic", 10)
    assert seqs(found) == [3, 2, 1] and found[-1].payload is None and found[-1].redacted
    assert verify_record(store, None).ok


def test_an_import_fills_the_index(store: EventLog, tmp_path: Path) -> None:
    store.append_many(approach())
    out = io.StringIO()
    store.export(out)
    copy = EventLog.open(f"sqlite:///{tmp_path / 'copy.db'}")
    try:
        assert copy.import_lines(out.getvalue().splitlines()).ok
        assert seqs(copy.entries_naming("vic", 10)) == [7, 4, 3, 2, 1]
    finally:
        copy.close()


def test_the_people_named_are_read_from_the_typed_event_or_field_by_field() -> None:
    assert named_in_payload(None) == ()
    request = '{"type":"request","id":"r","at":"2024-06-03T09:00:00+00:00","door":"d","by":"g1","for":["a","b"]}'
    assert named_in_payload(request) == ("g1", "a", "b")
    register = '{"type":"register","id":"x","at":"2024-06-03T09:00:00+00:00","person":{"id":"vic","name":"V"}}'
    assert named_in_payload(register) == ("vic",)
    unknown = '{"type":"case_talk","by":"lena","person":"vic","people":["ann",3]}'
    assert set(named_in_payload(unknown)) == {"lena", "vic", "ann"}
    assert named_in_payload('{"type":"weather","id":"w","at":"2024-06-03T09:00:00+00:00","temp_c":30}') == ()
    assert named_in_payload("not json") == ()


EVERY_KIND = """
- {id: p1, at: "2024-06-03T08:55", type: post, post: gate, on_duty: [g1], off_duty: [g2]}
- {id: i1, at: "08:56", type: invite, by: res, person: vic, private: true}
- {id: v1, at: "08:57", type: vouch, by: res, for: vic}
- {id: a1, at: "09:00", type: arrive, people: [vic, ann], door: outer}
- {id: r1, at: "09:00", type: request, door: outer, by: g1, for: [vic, ann]}
- {id: o1, at: "09:01", type: override, request: r1, by: g1, approved_by: lead}
- {id: w1, at: "09:02", type: observe, person: vic, by: lead, indicators: [nervous]}
- {id: d1, at: "09:03", type: open, door: side}
"""


def test_the_people_indexed_are_those_the_typed_event_names() -> None:
    for event in events(EVERY_KIND):
        text = msgspec.json.encode(to_payload(event)).decode()
        assert set(named_in_payload(text)) == set(people_named(event)), event.id


def test_each_entry_indexes_a_bounded_number_of_ids_of_id_length() -> None:
    crowd = [f"p{n}" for n in range(MOST_NAMED + 50)]
    raised = [{"seq": 1, "subjects": '["' + '","'.join([*crowd, "x" * 201]) + '"]'}]
    rows = rows_for([{"seq": 1, "payload": None}], raised)
    assert len(rows) == MOST_NAMED and all(len(r["person"]) <= 200 for r in rows)


def test_an_alert_row_whose_subjects_no_longer_read_names_nobody_and_stops_nothing() -> None:
    """The index is built at start-up for an older record (0007): one odd row must not stop the desk."""
    entries = [{"seq": 1, "payload": '{"type":"leave","people":["vic"]}'}, {"seq": 2, "payload": None}]
    raised = [{"seq": 1, "subjects": "not json"}, {"seq": 2, "subjects": '{"vic": 1}'}, {"seq": 2, "subjects": "7"}]
    assert rows_for(entries, raised) == [{"person": "vic", "seq": 1}]


def written_before_the_index(engine_url: str, tmp_path: Path, submissions: list[Submission]) -> None:
    """Entries as a store before the index kept them: its log, alert and redaction rows, copied over."""
    fresh = EventLog.open(f"sqlite:///{tmp_path / 'then.db'}")
    fresh.append_many(submissions)
    fresh.redact([1])
    target = create_engine(engine_url)
    with fresh.engine.connect() as source, target.begin() as into:
        for table in (log, alerts, redactions):
            rows = [dict(row._mapping) for row in source.execute(select(table).order_by(table.c.seq))]
            into.execute(insert(table), rows)
    target.dispose()
    fresh.close()


def test_the_migration_builds_the_index_for_a_record_kept_before_it(database_url: str, tmp_path: Path) -> None:
    engine = create_engine(database_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0006")
    engine.dispose()
    first = entry(1, {"type": "identify", "person": "vic", "name": "Vic"})
    written_before_the_index(database_url, tmp_path, [first, *approach()[1:]])
    store = EventLog.open(database_url)
    try:
        assert store.revision() == HEAD_REVISION
        # entry 1 was redacted before the index: known by its alerts alone, so not found for vic
        assert seqs(store.entries_naming("vic", 10)) == [7, 4, 3, 2]
        assert seqs(store.entries_naming("ann", 10)) == [6]
        assert seqs(store.entries_naming("side", 10)) == [5]
        store.append(entry(8, {"type": "leave", "people": ["ann"]}))  # new entries follow
        assert seqs(store.entries_naming("ann", 10)) == [8, 6]
        assert verify_record(store, None).ok
    finally:
        store.close()
