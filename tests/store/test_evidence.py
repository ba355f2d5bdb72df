"""The record's evidence: signed checkpoints outside the database, the chained side tables, and
verification catching each attack by someone who can change the database (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from pathlib import Path

import msgspec
import pytest
from sqlalchemy import delete, insert, select, update

from gatewatch.store import links
from gatewatch.store.accounts import Accounts
from gatewatch.store.alerts import AlertBook
from gatewatch.store.audit import UnverifiedRecord, require_verified, verify_record, verify_start
from gatewatch.store.chain import digest, entry_hash, link_hash
from gatewatch.store.checkpoint import CheckpointPlace, make_checkpoint, read_checkpoints
from gatewatch.store.keeper import checkpoint_if_changed, keep_checkpoints
from gatewatch.store.log import EventLog, Submission
from gatewatch.store.schema import acknowledgements, alerts, log, logins, reads, redactions

SITE = "testhouse"


def submission(n: int, kind: str = "close", alert: bool = False) -> Submission:
    at = f"2024-06-03T09:{n:02d}:00+00:00"
    raised = [{"code": "DOOR_FORCED", "severity": "critical", "subjects": ["d1"], "message": "forced"}] if alert else []
    payload = {"type": kind, "person": f"v{n}", "name": f"Visitor {n}"} if kind == "identify" else {"type": kind}
    return Submission(f"e{n}", kind, at, payload, {"at": at, "decision": None, "alerts": raised}, "g1", at)


def fill(store: EventLog, first: int, last: int) -> None:
    store.append_many(
        submission(n, "identify" if n % 3 == 0 else "close", alert=n % 2 == 0) for n in range(first, last + 1)
    )


@pytest.fixture
def place(tmp_path: Path) -> CheckpointPlace:
    return CheckpointPlace(tmp_path / "keys" / "checkpoint.key", tmp_path / "checkpoints.jsonl")


@pytest.fixture
def record(store: EventLog, place: CheckpointPlace) -> EventLog:
    """Six entries (three alerts), an acknowledgement, reads and sign-ins; a checkpoint; then two more entries."""
    fill(store, 1, 6)
    accounts = Accounts(store.engine)
    accounts.record_read("2024-06-03T10:00:00+00:00", "lead", "v3")
    accounts.record_read("2024-06-03T10:01:00+00:00", "lead", "v6")
    for n, ok in enumerate((False, True, True)):
        accounts.record_login(f"2024-06-03T10:0{n}:00+00:00", "lead", "127.0.0.1", ok)
    AlertBook(store.engine).acknowledge("2-1", "lead", "2024-06-03T10:05:00+00:00", "seen")
    make_checkpoint(place, store, SITE)
    fill(store, 7, 8)
    return store


def problems(store: EventLog, place: CheckpointPlace) -> str:
    return "\n".join(verify_record(store, place, SITE).problems)


def test_an_honest_record_verifies_against_its_checkpoints(record: EventLog, place: CheckpointPlace) -> None:
    make_checkpoint(place, record, SITE)
    audit = verify_record(record, place, SITE)
    assert audit.ok, audit.problems
    assert audit.chain.count == 8 and audit.checkpoints == 2
    assert {t.table: t.count for t in audit.tables} == {"acknowledgements": 1, "reads": 2, "logins": 3, "redactions": 0}
    assert verify_start(record, place, SITE).ok


def test_the_key_is_made_0600_with_the_public_key_beside_it(record: EventLog, place: CheckpointPlace) -> None:
    assert place.key.stat().st_mode & 0o777 == 0o600
    assert place.public.read_text().startswith("-----BEGIN PUBLIC KEY-----")
    assert "PRIVATE" not in place.file.read_text()


def rehash_from(store: EventLog, seq: int) -> None:
    """What an attacker does after editing entry ``seq``: recompute every hash from there to the head."""
    with store.engine.begin() as connection:
        rows = connection.execute(select(log).where(log.c.seq >= seq - 1).order_by(log.c.seq)).fetchall()
        previous = rows[0].hash if rows[0].seq < seq else "0" * 64
        for row in rows[1:] if rows[0].seq < seq else rows:
            hashed = entry_hash(
                row.seq, row.event_id, row.type, row.at, row.received, row.submitted_by,
                row.payload_digest, digest(msgspec.json.decode(row.outcome)), previous,
            )  # fmt: skip
            connection.execute(update(log).where(log.c.seq == row.seq).values(prev_hash=previous, hash=hashed))
            previous = hashed


def test_a_rehashed_chain_is_caught_by_the_checkpoint(record: EventLog, place: CheckpointPlace) -> None:
    with record.engine.begin() as connection:
        connection.execute(update(log).where(log.c.seq == 4).values(submitted_by="someone else"))
    rehash_from(record, 4)
    audit = verify_record(record, place, SITE)
    assert audit.chain.ok  # the chain alone cannot tell
    assert "entry 6's hash differs from the one signed at the checkpoint of" in "\n".join(audit.problems)
    with pytest.raises(UnverifiedRecord, match="entry 6's hash differs"):
        require_verified(record, place, SITE)


def test_a_rewrite_is_placed_between_two_checkpoints(record: EventLog, place: CheckpointPlace) -> None:
    make_checkpoint(place, record, SITE)  # at entry 8; the first is at entry 6
    with record.engine.begin() as connection:
        connection.execute(update(log).where(log.c.seq == 7).values(received="2024-06-03T09:30:00+00:00"))
    rehash_from(record, 7)
    found = problems(record, place)
    assert "entry 8's hash differs" in found and "after entry 6, which matches" in found
    assert "entry 6's hash" not in found


def test_a_cut_tail_is_caught(record: EventLog, place: CheckpointPlace) -> None:
    make_checkpoint(place, record, SITE)
    with record.engine.begin() as connection:
        connection.execute(delete(alerts).where(alerts.c.seq > 5))
        connection.execute(delete(log).where(log.c.seq > 5))
    assert record.verify().ok  # a shorter chain is still a chain
    assert "the record holds 5 entries but the checkpoint of" in problems(record, place)
    assert "signed 8" in problems(record, place)
    with pytest.raises(UnverifiedRecord, match="holds 5 entries"):
        require_verified(record, place, SITE)


def test_an_emptied_log_is_caught(record: EventLog, place: CheckpointPlace) -> None:
    with record.engine.begin() as connection:
        connection.execute(delete(acknowledgements))
        connection.execute(delete(alerts))
        connection.execute(delete(log))
    found = problems(record, place)
    assert "the record is empty but the checkpoint of" in found and "signed 6" in found
    assert "acknowledgements holds 0 rows but the checkpoint of" in found


def test_a_payload_set_to_null_without_a_redaction_is_caught(record: EventLog, place: CheckpointPlace) -> None:
    with record.engine.begin() as connection:
        connection.execute(update(log).where(log.c.seq == 2).values(payload=None))
    assert "entry 2 (e2): payload removed (set to null) without a redaction" in problems(record, place)


def test_a_redacted_flag_without_a_recorded_redaction_is_caught(record: EventLog, place: CheckpointPlace) -> None:
    with record.engine.begin() as connection:
        connection.execute(update(log).where(log.c.seq == 3).values(payload=None, redacted=True))
    assert "entry 3 is marked redacted but no redaction of it is recorded" in problems(record, place)


def test_a_legitimate_redaction_still_verifies(record: EventLog, place: CheckpointPlace) -> None:
    assert record.redact([3, 6]) == 2
    audit = verify_record(record, place, SITE)
    assert audit.ok, audit.problems
    assert audit.chain.redacted == 2
    with record.engine.connect() as connection:
        assert list(connection.execute(select(redactions.c.seq).order_by(redactions.c.position)).scalars()) == [3, 6]
    make_checkpoint(place, record, SITE)
    assert verify_start(record, place, SITE).ok


def test_a_redaction_of_an_event_never_redacted_is_caught(record: EventLog, place: CheckpointPlace) -> None:
    record.redact([2])  # a close event: the retention never takes it, so this was not the retention
    assert "entry 2 (e2): a close event is never redacted" in problems(record, place)


def test_a_forged_redaction_record_breaks_the_redactions_chain(record: EventLog, place: CheckpointPlace) -> None:
    with record.engine.begin() as connection:
        connection.execute(update(log).where(log.c.seq == 3).values(payload=None, redacted=True))
        row = {"position": 1, "seq": 3, "at": "2024-06-04T00:00:00+00:00", "prev_hash": "0" * 64, "hash": "f" * 64}
        connection.execute(insert(redactions), [row])
    assert "redactions row 1: altered" in problems(record, place)


def test_side_table_rows_altered_removed_or_inserted_are_named(record: EventLog, place: CheckpointPlace) -> None:
    with record.engine.begin() as connection:
        connection.execute(update(reads).where(reads.c.person == "v3").values(user="nobody"))
        first, second, _ = connection.execute(select(logins.c.id).order_by(logins.c.id)).scalars()
        connection.execute(delete(logins).where(logins.c.id == second))
        connection.execute(update(acknowledgements).values(comment="all fine"))
    found = problems(record, place)
    assert "reads row 1: altered" in found
    assert f"logins row {second + 1} does not follow row {first}" in found
    assert "acknowledgements row 1: altered" in found


def test_a_rehashed_side_table_row_is_caught_by_the_checkpoint(record: EventLog, place: CheckpointPlace) -> None:
    with record.engine.begin() as connection:
        last = connection.execute(select(logins).order_by(logins.c.id.desc()).limit(1)).one()
        fields = {"at": last.at, "name": last.name, "client": "10.0.0.9", "ok": last.ok}
        forged = link_hash("logins", fields, last.prev_hash)
        connection.execute(update(logins).where(logins.c.id == last.id).values(client="10.0.0.9", hash=forged))
    found = problems(record, place)
    assert f"logins row {last.id} (position 3) differs from the one signed at the checkpoint of" in found
    with pytest.raises(UnverifiedRecord, match="logins: the row signed as its head"):
        require_verified(record, place, SITE)


def test_the_alerts_table_is_held_to_the_log(record: EventLog, place: CheckpointPlace) -> None:
    extra = {"id": "3-1", "seq": 3, "event_id": "e3", "at": "x", "code": "ALARM", "severity": "low"}
    with record.engine.begin() as connection:
        connection.execute(delete(alerts).where(alerts.c.id == "4-1"))
        connection.execute(update(alerts).where(alerts.c.id == "6-1").values(severity="low"))
        connection.execute(insert(alerts), [{**extra, "subjects": "[]", "message": "made up"}])
    found = problems(record, place)
    assert "alerts row 4-1 (entry 4's DOOR_FORCED alert) is missing: removed" in found
    assert "alerts row 6-1 (entry 6): field 'severity' altered" in found
    assert "alerts row 3-1: entry 3 raised no such alert: inserted" in found


def test_an_acknowledgement_of_an_alert_never_raised_is_caught(record: EventLog, place: CheckpointPlace) -> None:
    ghost = {"alert_id": "99-1", "by": "lead", "at": "2024-06-03T11:00:00+00:00", "comment": "ghost"}
    links.insert_linked(record.engine, links.ACKNOWLEDGEMENTS, ghost)  # chained well, but of no alert
    assert "acknowledgements row for alert 99-1: no such alert was raised" in problems(record, place)


def test_a_forged_checkpoint_is_named(record: EventLog, place: CheckpointPlace) -> None:
    line = place.file.read_text().strip()
    place.file.write_text(line + "\n" + line.replace('"seq":6', '"seq":8') + "\n")
    found = problems(record, place)
    assert "the checkpoint of" in found and "(line 2, entry 8) is forged" in found
    assert "(line 1" not in found
    with pytest.raises(UnverifiedRecord, match="is forged"):
        require_verified(record, place, SITE)


def test_a_checkpoint_signed_with_another_key_is_forged(
    record: EventLog, place: CheckpointPlace, tmp_path: Path
) -> None:
    other = CheckpointPlace(tmp_path / "other.key", place.file)
    make_checkpoint(other, record, SITE)
    assert "(line 2, entry 8) is forged" in problems(record, place)


def test_the_start_check_accepts_only_when_told(
    record: EventLog, place: CheckpointPlace, caplog: pytest.LogCaptureFixture
) -> None:
    with record.engine.begin() as connection:
        connection.execute(delete(log).where(log.c.seq > 3))
    with pytest.raises(UnverifiedRecord, match="--accept-unverified-record"):
        require_verified(record, place, SITE)
    audit = require_verified(record, place, SITE, accept=True)
    assert not audit.ok
    assert "SERVING AN UNVERIFIED RECORD" in caplog.text


def test_the_start_check_refuses_a_checkpoint_of_another_site(record: EventLog, place: CheckpointPlace) -> None:
    assert "signed for site testhouse, not elsewhere" in "\n".join(verify_start(record, place, "elsewhere").problems)


def test_checkpoints_are_kept_every_so_many_events_and_only_when_changed(
    record: EventLog, place: CheckpointPlace
) -> None:
    stop = threading.Event()
    made: list[int] = []
    keeper = threading.Thread(target=lambda: made.append(keep_checkpoints(record, place, SITE, stop, 3, 3600, 0.01)))
    keeper.start()
    fill(record, 9, 14)  # head 14: the newest checkpoint (entry 6) is 8 behind
    for _ in range(500):
        if (newest := read_checkpoints(place).newest) is not None and newest.state.seq == 14:
            break
        threading.Event().wait(0.01)
    stop.set()
    keeper.join(10)
    assert made and made[0] >= 1
    assert read_checkpoints(place).newest is not None and read_checkpoints(place).newest.state.seq == 14  # type: ignore[union-attr]
    assert not checkpoint_if_changed(record, place, SITE)  # nothing new: no checkpoint
    Accounts(record.engine).record_read("2024-06-03T12:00:00+00:00", "lead", "v9")
    assert checkpoint_if_changed(record, place, SITE)
    assert verify_record(record, place, SITE).ok


def test_the_migration_chains_existing_rows_and_records_past_redactions(database_url: str, tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, text

    from gatewatch.store.log import MIGRATIONS

    engine = create_engine(database_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0005")
    then = EventLog.open(f"sqlite:///{tmp_path / 'then.db'}")  # the store as it was: its log and alert rows
    fill(then, 1, 4)
    with then.engine.connect() as source, engine.begin() as connection:
        for table in (log, alerts):
            connection.execute(insert(table), [dict(row._mapping) for row in source.execute(select(table))])
    then.close()
    with engine.begin() as connection:
        connection.execute(update(log).where(log.c.seq == 3).values(payload=None, redacted=True))
        connection.execute(
            text("INSERT INTO reads (at, \"user\", person) VALUES ('t1', 'lead', 'v3'), ('t2', 'a', 'v1')")
        )
        connection.execute(text("INSERT INTO logins (at, name, client, ok) VALUES ('t1', 'lead', 'c', false)"))
        connection.execute(
            text(
                'INSERT INTO acknowledgements (alert_id, "by", "at", comment) '
                "VALUES ('4-1', 'lead', 't2', 'x'), ('2-1', 'lead', 't1', 'y')"
            )
        )
    engine.dispose()
    store = EventLog.open(database_url)
    try:
        audit = verify_record(store, None)
        assert audit.ok, audit.problems
        assert {t.table: t.count for t in audit.tables} == {
            "acknowledgements": 2,
            "reads": 2,
            "logins": 1,
            "redactions": 1,
        }
        with store.engine.connect() as connection:
            order = connection.execute(select(acknowledgements.c.alert_id).order_by(acknowledgements.c.position))
            assert list(order.scalars()) == ["2-1", "4-1"]  # by time
        Accounts(store.engine).record_read("t3", "lead", "v1")  # new rows follow the migrated ones
        assert verify_record(store, None).ok
    finally:
        store.close()
