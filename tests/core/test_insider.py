"""The insider view's signals: for each, one case that fires and one near miss that must not,
read from the outcomes as the record keeps them (``Outcome.to_dict``)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from gatewatch.core.alerts import AlertCode
from gatewatch.core.engine import step
from gatewatch.core.insider import CODES, MAX_EVENTS, Insider, Signal, fold
from gatewatch.core.insider_watch import CONCERN_CODES, concerned, recorded
from gatewatch.core.state import State, initial_state
from gatewatch.files.loader import load_drill
from rules.readers_site import CARDS, readers_state
from support import VISITOR_TO_LOBBY, events, start_state
from test_drills import EXAMPLE_DRILLS, SHARED_DRILLS


def view(text: str, state: State | None = None, since: datetime | None = None) -> tuple[Insider, ...]:
    """Play the events through the engine, keep each outcome as the record does, and fold them."""
    current = state or start_state()
    entries = []
    for seq, event in enumerate(events(text, current.site), start=1):
        current, outcome = step(current, event)
        entries.append(recorded(seq, event, outcome.to_dict()))
    return fold(entries, current, since)


def signals(text: str, state: State | None = None, since: datetime | None = None) -> dict[str, dict[str, Signal]]:
    return {insider.person: {s.code: s for s in insider.signals} for insider in view(text, state, since)}


def ids(signal: Signal) -> list[str]:
    return [seen.event for seen in signal.events]


# --- doors opened without a grant -------------------------------------------------------------


def test_a_door_opened_by_a_guard_with_no_grant_counts_against_them() -> None:
    found = signals('- {id: f1, at: "2024-06-03T09:00", type: open, door: side, by: g1}\n')
    signal = found["g1"]["doors_without_grant"]
    assert signal.count == 1 and ids(signal) == ["f1"]
    assert signal.events[0].where == "side" and "no grant" in signal.events[0].said


def test_a_door_opened_on_a_grant_does_not() -> None:
    text = VISITOR_TO_LOBBY.replace("type: open, door: outer}", "type: open, door: outer, by: g1}")
    assert "doors_without_grant" not in signals(text).get("g1", {})


def test_staff_going_up_a_level_without_a_grant_counts() -> None:
    found = signals('- {id: m1, at: "2024-06-03T09:00", type: move, people: [g2], to: yard}\n')
    assert ids(found["g2"]["doors_without_grant"]) == ["m1"]


def test_staff_going_down_a_level_and_a_visitor_going_up_do_not() -> None:
    text = """
- {id: m1, at: "2024-06-03T09:00", type: move, people: [cook], to: yard}
- {id: m2, at: "09:01", type: move, people: [vic], to: yard}
"""
    assert signals(text) == {}


# --- overrides asked and approved ---------------------------------------------------------------

DENIED = """
- {id: a1, at: "2024-06-03T09:00", type: arrive, people: [vic], door: outer}
- {id: r1, at: "09:00", type: request, door: inner, by: g1, for: [vic]}
"""


def test_an_override_counts_for_who_asked_and_who_approved() -> None:
    text = DENIED + '- {id: o1, at: "09:01", type: override, request: r1, by: g1, approved_by: lead}\n'
    found = signals(text)
    asked, approved = found["g1"]["overrides"], found["lead"]["overrides"]
    assert ids(asked) == ids(approved) == ["o1"]
    assert "approved by Lena Lead" in asked.events[0].said and asked.events[0].where == "inner"
    assert "approved Gus Guard's override of request r1" in approved.events[0].said


def test_an_approval_that_did_not_count_is_not_one() -> None:
    text = DENIED + '- {id: o1, at: "09:01", type: override, request: r1, by: g1, approved_by: g2}\n'
    found = signals(text)
    assert "not approved" in found["g1"]["overrides"].events[0].said
    assert "g2" not in found
    assert signals(DENIED) == {}


# --- alarms dismissed or muted ------------------------------------------------------------------

ALARM = '- {id: x1, at: "2024-06-03T01:00", type: alarm, alarm: a1, source: pir-2, kind: motion}\n'


def test_the_same_alarm_dismissed_twice_and_a_source_muted_count() -> None:
    text = (
        ALARM
        + """
