"""Properties of the engine over generated event streams (Hypothesis).

- determinism: the same events give the same outcomes;
- replay equivalence: stepping through a stream in one go, or resuming from a state saved
  (pickled) halfway, gives identical outcomes;
- egress is always granted;
- in lockdown no entry request is granted (only an approved override lets anyone in).
- a door is granted only for people at it (NOT_AT_DOOR).
- times are instants: writing each event's time with another offset changes no outcome.
"""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any
from unittest.mock import patch
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gatewatch.core import snapshot
from gatewatch.core.engine import run, step
from gatewatch.core.events import Event, Request
from gatewatch.core.outcome import Outcome
from gatewatch.core.parse import parse_events
from gatewatch.core.rules.door_request import DoorRequest
from gatewatch.core.state import State
from gatewatch.core.steps import presence
from support import START, events, site, start_state

PEOPLE = ["boss", "res", "lead", "g1", "g2", "cook", "aide", "v1", "v2", "v3"]
GUARDS = ["lead", "g1", "g2"]
DOORS = ["outer", "inner", "side", "front", "office-door"]
ZONES = ["street", "lobby", "yard", "house", "office"]
POSTS = ["gate", "tower"]
ITEMS = ["coat", "raincoat", "bag", "pistol", "umbrella", "parcel"]

person = st.sampled_from(PEOPLE)
people = st.lists(person, min_size=1, max_size=3, unique=True)
guard = st.sampled_from(GUARDS)
door = st.sampled_from(DOORS)
items = st.lists(st.sampled_from(ITEMS), max_size=2, unique=True)

event_body = st.one_of(
    st.builds(
        lambda p, d, w, a: {
            "type": "arrive",
            "people": p,
            "door": d,
            "wearing": w,
            **({"claims": {"authority": "police"}} if a else {}),
        },
        people,
        door,
        items,
        st.booleans(),
    ),
    st.builds(lambda d, b, p: {"type": "request", "door": d, "by": b, "for": p}, door, guard, people),
    st.builds(lambda d, b: {"type": "open", "door": d, "by": b}, door, guard),
    st.builds(lambda d: {"type": "close", "door": d}, door),
    st.builds(lambda p, z: {"type": "move", "people": p, "to": z}, people, st.sampled_from(ZONES)),
    st.builds(lambda p: {"type": "leave", "people": p}, people),
    st.builds(
        lambda p, b, r, s: {"type": "screen", "person": p, "by": b, "result": r, "surrendered": s},
        person,
        guard,
        st.sampled_from(["clear", "found", "refused"]),
        items,
    ),
    st.builds(
        lambda b, p, pr: {"type": "invite", "by": b, "person": p, "private": pr},
        st.sampled_from(["res", "boss", "cook"]),
        person,
        st.booleans(),
    ),
    st.builds(
        lambda po, on, off: {"type": "post", "post": po, "on_duty": on, "off_duty": off},
        st.sampled_from(POSTS),
        st.lists(guard, max_size=2, unique=True),
        st.lists(guard, max_size=1),
    ),
    st.builds(
        lambda k: {"type": "alarm", "alarm": "a", "source": "s1", "kind": k},
        st.sampled_from(["fire", "fault", "motion"]),
    ),
    st.builds(lambda b: {"type": "all_clear", "by": b}, st.sampled_from(["lead", "g1"])),
    st.builds(
        lambda p, b, o: {"type": "concern", "person": p, "by": b, "open": o},
        person,
        st.sampled_from(["lead", "g1"]),
        st.booleans(),
    ),
    st.builds(
        lambda b, f, r: {"type": "waive", "by": b, "for": f, "rules": r},
        st.sampled_from(["boss", "res"]),
        person,
        st.lists(
            st.sampled_from(["NOT_SCREENED", "ESCORT_REQUIRED", "NOT_EXPECTED"]), min_size=1, max_size=2, unique=True
        ),
    ),
    st.builds(lambda t: {"type": "weather", "temp_c": t}, st.integers(10, 35)),
)


@st.composite
def streams(draw: Any) -> tuple[Event, ...]:
    return events(_yaml(draw(raw_streams())))


@st.composite
def raw_streams(draw: Any) -> list[dict[str, Any]]:
    """Events as written in a drill file, their times in UTC."""
    bodies = draw(st.lists(event_body, min_size=1, max_size=40))
    gaps = draw(st.lists(st.integers(0, 400), min_size=len(bodies), max_size=len(bodies)))
    raw, moment, requests = [], START + timedelta(hours=6), []
    for i, (body, gap) in enumerate(zip(bodies, gaps, strict=True)):
        moment += timedelta(minutes=gap)
        item = {"id": f"e{i}", "at": moment.isoformat(), **body}
        raw.append(item)
        if body["type"] == "request":
            requests.append(item["id"])
        elif requests and gap % 7 == 0:
            raw.append(
                {
                    "id": f"e{i}o",
                    "at": moment.isoformat(),
                    "type": "override",
                    "request": requests[-1],
                    "by": "g1",
                    "approved_by": "lead",
                }
            )
    return raw


def _yaml(raw: list[dict[str, Any]]) -> str:
    import yaml

    return yaml.safe_dump(raw, sort_keys=False)


