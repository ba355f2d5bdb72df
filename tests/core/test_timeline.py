"""A person's timeline from their entries and visit traces: rows, their order, and the bound."""

from __future__ import annotations

from datetime import timedelta, timezone

import hypothesis.strategies as st
import msgspec
from hypothesis import given, settings

from gatewatch.core.events import Event
from gatewatch.core.outcome import Outcome
from gatewatch.core.pathway import Mark, VisitTrace
from gatewatch.core.state import State
from gatewatch.core.timeline import MOST_ROWS, Recorded, RecordedAlert, timeline
from support import START, VISITOR_IN_YARD, events, play

VISIT = (
    VISITOR_IN_YARD
    + """
- {id: w1, at: "09:05", type: observe, person: vic, by: lead, indicators: [nervous]}
- {id: r9, at: "09:10", type: request, door: office-door, by: lead, for: [vic]}
- {id: l1, at: "10:32", type: leave, people: [vic]}
"""
)


def recorded(played: list[tuple[Event, Outcome]]) -> list[Recorded]:
    return [
        Recorded(
            seq=n,
            hash=f"h{n}",
            event_id=event.id,
            type=event.type,
            at=event.at,
            event=event,
            decision=outcome.decision,
            reasons=outcome.reason_codes,
            alerts=tuple(RecordedAlert(a.code.value, a.severity.label, a.subjects, a.message) for a in outcome.alerts),
        )
        for n, (event, outcome) in enumerate(played, start=1)
    ]


def run(text: str) -> tuple[State, list[Recorded]]:
    state, outcomes = play(text)
    return state, recorded(list(zip(events(text), outcomes, strict=True)))


def trace(arrived: Recorded, left: Recorded | None, **fields: object) -> VisitTrace:
    values: dict[str, object] = {
        "arrived": Mark(arrived.event_id, arrived.at),
        "left": left.at if left else None,
        "left_event": left.event_id if left else None,
        "deepest": 2,
        "deepest_zone": "yard",
        "deepest_event": "m1",
        "hour": arrived.at.hour,
        "escorted": True,
        "screening": "clear",
        "surrendered": ("coat",),
        "refused": (),
        "wearing": ("coat",),
    }
    values.update(fields)
    return VisitTrace(**values)  # type: ignore[arg-type]


def by_id(entries: list[Recorded], event_id: str) -> Recorded:
    return next(e for e in entries if e.event_id == event_id)


def test_a_visit_row_says_depth_escort_screening_and_duration_and_holds_its_leave() -> None:
    state, entries = run(VISIT)
    visit = trace(by_id(entries, "a1"), by_id(entries, "l1"))
    found = timeline(state, "vic", entries, [visit], 50)
    visits = [r for r in found.rows if r.kind == "visit"]
    assert len(visits) == 1 and visits[0].event == "a1"  # the leave is in the visit, not a row of its own
    line = visits[0].visit
    assert line is not None
    assert (line.deepest, line.deepest_zone, line.escorted, line.screening) == (2, "yard", True, "clear")
    assert (line.minutes, line.left_event, line.time_of_day, line.surrendered) == (92, "l1", "09:00", ("coat",))
    assert "level 2" in visits[0].summary and "escorted" in visits[0].summary and "1 h 32 min" in visits[0].summary


def test_the_leaving_time_is_said_on_the_site_clock_whatever_offset_the_record_gave_it() -> None:
    state, entries = run(VISIT)
    arrival, leave = by_id(entries, "a1"), by_id(entries, "l1")
    shifted = msgspec.structs.replace(leave, at=leave.at.astimezone(timezone(timedelta(hours=-9))))
    row = next(r for r in timeline(state, "vic", entries, [trace(arrival, shifted)], 50).rows if r.kind == "visit")
    assert row.visit is not None and row.visit.minutes == 92
    assert "left at 10:32 after 1 h 32 min" in row.summary


def test_a_visit_never_seen_to_end_is_not_said_to_have_lasted_until_the_next_arrival() -> None:
    """The engine closes a visit with no ``leave`` at the next arrival; nobody saw them leave then."""
    state, entries = run("""
- {id: a1, at: "2024-06-03T09:00", type: arrive, people: [vic], door: outer}
- {id: a2, at: "2024-06-06T09:00", type: arrive, people: [vic], door: outer}
- {id: l2, at: "09:30", type: leave, people: [vic]}
""")
    rows = {r.event: r for r in timeline(state, "vic", entries, state.pathways["vic"].visits, 50).rows}
    first = rows["a1"].visit
    assert first is not None and (first.left, first.left_event, first.minutes) == (None, None, None)
    assert "not known to have left" in rows["a1"].summary and "72 h" not in rows["a1"].summary
    second = rows["a2"].visit
    assert second is not None and (second.left_event, second.minutes) == ("l2", 30)