- {id: d1, at: "01:05", type: dismiss, alarm: a1, by: g1, reason: a cat}
- {id: d2, at: "01:20", type: dismiss, alarm: a1, by: g1, reason: the cat again}
- {id: u1, at: "01:21", type: mute, source: pir-2, by: g1}
"""
    )
    signal = signals(text)["g1"]["alarms_silenced"]
    assert signal.count == 3 and ids(signal) == ["d1", "d2", "u1"]
    first, second, muted = signal.events
    assert "ALARM_DISMISSED_REPEATEDLY" not in first.said and "ALARM_DISMISSED_REPEATEDLY" in second.said
    assert first.where == second.where == muted.where == "pir-2"


def test_an_alarm_nobody_dismissed_counts_against_nobody() -> None:
    assert signals(ALARM) == {}


# --- check-ins missed ---------------------------------------------------------------------------

ON_POST = '- {id: p1, at: "2024-06-03T08:00", type: post, post: gate, on_duty: [g1]}\n'


def test_a_missed_check_in_counts_for_who_missed_it_and_who_was_on_the_post() -> None:
    text = (
        ON_POST
        + """
- {id: k1, at: "09:00", type: checkin, post: gate, by: g1, missed: true}
- {id: k2, at: "10:00", type: checkin, post: gate, missed: true}
"""
    )
    assert ids(signals(text)["g1"]["checkins_missed"]) == ["k1", "k2"]


def test_a_check_in_made_or_missed_where_they_were_not_does_not() -> None:
    text = (
        ON_POST
        + """
- {id: k1, at: "09:00", type: checkin, post: gate, by: g1}
- {id: k2, at: "10:00", type: checkin, post: tower, missed: true}
- {id: p2, at: "10:30", type: post, post: gate, off_duty: [g1]}
- {id: k3, at: "11:00", type: checkin, post: gate, missed: true}
"""
    )
    assert signals(text) == {}


# --- night openings alone -----------------------------------------------------------------------

NIGHT = """
- {id: p1, at: "2024-06-03T22:00", type: post, post: gate, on_duty: [g1]}
- {id: a1, at: "22:30", type: arrive, people: [res], door: outer}
- {id: r1, at: "22:30", type: request, door: outer, by: g1, for: [res]}
- {id: o1, at: "22:31", type: override, request: r1, by: g1, approved_by: lead}
- {id: d1, at: "22:32", type: open, door: outer, by: g1}
"""


def test_a_guard_alone_at_the_gate_at_night_asking_overriding_and_opening() -> None:
    signal = signals(NIGHT)["g1"]["night_alone"]
    assert ids(signal) == ["r1", "o1", "d1"]
    assert "1 guard on the gate post" in signal.events[-1].said


def test_two_guards_at_the_gate_at_night_or_one_by_day_are_not_alone() -> None:
    two = NIGHT.replace("on_duty: [g1]", "on_duty: [g1, g2]")
    assert "night_alone" not in signals(two).get("g1", {})
    day = NIGHT.replace("T22:00", "T10:00").replace('"22:3', '"10:3')
    assert "night_alone" not in signals(day).get("g1", {})


# --- credentials lent ---------------------------------------------------------------------------

HANDED_BACK = CARDS + '- {id: b1, at: "09:00", type: badge, reader: front-out, credential: c-cook}\n'
"""Carl Cook is in the house; his card is presented at the front door from the yard."""


def test_a_card_handed_back_counts_against_its_holder() -> None:
    signal = signals(HANDED_BACK, readers_state())["cook"]["credentials_lent"]
    assert ids(signal) == ["b1"] and signal.events[0].where == "front"


def test_a_card_used_by_its_holder_on_the_near_side_does_not() -> None:
    text = CARDS + '- {id: m1, at: "08:59", type: move, people: [cook], to: yard}\n' + HANDED_BACK[len(CARDS) :]
    assert signals(text, readers_state()) == {}


def _pair(second: str) -> str:
    return (
        CARDS
        + f"""
