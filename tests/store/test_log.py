"""The event log: appends chain, ids are idempotent, and tampering is found and named."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import delete, text, update

from gatewatch.store.chain import GENESIS
from gatewatch.store.log import EventLog, IdConflict, NotEmpty, Submission
from gatewatch.store.schema import log


def submission(n: int, door: str = "outer") -> Submission:
    return Submission(
        event_id=f"e{n}",
        type="open",
        at=f"2024-06-03T09:{n % 60:02d}:00+00:00",
        payload={"type": "open", "id": f"e{n}", "door": door},
        outcome={"decision": None, "reasons": [], "alerts": []},
        submitted_by="g1",
        received=f"2024-06-03T09:{n % 60:02d}:01+00:00",
    )


def filled(store: EventLog, count: int = 10) -> EventLog:
    store.append_many(submission(n) for n in range(1, count + 1))
    return store


def test_an_empty_log_verifies_with_the_genesis_head(store: EventLog) -> None:
    verdict = store.verify()
    assert (verdict.ok, verdict.count, verdict.head) == (True, 0, GENESIS)


def test_appends_chain_and_verify(store: EventLog) -> None:
    first = store.append(submission(1)).entry
    second = store.append(submission(2)).entry
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == GENESIS and second.prev_hash == first.hash
    verdict = store.verify()
    assert (verdict.ok, verdict.count, verdict.head) == (True, 2, second.hash)


def test_the_same_event_twice_is_recorded_once(store: EventLog) -> None:
    first = store.append(submission(1))
    again = store.append(submission(1))
    assert again.duplicate and again.entry == first.entry
    assert store.verify().count == 1


def test_an_id_reused_with_other_content_is_refused_and_nothing_is_lost(store: EventLog) -> None:
    filled(store, 3)
    with pytest.raises(IdConflict, match='"e2"'):
        store.append(submission(2, door="inner"))
    assert store.verify().count == 3


def test_a_batch_is_all_or_nothing(store: EventLog) -> None:
    filled(store, 2)
    with pytest.raises(IdConflict):
        store.append_many([submission(3), submission(1, door="side")])
    assert store.verify().count == 2
    assert store.append(submission(3)).entry.seq == 3


def test_a_reopened_store_continues_the_chain(database_url: str) -> None:
    store = filled(EventLog.open(database_url), 3)
    store.close()
    reopened = EventLog.open(database_url)
    assert reopened.append(submission(4)).entry.seq == 4
    assert reopened.verify().ok
    reopened.close()


def test_export_and_import_round_trip(store: EventLog, tmp_path: object) -> None:
    filled(store, 25)
    out = io.StringIO()
    assert store.export(out) == 25
    copy = EventLog.open(f"sqlite:///{tmp_path}/copy.db")
    verdict = copy.import_lines(out.getvalue().splitlines())
    assert (verdict.ok, verdict.count, verdict.head) == (True, 25, store.verify().head)
    with pytest.raises(NotEmpty):
        copy.import_lines(out.getvalue().splitlines())
    copy.close()


# --- tampering, done directly in the database -------------------------------------------


def test_an_altered_payload_is_named(store: EventLog) -> None:
    filled(store)
    with store.engine.begin() as connection:
        connection.execute(update(log).where(log.c.seq == 4).values(payload='{"type":"open","door":"side"}'))
    verdict = store.verify()
    assert not verdict.ok and verdict.seq == 4 and "entry 4 (e4): payload altered" in verdict.problem


def test_an_altered_outcome_is_named(store: EventLog) -> None:
    filled(store)
    with store.engine.begin() as connection:
        connection.execute(update(log).where(log.c.seq == 6).values(outcome='{"decision":"grant"}'))
    verdict = store.verify()
    assert not verdict.ok and verdict.seq == 6 and "altered" in verdict.problem


def test_a_deleted_entry_is_named(store: EventLog) -> None:
    filled(store)
    with store.engine.begin() as connection:
        connection.execute(delete(log).where(log.c.seq == 5))
    verdict = store.verify()
    assert not verdict.ok and verdict.seq == 5 and "entry 5 is missing" in verdict.problem


def test_the_last_entry_deleted_changes_the_head(store: EventLog) -> None:
    filled(store)
    head = store.verify().head
    with store.engine.begin() as connection:
        connection.execute(delete(log).where(log.c.seq == 10))
    verdict = store.verify()
    assert verdict.ok and verdict.count == 9 and verdict.head != head


def test_two_swapped_entries_are_named(store: EventLog) -> None:
    filled(store)
    with store.engine.begin() as connection:
        connection.execute(update(log).where(log.c.seq == 3).values(seq=-3))
        connection.execute(update(log).where(log.c.seq == 7).values(seq=3))
        connection.execute(update(log).where(log.c.seq == -3).values(seq=7))
    verdict = store.verify()
    assert not verdict.ok and verdict.seq == 3 and "reordered" in verdict.problem


def test_a_redacted_payload_keeps_the_chain(store: EventLog) -> None:
    filled(store)
    with store.engine.begin() as connection:
        connection.execute(update(log).where(log.c.seq == 2).values(payload=None, redacted=True))
        connection.execute(text("SELECT 1"))
    verdict = store.verify()
    assert verdict.ok and verdict.redacted == 1


def test_a_repeat_within_one_batch_is_recorded_once(store: EventLog) -> None:
    done = store.append_many([submission(1), submission(2), submission(1)])
    assert [d.duplicate for d in done] == [False, False, True]
    assert done[2].entry == done[0].entry and store.verify().count == 2


def test_a_batch_writes_its_rows_and_alert_rows_as_recorded(store: EventLog) -> None:
    """The driver's bulk insert keeps every column as given, and each alert as a row of its own."""
    alarm = {"code": "DOOR_FORCED", "severity": "critical", "subjects": ["outer"], "message": "outer door forced"}
    raising = Submission(
        event_id="x1",
        type="forced",
        at="2024-06-03T09:00:00+00:00",
        payload={"type": "forced", "id": "x1", "door": "outer"},
        outcome={"at": "2024-06-03T09:00:00+00:00", "decision": None, "reasons": [], "alerts": [alarm, alarm]},
        submitted_by="g1",
        received="2024-06-03T09:00:01+00:00",
    )
    written = [done.entry for done in store.append_many([submission(1), raising, submission(2)])]
    assert list(store.entries()) == written
    with store.engine.connect() as connection:
        rows = connection.execute(text("SELECT id, seq, event_id, at, code, subjects FROM alerts ORDER BY id")).all()
    assert [tuple(row) for row in rows] == [
        ("2-1", 2, "x1", "2024-06-03T09:00:00+00:00", "DOOR_FORCED", '["outer"]'),
        ("2-2", 2, "x1", "2024-06-03T09:00:00+00:00", "DOOR_FORCED", '["outer"]'),
    ]
    assert store.verify().ok


def test_an_outcome_raising_alerts_without_a_time_is_refused_and_nothing_is_written(store: EventLog) -> None:
    filled(store, 2)
    alarm = {"code": "DOOR_FORCED", "severity": "critical", "subjects": ["outer"], "message": "forced"}
    timeless = Submission("x1", "forced", "2024-06-03T09:00:00+00:00", {"type": "forced", "id": "x1"},
                          {"decision": None, "alerts": [alarm]}, "g1", "2024-06-03T09:00:01+00:00")  # fmt: skip
    with pytest.raises(ValueError, match=r"entry 4 \(x1\): field 'at'"):
        store.append_many([submission(3), timeless])
    assert store.verify().count == 2
    assert store.append(submission(3)).entry.seq == 3
