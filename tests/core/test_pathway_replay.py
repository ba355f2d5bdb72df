"""The pathways a desk keeps do not depend on where it started from (Hypothesis).

A desk starts from its newest usable snapshot and replays the record after it; another starts
from nothing and replays it all. Both must keep the same pathways and raise the same alerts,
wherever the snapshot was taken: in the middle of a visit, between a rescore and the next, at
an hour the clocks went back. The site here keeps London's time, so the generated streams cross
the changes of the clocks, and a visit's hour is always the site's hour at its arrival.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.test_pathway_properties import event_body
from gatewatch.core import snapshot
from gatewatch.core.engine import run
from gatewatch.core.events import Event
from gatewatch.core.outcome import Outcome
from gatewatch.core.parse import parse_events
from gatewatch.core.pathway import assess
from gatewatch.core.state import State
from support import site, start_state

LONDON = ZoneInfo("Europe/London")
SITE = site("{timezone: Europe/London, policy: {pathway: {threshold: 4, odd_hours_from: 1, odd_hours_to: 3}}}")
"""The test site on London's clock, a low threshold (generated streams cross it often), and odd
hours from 01:00 to 03:00, the hours the clocks skip in March and repeat in October."""
STARTS = [
    datetime(2024, 3, 30, 22, 0, tzinfo=UTC),
    datetime(2024, 10, 26, 22, 0, tzinfo=UTC),
    datetime(2024, 6, 3, tzinfo=UTC),
]


def _events(start: datetime, stream: list[tuple[dict[str, Any], int]]) -> tuple[Event, ...]:
    at, raw = start, []
    for n, (body, gap) in enumerate(stream):
        at += timedelta(minutes=gap)
        raw.append({"id": f"e{n}", "at": at.astimezone(LONDON).isoformat(), **body})  # an hour repeated, told apart
    return parse_events(yaml.safe_load(yaml.safe_dump(raw)), SITE, LONDON, start)


def _played(state: State, events: tuple[Event, ...]) -> tuple[State, list[Outcome]]:
    outcomes = []
    for state, outcome in run(state, events):  # noqa: B007, B020
        outcomes.append(outcome)
    return state, outcomes


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    start=st.sampled_from(STARTS),
    stream=st.lists(st.tuples(event_body, st.integers(0, 6 * 60)), min_size=1, max_size=40),
    cut=st.integers(0, 40),
)
def test_a_desk_started_from_a_snapshot_keeps_the_pathways_of_one_started_from_nothing(
    start: datetime, stream: list[tuple[dict[str, Any], int]], cut: int
) -> None:
    events = _events(start, stream)
    cut = min(cut, len(events))
    whole, outcomes = _played(start_state(SITE), events)
    before, _ = _played(start_state(SITE), events[:cut])
    restored = snapshot.load(snapshot.dump(before), SITE)
    resumed, later = _played(restored, events[cut:])
    assert resumed.pathways == whole.pathways
    assert [(o.event, o.alerts) for o in later] == [(o.event, o.alerts) for o in outcomes[cut:]]
    policy = SITE.policy.pathway
    for person, pathway in whole.pathways.items():
        assert assess(person, resumed.pathways[person], policy) == assess(person, pathway, policy)
        assert all(v.hour == v.arrived.at.astimezone(LONDON).hour for v in pathway.visits)