- {{id: b1, at: "2024-06-03T10:00:00", type: badge, reader: vault-out, credential: c-cook}}
- {{id: b2, at: "{second}", type: badge, reader: vault-out, credential: c-aide}}
"""
    )


def test_two_cards_at_a_two_person_reader_one_second_apart_count_for_both_holders() -> None:
    found = signals(_pair("2024-06-03T10:00:01"), readers_state())
    assert ids(found["cook"]["credentials_lent"]) == ids(found["aide"]["credentials_lent"]) == ["b2"]
    assert found["cook"]["credentials_lent"].events[0].linked == "b1"


def test_two_holders_taking_turns_at_a_two_person_reader_do_not() -> None:
    assert signals(_pair("2024-06-03T10:00:06"), readers_state()) == {}


# --- badges at odd hours ------------------------------------------------------------------------

G2_CARD = '- {id: k-g2, at: "2024-06-03T08:00", type: credential, person: g2, credential: c-g2, kind: card, by: lead}\n'


def test_a_card_used_at_night_by_someone_on_no_post_counts() -> None:
    text = CARDS + '- {id: b1, at: "23:00", type: badge, reader: front-in, credential: c-cook}\n'
    signal = signals(text, readers_state())["cook"]["odd_hour_badges"]
    assert ids(signal) == ["b1"] and "at night, on no post" in signal.events[0].said


def test_a_card_used_by_day_or_by_a_guard_on_the_night_shift_does_not() -> None:
    text = (
        CARDS
        + G2_CARD
        + """
- {id: b1, at: "10:00", type: badge, reader: front-in, credential: c-cook}
- {id: p1, at: "22:00", type: post, post: tower, on_duty: [g2]}
- {id: b2, at: "23:00", type: badge, reader: front-out, credential: c-g2}
"""
    )
    assert "odd_hour_badges" not in {code for kinds in signals(text, readers_state()).values() for code in kinds}


# --- requests for people later found of concern -------------------------------------------------


def test_a_request_for_someone_later_found_of_concern_counts_against_who_asked() -> None:
    text = VISITOR_TO_LOBBY + '- {id: c9, at: "10:00", type: concern, person: vic, by: lead, open: true}\n'
    signal = signals(text)["g1"]["requests_for_concern"]
    assert ids(signal) == ["r1"] and signal.events[0].linked == "c9"
    assert signal.events[0].others == ("vic",)


def test_an_alert_that_makes_them_of_concern_counts_too() -> None:
    text = VISITOR_TO_LOBBY + '- {id: m2, at: "10:00", type: move, people: [vic], to: house}\n'
    signal = signals(text)["g1"]["requests_for_concern"]
    assert ids(signal) == ["r1"] and "UNAUTHORIZED_ENTRY" in signal.events[0].said


def test_a_request_for_someone_already_of_concern_or_never_is_not_one_found_later() -> None:
    already = (
        '- {id: c0, at: "2024-06-03T08:50", type: concern, person: vic, by: lead, open: true}\n'
        + VISITOR_TO_LOBBY.replace('at: "2024-06-03T08:55"', 'at: "08:55"')
        + '- {id: m2, at: "10:00", type: move, people: [vic], to: house}\n'
    )
    assert "requests_for_concern" not in signals(already).get("g1", {})
    assert "requests_for_concern" not in signals(VISITOR_TO_LOBBY).get("g1", {})


# --- the view as a whole ------------------------------------------------------------------------


def test_before_since_entries_are_read_but_not_counted() -> None:
    text = ON_POST + '- {id: k2, at: "10:00", type: checkin, post: gate, missed: true}\n'
    assert signals(text, since=datetime(2024, 6, 3, 9, tzinfo=UTC))["g1"]["checkins_missed"].count == 1
    assert signals(text, since=datetime(2024, 6, 3, 11, tzinfo=UTC)) == {}


def test_the_events_kept_are_bounded_and_the_count_goes_on() -> None:
    dismissals = "".join(
        f'- {{id: d{n}, at: "2024-06-03T01:{n:02d}", type: dismiss, alarm: a1, by: g1}}\n' for n in range(1, 60)
    )
    text = ALARM.replace("01:00", "00:59") + dismissals
    signal = signals(text)["g1"]["alarms_silenced"]
    assert signal.count == 59 and len(signal.events) == MAX_EVENTS
    assert signal.events[-1].event == "d59" and signal.events[0].event == f"d{59 - MAX_EVENTS + 1}"


def test_people_are_listed_most_signals_first_and_signals_in_order() -> None:
    text = (
        ALARM
        + """
