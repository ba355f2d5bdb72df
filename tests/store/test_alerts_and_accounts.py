"""Alerts kept with their entries, acknowledgements, users, tokens, logins and reads, on both databases."""

from __future__ import annotations

import json

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from gatewatch.store.accounts import Accounts, User, UserExists
from gatewatch.store.alerts import AlertBook, AlertFilter, AlreadyAcknowledged
from gatewatch.store.log import HEAD_REVISION, MIGRATIONS, EventLog, Submission


def submission(event_id: str, alerts: list[dict[str, object]]) -> Submission:
    return Submission(
        event_id=event_id,
        type="open",
        at="2024-06-03T09:00:00+00:00",
        payload={"id": event_id, "type": "open", "door": "side"},
        outcome={
            "event": event_id,
            "type": "open",
            "at": "2024-06-03T09:00:00+00:00",
            "decision": None,
            "reasons": [],
            "alerts": alerts,
        },
        submitted_by="gus",
        received="2024-06-03T09:00:01+00:00",
    )


FORCED = {"code": "DOOR_FORCED", "severity": "critical", "subjects": ["side", "g_1"], "message": "forced"}
QUIET = {"code": "ALARM", "severity": "warning", "subjects": ["pir"], "message": "alarm"}


def test_alerts_are_kept_with_their_entry_and_filtered(store: EventLog) -> None:
    store.append_many([submission("f1", [FORCED, QUIET]), submission("q1", [])])
    store.append(submission("f1", [FORCED, QUIET]))  # a resend adds no alert
    book = AlertBook(store.engine)
    assert [a.id for a in book.find(AlertFilter())] == ["1-2", "1-1"]
    assert [a.code for a in book.find(AlertFilter(person="g_1"))] == ["DOOR_FORCED"]
    assert book.find(AlertFilter(person="g%")) == []
    assert [a.code for a in book.find(AlertFilter(severity="warning"))] == ["ALARM"]


def test_an_alert_is_acknowledged_once(store: EventLog) -> None:
    store.append(submission("f1", [FORCED]))
    book = AlertBook(store.engine)
    acked = book.acknowledge("1-1", "gus", "2024-06-03T09:05:00+00:00", "latch broken, guard posted")
    assert acked.acknowledged is not None and acked.acknowledged.by == "gus"
    with pytest.raises(AlreadyAcknowledged):
        book.acknowledge("1-1", "lena", "2024-06-03T09:06:00+00:00", "again")
    assert book.find(AlertFilter(acknowledged=False)) == []


def test_users_tokens_logins_and_reads(store: EventLog) -> None:
    accounts = Accounts(store.engine)
    accounts.add_user(User("gus", "guard", "g1", "hash", "2024-06-03"))
    with pytest.raises(UserExists):
        accounts.add_user(User("gus", "lead", None, "hash", "2024-06-03"))
    accounts.add_token("d" * 64, "gus", "session", "2024-06-03", None)
    assert accounts.token("d" * 64) == ("gus", None)
    accounts.drop_token("d" * 64)
    assert accounts.token("d" * 64) is None
    accounts.record_login("2024-06-03T09:00", "gus", "10.0.0.1", ok=False)
    accounts.record_login("2024-06-03T09:01", "gus", "10.0.0.2", ok=True)
    assert accounts.failures_since("2024-06-03T08:00", "gus", "10.0.0.1") == (1, 1)
    accounts.record_read("2024-06-03T09:02", "gus", "vic")
    assert [r.user for r in accounts.reads_of("vic")] == ["gus"]


def test_upgrading_a_record_fills_the_alerts_from_the_outcomes_already_kept(database_url: str) -> None:
    engine = create_engine(database_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
    entry = submission("f1", [FORCED])
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO log (seq, event_id, type, at, received, submitted_by, payload, payload_digest, outcome,"
                " prev_hash, hash, redacted) VALUES (1, 'f1', 'open', :at, :at, 'gus', NULL, 'x', :outcome, 'p', 'h',"
                " false)"
            ),
            {"at": entry.at, "outcome": json.dumps(entry.outcome)},
        )
    engine.dispose()
    upgraded = EventLog.open(database_url)
    assert [a.code for a in AlertBook(upgraded.engine).find(AlertFilter())] == ["DOOR_FORCED"]
    upgraded.close()


def test_the_known_head_revision_is_alembics_head(store: EventLog) -> None:
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD_REVISION == store.revision()
