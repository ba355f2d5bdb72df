"""The desk: decisions are recorded, and a reopened desk has the same state as before."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, update

from gatewatch.core import snapshot
from gatewatch.core.outcome import Outcome
from gatewatch.service.desk import Desk
from gatewatch.store.log import EventLog, IdConflict
from gatewatch.store.schema import snapshots
from support import VISITOR_TO_LOBBY, events, play, site, start_state

RECEIVED = datetime(2024, 6, 3, 12, 0, tzinfo=UTC)
DAY = (
    VISITOR_TO_LOBBY
    + """
- {id: s1, at: "09:02", type: screen, person: vic, by: g1, result: clear}
- {id: r2, at: "09:03", type: request, door: inner, by: g1, for: [vic]}
- {id: o2, at: "09:03", type: open, door: inner}
- {id: m2, at: "09:04", type: move, people: [vic], to: yard}
- {id: m3, at: "09:05", type: move, people: [vic], to: house}
- {id: f1, at: "09:06", type: open, door: side, by: g1}
"""
)


@pytest.fixture
def database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'gatewatch.db'}"


def test_the_desk_records_what_the_engine_decides(database: str) -> None:
    desk = Desk(site(), EventLog.open(database), start_state())
    answers = [desk.submit(e, "g1", RECEIVED) for e in events(DAY)]
    _, expected = play(DAY)
    assert [a.outcome for a in answers] == [o.to_dict() for o in expected]
    assert [a.seq for a in answers] == list(range(1, len(answers) + 1))
    assert desk.log.verify().ok


def test_a_reopened_desk_rebuilds_the_same_state(database: str) -> None:
    first = Desk(site(), EventLog.open(database), start_state())
    for event in events(DAY):
        first.submit(event, "g1", RECEIVED)
    reopened = Desk.open(site(), EventLog.open(database))
    assert reopened.state == first.state
    assert reopened.state.lockdown == "DOOR_FORCED at f1"


def test_a_repeated_event_returns_the_recorded_outcome_and_changes_nothing(database: str) -> None:
    desk = Desk(site(), EventLog.open(database), start_state())
    forced = events('- {id: f1, at: "2024-06-03T09:00", type: open, door: side, by: g1}\n')[0]
    first = desk.submit(forced, "g1", RECEIVED)
    state = desk.state
    again = desk.submit(forced, "g1", RECEIVED)
    assert again.duplicate and again.outcome == first.outcome and desk.state is state


def test_an_id_reused_for_another_event_is_refused_and_the_state_kept(database: str) -> None:
    desk = Desk(site(), EventLog.open(database), start_state())
    desk.submit(events('- {id: x1, at: "2024-06-03T09:00", type: close, door: side}\n')[0], "g1", RECEIVED)
    state = desk.state
    with pytest.raises(IdConflict):
        desk.submit(events('- {id: x1, at: "2024-06-03T09:01", type: open, door: side}\n')[0], "g1", RECEIVED)
    assert desk.state is state and desk.log.verify().count == 1


def test_outcomes_keep_the_contract_shape() -> None:
    _, outcomes = play(DAY)
    shape: Outcome = outcomes[-1]
    assert set(shape.to_dict()) == {"event", "type", "at", "decision", "reasons", "alerts"}


def test_a_desk_starts_from_its_latest_snapshot_and_replays_only_what_follows(database: str) -> None:
    log = EventLog.open(database)
    desk = Desk(site(), log, start_state(), snapshot_every=4)
    for event in events(DAY):
        desk.submit(event, "g1", RECEIVED)
    assert desk.flush(timeout=10)  # snapshots are kept beside the writer
    found = log.latest_snapshot(snapshot.site_digest(site()))
    assert found is not None and found.seq == 12
    reopened = Desk.open(site(), EventLog.open(database))
    assert reopened.state == desk.state


def test_a_damaged_snapshot_is_passed_over(database: str) -> None:
    log = EventLog.open(database)
    desk = Desk(site(), log, start_state(), snapshot_every=4)
    for event in events(DAY):
        desk.submit(event, "g1", RECEIVED)
    assert desk.flush(timeout=10)
    with log.engine.begin() as connection:
        connection.execute(update(snapshots).values(state=b"\x00garbage"))
    assert log.latest_snapshot(snapshot.site_digest(site())) is None
    assert Desk.open(site(), EventLog.open(database)).state == desk.state


def test_a_snapshot_of_another_site_is_not_used(database: str) -> None:
    log = EventLog.open(database)
    desk = Desk(site(), log, start_state(), snapshot_every=4)
    for event in events(DAY):
        desk.submit(event, "g1", RECEIVED)
    assert desk.flush(timeout=10)
    other = site("policy: {grant_minutes: 9}")
    assert log.latest_snapshot(snapshot.site_digest(other)) is None


def test_only_the_newest_snapshots_are_kept(database: str) -> None:
    log = EventLog.open(database)
    desk = Desk(site(), log, start_state(), snapshot_every=2)
    for event in events(DAY):
        desk.submit(event, "g1", RECEIVED)
    assert desk.flush(timeout=10)  # snapshots are kept beside the writer
    with log.engine.connect() as connection:
        kept = [row.seq for row in connection.execute(select(snapshots.c.seq).order_by(snapshots.c.seq))]
    assert kept == [8, 10, 12]
    assert Desk.open(site(), EventLog.open(database)).state == desk.state


def test_a_second_process_appending_to_the_same_record_keeps_the_chain(database: str) -> None:
    """The server's desk and a command (``gatewatch screen``) each append: neither breaks the chain."""
    server = Desk(site(), EventLog.open(database), start_state())
    command = Desk.open(site(), EventLog.open(database))
    day = events(DAY)
    server.submit(day[0], "g1", RECEIVED)
    command.submit(day[1], "g1", RECEIVED)
    server.submit(day[2], "g1", RECEIVED)  # its cached head is stale: it finds the new one
    entries = list(server.log.entries())
    assert [e.event_id for e in entries] == [day[0].id, day[1].id, day[2].id]
    assert server.log.verify().ok