def outcomes_of(state: State, stream: tuple[Event, ...]) -> list[Outcome]:
    return [outcome for _, outcome in run(state, stream)]


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(streams())
def test_same_events_give_same_outcomes(stream: tuple[Event, ...]) -> None:
    assert outcomes_of(start_state(), stream) == outcomes_of(start_state(), stream)


@SETTINGS
@given(streams(), st.data())
def test_resuming_from_a_saved_state_gives_the_same_outcomes(stream: tuple[Event, ...], data: Any) -> None:
    whole = outcomes_of(start_state(), stream)
    half = data.draw(st.integers(0, len(stream)))
    state = start_state()
    first: list[Outcome] = []
    for event in stream[:half]:
        state, outcome = step(state, event)
        first.append(outcome)
    saved = pickle.loads(pickle.dumps(state))
    assert first + outcomes_of(saved, stream[half:]) == whole


@SETTINGS
@given(streams(), st.data())
def test_a_state_survives_a_snapshot(stream: tuple[Event, ...], data: Any) -> None:
    """Stopping anywhere, storing the state as bytes and loading it gives the same outcomes after."""
    half = data.draw(st.integers(0, len(stream)))
    state = start_state()
    for event in stream[:half]:
        state, _ = step(state, event)
    loaded = snapshot.load(snapshot.dump(state), state.site)
    assert loaded == state
    assert outcomes_of(loaded, stream[half:]) == outcomes_of(state, stream[half:])


def _requests_with_state_before(stream: tuple[Event, ...]) -> list[tuple[State, Request, Outcome]]:
    found = []
    state = start_state()
    for event in stream:
        before = state
        state, outcome = step(state, event)
        if isinstance(event, Request):
            found.append((before, event, outcome))
    return found


@SETTINGS
@given(streams())
def test_egress_is_always_granted(stream: tuple[Event, ...]) -> None:
    for before, event, outcome in _requests_with_state_before(stream):
        request = DoorRequest(before, before.site.doors[event.door], event.by, event.for_, event.at)
        if request.is_egress():
            assert outcome.decision == "grant", outcome


@SETTINGS
@given(streams())
def test_no_entry_request_is_granted_in_lockdown(stream: tuple[Event, ...]) -> None:
    for before, event, outcome in _requests_with_state_before(stream):
        request = DoorRequest(before, before.site.doors[event.door], event.by, event.for_, event.at)
        if before.lockdown is not None and not request.is_egress():
            assert outcome.decision == "deny"
            assert "LOCKDOWN" in outcome.reason_codes


@SETTINGS
@given(streams())
def test_a_door_is_granted_only_for_people_at_it(stream: tuple[Event, ...]) -> None:
    """A granted entry names only people in one of the door's two zones, or not placed.

    Not placed: a registered person the record has nowhere, or a visitor off site at a
    perimeter door (they come from the street side).
    """
    for before, event, outcome in _requests_with_state_before(stream):
        door = before.site.doors[event.door]
        if outcome.decision != "grant":
            continue
        for person_id in event.for_:
            zone = before.zone_of(person_id)
            if zone is not None:
                assert zone in (door.outward, door.inward), (person_id, zone, event)
            elif person_id not in before.people or before.person(person_id).role.value == "visitor":
                assert door.perimeter, (person_id, event)


@given(streams())
def test_presence_checks_of_newcomers_alone_raise_what_a_full_scan_raises(stream: tuple[Event, ...]) -> None:
    """Where nothing about a zone changed, only the people who moved are checked: never an alert less."""
    quick = outcomes_of(start_state(), stream)
    with patch.object(presence, "_settled", lambda *_: False):
        full = outcomes_of(start_state(), stream)
    assert quick == full


OFFSETS = st.integers(-12 * 4, 14 * 4).map(lambda quarters: timezone(timedelta(minutes=15 * quarters)))
"""Every offset from UTC in use, from -12:00 to +14:00, in quarters of an hour."""
SITE_ZONES = st.sampled_from([UTC, ZoneInfo("America/Mexico_City"), ZoneInfo("Asia/Kathmandu")])


def _written_with(raw: list[dict[str, Any]], offsets: list[tzinfo]) -> list[dict[str, Any]]:
    """The same events, each time written with the given offset (the same instant)."""
    return [
        {**item, "at": datetime.fromisoformat(item["at"]).astimezone(offset).isoformat()}
        for item, offset in zip(raw, offsets, strict=True)
    ]


@pytest.mark.slow
@SETTINGS
@given(raw_streams(), st.data(), SITE_ZONES)
def test_writing_times_with_other_offsets_changes_no_outcome(raw: list[dict[str, Any]], data: Any, zone: Any) -> None:
    """The same instants, each written with an offset of its own, give the same outcomes, word for word."""
    import yaml

    offsets = data.draw(st.lists(OFFSETS, min_size=len(raw), max_size=len(raw)))
    on = site()
    as_written = parse_events(yaml.safe_load(_yaml(raw)), on, zone, START)
    shifted = parse_events(yaml.safe_load(_yaml(_written_with(raw, offsets))), on, zone, START)
    first, second = outcomes_of(start_state(on), as_written), outcomes_of(start_state(on), shifted)
    assert [o.to_dict() for o in first] == [o.to_dict() for o in second]