- {id: d1, at: "01:05", type: dismiss, alarm: a1, by: g2}
- {id: f1, at: "01:06", type: open, door: side, by: g1}
- {id: d2, at: "01:07", type: dismiss, alarm: a1, by: g1}
"""
    )
    listed = view(text)
    assert [i.person for i in listed] == ["g1", "g2"]
    # the side gate forced at night with nobody at the gate post is a night opening alone too
    assert [s.code for s in listed[0].signals] == ["doors_without_grant", "alarms_silenced", "night_alone"]
    assert listed[0].name == "Gus Guard" and listed[0].role == "guard" and listed[0].total == 3
    assert set(CODES) == {
        "doors_without_grant",
        "overrides",
        "alarms_silenced",
        "checkins_missed",
        "night_alone",
        "credentials_lent",
        "odd_hour_badges",
        "requests_for_concern",
    }


# --- whom a recorded alert made of concern: as the engine decided it ----------------------------

DRILLS = [*EXAMPLE_DRILLS, *SHARED_DRILLS]


@pytest.mark.parametrize("path", DRILLS, ids=[p.stem for p in DRILLS])
def test_concerned_reads_the_record_as_the_engine_decided(path: Path) -> None:
    drill = load_drill(path)
    state = initial_state(drill.site, drill.people, drill.watchlist)
    for seq, event in enumerate(drill.events, start=1):
        state, outcome = step(state, event)
        entry = recorded(seq, event, outcome.to_dict())
        for alert, kept in zip(outcome.alerts, entry.alerts, strict=True):
            if alert.code is AlertCode.IDENTITY_LINK:
                continue
            assert (concerned(entry, kept),) == (alert.concern or (None,)), (event.id, alert.code)
            assert not alert.concern or alert.code.value in CONCERN_CODES


MORE_CONCERNS = (
    VISITOR_TO_LOBBY
    + """
- {id: s1, at: "09:02", type: screen, person: vic, by: g1, result: found, found: [Ice axe]}
- {id: b1, at: "09:03", type: observe, person: val, by: g1, indicators: [nervous]}
- {id: f1, at: "09:04", type: open, door: side}
"""
)
"""What the drills do not raise: a weapon found, a warning only, a door forced by nobody named."""


def test_concerned_reads_the_rest_as_the_engine_decided() -> None:
    state = start_state()
    seen = set()
    for seq, event in enumerate(events(MORE_CONCERNS, state.site), start=1):
        state, outcome = step(state, event)
        entry = recorded(seq, event, outcome.to_dict())
        for alert, kept in zip(outcome.alerts, entry.alerts, strict=True):
            assert (concerned(entry, kept),) == (alert.concern or (None,)), (event.id, alert.code)
            seen.add((alert.code.value, bool(alert.concern)))
    assert {("PROHIBITED_ITEM", True), ("CONCERNING_BEHAVIOR", False), ("DOOR_FORCED", False)} <= seen


def test_a_case_opened_on_them_finds_them_of_concern_and_closing_it_lets_a_later_request_count_again() -> None:
    opened = VISITOR_TO_LOBBY + '- {id: k1, at: "10:00", type: case_open, case: K1, person: vic, by: lead}\n'
    signal = signals(opened)["g1"]["requests_for_concern"]
    assert ids(signal) == ["r1"] and "case K1 opened" in signal.events[0].said
    again = (
        opened
        + """
- {id: k2, at: "11:00", type: case_close, case: K1, by: lead, reason: a misunderstanding}
- {id: r2, at: "11:30", type: request, door: outer, by: g2, for: [vic]}
- {id: c9, at: "12:00", type: concern, person: vic, by: lead, open: true}
"""
    )
    assert ids(signals(again)["g2"]["requests_for_concern"]) == ["r2"]
    other_case = '- {id: k0, at: "10:30", type: case_open, case: K0, person: vic, by: lead}\n'
    still = again.replace("- {id: k2", other_case + "- {id: k2")
    assert "g2" not in signals(still)  # another case kept them of concern: the request was for someone of concern