def test_without_a_trace_the_visit_row_says_what_the_entries_say() -> None:
    state, entries = run(VISIT)
    row = next(r for r in timeline(state, "vic", entries, [], 50).rows if r.kind == "visit")
    assert row.visit is not None and row.visit.deepest is None and row.visit.escorted is None
    assert (row.visit.left_event, row.visit.minutes) == ("l1", 92)


def test_rows_come_newest_first_each_entry_before_its_alerts_and_moves_only_by_their_alerts() -> None:
    state, entries = run(VISIT)
    found = timeline(state, "vic", entries, [], 50)
    seqs = [r.seq for r in found.rows]
    assert seqs == sorted(seqs, reverse=True)
    assert not any(r.type == "move" and r.kind != "alert" for r in found.rows)
    kinds = {r.event: r.kind for r in found.rows if r.kind != "alert"}
    assert kinds["w1"] == "observation" and kinds["i1"] == "invitation" and kinds["s1"] == "screening"
    assert kinds["r9"] == "denied request"  # not at that door, nor asked in privately: denied
    denied = next(r for r in found.rows if r.event == "r9")
    assert "denied" in denied.summary and denied.hash == f"h{denied.seq}"


def test_an_entry_is_a_row_of_theirs_only_when_it_names_them() -> None:
    state, entries = run(VISIT)
    lead = timeline(state, "lead", entries, [], 50)
    assert {r.event: r.kind for r in lead.rows} == {
        "r9": "denied request",
        "w1": "observation",
        "r0": "request",
        "s1": "screening",
    }  # vic's arrival and leaving, the doors, the invitation by someone else: not the lead's
    assert next(r for r in lead.rows if r.event == "r0").summary.startswith("Asked the side door for vic")


def test_an_alert_naming_them_is_a_row_and_a_hidden_code_is_not() -> None:
    state, entries = run(VISIT)
    alerting = Recorded(
        seq=99,
        hash="h99",
        event_id="x1",
        type="move",
        at=START + timedelta(hours=11),
        event=None,
        alerts=(
            RecordedAlert("UNESCORTED_VISITOR", "high", ("vic", "house"), "alone in the house"),
            RecordedAlert("DOOR_HELD", "warning", ("front",), "held"),
            RecordedAlert("DURESS", "critical", ("vic",), "duress"),
        ),
    )
    found = timeline(state, "vic", [*entries, alerting], [], 50, hidden=frozenset({"DURESS"}))
    top = [r for r in found.rows if r.seq == 99]
    assert [(r.kind, r.alert.code if r.alert else None) for r in top] == [("alert", "UNESCORTED_VISITOR")]


def test_a_redacted_entry_is_a_row_that_says_so() -> None:
    state, entries = run(VISIT)
    gone = Recorded(seq=0, hash="h0", event_id="id0", type="identify", at=START, event=None)
    row = timeline(state, "vic", [gone, *entries], [], 50).rows[-1]
    assert (row.kind, row.event) == ("identity", "id0") and "redacted" in row.summary


def test_the_newest_rows_are_kept_never_an_entry_split_and_the_next_page_is_named() -> None:
    state, entries = run(VISIT)
    whole = timeline(state, "vic", entries, [], 50)
    assert not whole.more and whole.before is None
    page = timeline(state, "vic", entries, [], 3)
    assert len(page.rows) <= 3 and page.more
    assert page.rows == whole.rows[: len(page.rows)]
    assert page.before == page.rows[-1].seq
    older = timeline(state, "vic", [e for e in entries if page.before is not None and e.seq < page.before], [], 50)
    shown = {r.seq for r in page.rows}
    assert {r.seq for r in older.rows} | shown == {r.seq for r in whole.rows}  # nothing lost between pages
    assert timeline(state, "vic", entries, [], 50, older=True).more


@settings(max_examples=40, deadline=None)
@given(limit=st.integers(min_value=-5, max_value=MOST_ROWS + 50), cut=st.integers(min_value=0, max_value=20))
def test_a_timeline_never_holds_more_than_its_bound(limit: int, cut: int) -> None:
    state, entries = run(VISIT)
    found = timeline(state, "vic", entries[cut:], [], limit)
    assert len(found.rows) <= max(1, min(limit, MOST_ROWS))
    assert [r.seq for r in found.rows] == sorted((r.seq for r in found.rows), reverse=True)
