"""Properties of the pathway assessment (Hypothesis).

- an ordinary visitor (the same depth each time, a regular interval with some jitter, by day,
  searched clear, escorted) never reaches the threshold, however many visits;
- any pathway, under any policy within its bounds, scores the sum of its signals, never
  negative, and the same pathway always gets the same assessment;
- through the engine, the same events give the same pathways, and PATHWAY_RISING never comes
  at a move or a granted request, nor makes anyone of concern.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gatewatch.core import events as ev
from gatewatch.core.engine import run, step
from gatewatch.core.outcome import Outcome
from gatewatch.core.parse import parse_events
from gatewatch.core.pathway import Mark, Pathway, PathwayPolicy, VisitTrace, assess, score_of
from gatewatch.core.state import State
from support import START, site, start_state

FIRST = datetime(2024, 1, 2, 0, 0, tzinfo=UTC)


def ordinary_visit(n: int, at: datetime, depth: int) -> list[ev.Event]:
    """Invited, let in and searched as the site asks, as deep as ``depth`` with the lead beside
    them from the yard on, and out; the lead goes back to the yard."""
    tag, minute = f"d{n}", timedelta(minutes=1)
    events: list[ev.Event] = [
        ev.Invite(id=f"{tag}i", at=at - 30 * minute, by="res", person="doc"),
        ev.Arrive(id=f"{tag}a", at=at, people=("doc",), door="outer"),
    ]
    if depth >= 1:
        events += [
            ev.Request(id=f"{tag}r", at=at, door="outer", by="g1", for_=("doc",)),
            ev.Open(id=f"{tag}o", at=at, door="outer"),
            ev.Move(id=f"{tag}m", at=at + minute, people=("doc",), to="lobby"),
            ev.Close(id=f"{tag}c", at=at + minute, door="outer"),
        ]
    if depth >= 2:
        events += [
            ev.Screen(id=f"{tag}s", at=at + 2 * minute, person="doc", by="g1", result="clear"),
            ev.Request(id=f"{tag}r2", at=at + 2 * minute, door="inner", by="g1", for_=("doc",)),
            ev.Open(id=f"{tag}o2", at=at + 2 * minute, door="inner"),
            ev.Move(id=f"{tag}m2", at=at + 3 * minute, people=("doc",), to="yard"),
            ev.Close(id=f"{tag}c2", at=at + 3 * minute, door="inner"),
        ]
    for zone, level in (("house", 3), ("office", 4)):
        if depth >= level:
            events.append(ev.Move(id=f"{tag}{zone}", at=at + (2 + level) * minute, people=("doc", "lead"), to=zone))
    events.append(ev.Leave(id=f"{tag}l", at=at + 50 * minute, people=("doc",)))
    if depth >= 3:
        events.append(ev.Move(id=f"{tag}back", at=at + 51 * minute, people=("lead",), to="yard"))
    return events


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    depth=st.integers(0, 4),
    every=st.integers(1, 30),
    hour=st.integers(9, 16),
    jitters=st.lists(st.tuples(st.floats(-1.0, 1.0), st.integers(-1, 1)), min_size=1, max_size=60),
)
def test_an_ordinary_visitor_never_reaches_the_threshold(
    depth: int, every: int, hour: int, jitters: list[tuple[float, int]]
) -> None:
    state, _ = step(start_state(), ev.PostChange(id="post", at=FIRST, post="gate", on_duty=("g1",)))
    slack = every // 4  # whole days either way: the visits stay in order, a day or more apart
    outcomes: list[Outcome] = []
    for n, (days, hours) in enumerate(jitters):
        at = FIRST + timedelta(days=n * every + round(days * slack), hours=hour + hours)
        for event in ordinary_visit(n, at, depth):
            state, outcome = step(state, event)
            outcomes.append(outcome)
    assert [a.code.value for o in outcomes for a in o.alerts] == []
    pathway = state.pathways["doc"]
    assert len(pathway.visits) == len(jitters) and {v.deepest for v in pathway.visits} == {depth}
    threshold = state.site.policy.pathway.threshold
    assert all(score < threshold for _, score in pathway.scores) and not pathway.over
    assert not assess("doc", pathway, state.site.policy.pathway).over


# --- any pathway, any policy ------------------------------------------------------------------

moments = st.integers(0, 400 * 24 * 60).map(lambda minutes: FIRST + timedelta(minutes=minutes))
words = st.sampled_from(["pale", "nervous", "threat", "fixation", "leakage", "weapon", "Probing security"])
codes = st.sampled_from(["IDENTITY_CONFLICT", "CLAIM_FAILED", "WATCHLIST_MATCH"])


@st.composite
def marks(draw: Any, label: str) -> tuple[Mark, ...]:
    times = sorted(draw(st.lists(moments, max_size=8)))
    return tuple(Mark(f"{label}{i}", at) for i, at in enumerate(times))


@st.composite
def pathways(draw: Any) -> Pathway:
    arrivals = sorted(draw(st.lists(moments, max_size=30, unique=True)))
    visits = []
    for i, at in enumerate(arrivals):
        closed = i < len(arrivals) - 1 or draw(st.booleans())
        visits.append(
            VisitTrace(
                arrived=Mark(f"a{i}", at),
                left=at + timedelta(minutes=30) if closed else None,
                left_event=f"l{i}" if closed else None,
                deepest=draw(st.integers(0, 6)),
                deepest_zone=None,
                deepest_event=draw(st.sampled_from([None, f"m{i}"])),
                hour=draw(st.integers(0, 23)),
                escorted=draw(st.booleans()),
                screening=draw(st.sampled_from([None, "clear", "found", "refused"])),
                surrendered=(),
                refused=(),
                wearing=(),
            )
        )
    return Pathway(
        visits=tuple(visits),
        private_asks=draw(marks("p")),
        denials=draw(marks("d")),
        refusals=draw(marks("r")),
        outerwear=draw(marks("w")),
        identity=tuple((m, draw(codes)) for m in draw(marks("i"))),
        indicators=tuple((m, draw(words)) for m in draw(marks("o"))),
    )


points = st.floats(0, 100)
policies = st.builds(
    PathwayPolicy,
    threshold=st.floats(0.5, 1000),
    window_days=st.integers(1, 3660),
    depth_points=points,
    trend_visits=st.integers(1, 12),
    quickening_points=points,
    quickening_ratio=st.floats(0.05, 1.0),
    quickening_intervals=st.integers(2, 12),
    private_access_points=points,
    denied_points=points,
    odd_hours_points=points,
    odd_hours_from=st.integers(0, 23),
    odd_hours_to=st.integers(0, 23),
    identity_points=points,
    indicator_points=points,
    high_indicator_points=points,
    counted=st.integers(1, 50),
)


@settings(max_examples=300, deadline=None)
@given(pathway=pathways(), policy=policies)
def test_a_score_is_its_signals_summed_never_negative_and_the_same_each_time(
    pathway: Pathway, policy: PathwayPolicy
) -> None:
    found = assess("vic", pathway, policy)
    assert found.score >= 0 and all(s.points > 0 for s in found.signals)
    assert found.score == score_of(found.signals)
    assert found.over == (found.score >= policy.threshold)
    assert [s.points for s in found.signals] == sorted((s.points for s in found.signals), reverse=True)
    assert len(found.behaviours) == 8
    named = {v.arrived.event for v in pathway.visits} | {v.deepest_event for v in pathway.visits}
    named |= {
        m.event for kind in (pathway.private_asks, pathway.denials, pathway.refusals, pathway.outerwear) for m in kind
    }
    named |= {m.event for m, _ in (*pathway.identity, *pathway.indicators)}
    assert all(e in named for s in found.signals for e in s.events)
    assert all(b.events == () and b.because == "" for b in found.behaviours if not b.present)
    assert assess("vic", pathway, policy) == found


# --- through the engine ------------------------------------------------------------------------

VISITORS = ["v1", "v2"]
visitor = st.sampled_from(VISITORS)
zone = st.sampled_from(["street", "lobby", "yard", "house", "office"])
event_body = st.one_of(
    st.builds(lambda p, d: {"type": "arrive", "people": [p], "door": d}, visitor, st.sampled_from(["outer", "side"])),
    st.builds(lambda p, z: {"type": "move", "people": [p], "to": z}, visitor, zone),
    st.builds(lambda p: {"type": "leave", "people": [p]}, visitor),
    st.builds(
        lambda p, r: {
            "type": "screen",
            "person": p,
            "by": "lead",
            "result": r,
            "refused": ["bag"] if r == "refused" else [],
        },
        visitor,
        st.sampled_from(["clear", "found", "refused"]),
    ),
    st.builds(
        lambda p, w: {"type": "observe", "person": p, "by": "lead", "indicators": w},
        visitor,
        st.lists(st.sampled_from(["pale", "threat", "fixation"]), min_size=1, max_size=2),
    ),
    st.builds(lambda p, pr: {"type": "invite", "by": "res", "person": p, "private": pr}, visitor, st.booleans()),
    st.builds(
        lambda p, d: {"type": "request", "door": d, "by": "lead", "for": [p]},
        visitor,
        st.sampled_from(["outer", "inner", "side", "office-door"]),
    ),
    st.builds(lambda d: {"type": "open", "door": d}, st.sampled_from(["outer", "inner", "side"])),
    st.builds(lambda d: {"type": "close", "door": d}, st.sampled_from(["outer", "inner", "side"])),
)
LOW_THRESHOLD = site("policy: {pathway: {threshold: 4}}")
"""The test site with a threshold low enough for generated streams to cross it often."""
streams = st.lists(st.tuples(event_body, st.integers(0, 3 * 24 * 60)), min_size=1, max_size=40)


def _events(stream: list[tuple[dict[str, Any], int]]) -> tuple[ev.Event, ...]:
    at, raw = START, []
    for n, (body, gap) in enumerate(stream):
        at += timedelta(minutes=gap)
        raw.append({"id": f"e{n}", "at": at.strftime("%Y-%m-%dT%H:%M"), **body})
    return parse_events(yaml.safe_load(yaml.safe_dump(raw)), LOW_THRESHOLD, UTC, START)


def _played(events: tuple[ev.Event, ...]) -> tuple[State, list[Outcome]]:
    state = start_state(LOW_THRESHOLD)
    outcomes = []
    for state, outcome in run(state, events):  # noqa: B007, B020
        outcomes.append(outcome)
    return state, outcomes


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stream=streams)
def test_the_engine_keeps_pathways_alike_and_raises_the_alert_only_where_it_rescores(
    stream: list[tuple[dict[str, Any], int]],
) -> None:
    events = _events(stream)
    first, outcomes = _played(events)
    second, _ = _played(events)
    assert first.pathways == second.pathways
    policy = first.site.policy.pathway
    for person, pathway in first.pathways.items():
        assert assess(person, pathway, policy) == assess(person, second.pathways[person], policy)
        assert all(score >= 0 for _, score in pathway.scores)
    for outcome in outcomes:
        rising = [a for a in outcome.alerts if a.code.value == "PATHWAY_RISING"]
        assert all(a.concern == () for a in rising)
        if outcome.type == "move" or (outcome.type == "request" and outcome.decision == "grant"):
            assert rising == []
