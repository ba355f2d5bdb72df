"""Retention: visitors' identity data past the site's retention is redacted; the chain still
verifies and counts it; persons of concern, the site's own people and recent visitors keep theirs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from gatewatch.core import retention
from gatewatch.service.desk import Desk
from gatewatch.store.log import EventLog
from support import events, play, site, start_state

RECEIVED = datetime(2024, 6, 3, 12, 0, tzinfo=UTC)
HISTORY = """
- {id: i1, at: "2024-01-02T09:00", type: identify, person: vic, name: Victor Visitor, phone: "+1 555 0100"}
- {id: i2, at: "2024-01-02T09:05", type: identify, person: val, name: Valentin Vance}
- {id: c1, at: "2024-01-02T09:10", type: concern, person: val, by: lead, open: true}
- {id: i3, at: "2024-01-02T09:15", type: identify, person: cook, name: Carl Cook, phone: "+1 555 0199"}
- {id: i4, at: "2024-01-02T09:20", type: identify, person: ria, name: Ria Returning}
- {id: i5, at: "2024-07-20T09:00", type: identify, person: ria, name: Ria Returning, employer: Acme}
- {id: i6, at: "2024-07-21T09:00", type: identify, person: new, name: Nina New}
"""
NOW = datetime(2024, 8, 1, tzinfo=UTC)  # 180 days after 2024-02-03: the January claims have expired


def desk_with_history(tmp_path: Path) -> Desk:
    desk = Desk(site(), EventLog.open(f"sqlite:///{tmp_path / 'gatewatch.db'}"), start_state())
    for event in events(HISTORY, start=datetime(2024, 1, 1, tzinfo=UTC)):
        desk.submit(event, "lead", RECEIVED)
    return desk


def test_expired_visitor_identity_is_redacted_and_the_chain_still_verifies(tmp_path: Path) -> None:
    desk = desk_with_history(tmp_path)
    assert desk.redact_expired(NOW) == 1
    redacted = [e.event_id for e in desk.log.entries() if e.redacted]
    assert redacted == ["i1"]
    verdict = desk.log.verify()
    assert verdict.ok and verdict.count == 7 and verdict.redacted == 1
    assert "vic" not in desk.state.identities
    assert desk.state.identities["val"].names == ("Valentin Vance",)  # of concern: kept
    assert "Carl Cook" in desk.state.identities["cook"].names  # the site's own staff: kept
    assert desk.state.identities["ria"].employers == ("Acme",)  # came back recently: all kept


def test_a_second_run_redacts_nothing_more(tmp_path: Path) -> None:
    desk = desk_with_history(tmp_path)
    desk.redact_expired(NOW)
    assert desk.redact_expired(NOW) == 0


def test_nothing_is_redacted_before_its_time(tmp_path: Path) -> None:
    desk = desk_with_history(tmp_path)
    assert desk.redact_expired(datetime(2024, 6, 1, tzinfo=UTC)) == 0
    assert desk.log.verify().redacted == 0


def test_a_reopened_desk_starts_from_the_forgetful_snapshot(tmp_path: Path) -> None:
    desk = desk_with_history(tmp_path)
    desk.redact_expired(NOW)
    reopened = Desk.open(site(), EventLog.open(f"sqlite:///{tmp_path / 'gatewatch.db'}"))
    assert reopened.state == desk.state
    assert len(list(desk.log.entries())) == 7


def test_forgettable_is_a_visitor_not_of_concern() -> None:
    state, _ = play(HISTORY, start=datetime(2024, 1, 1, tzinfo=UTC))
    assert retention.forgettable(state, "vic")
    assert not retention.forgettable(state, "val")
    assert not retention.forgettable(state, "cook")
    assert retention.subject({"person": {"id": "x", "role": "visitor"}}) == "x"
