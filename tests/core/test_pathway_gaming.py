"""A visitor cannot talk the pathway's score down by coming and going: a visit or two that stop in
the street, which nobody need let them make, do not hide how deep they have come."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from gatewatch.core import events as ev
from gatewatch.core.engine import run, step
from gatewatch.core.outcome import Outcome
from gatewatch.core.pathway import assess
from gatewatch.core.state import State, initial_state
from gatewatch.files.loader import load_drill
from support import site, start_state

ROOT = Path(__file__).resolve().parents[2]
LONG_APPROACH = ROOT / "examples" / "coyoacan" / "1940-08-20-long-approach.yaml"
MINUTE = timedelta(minutes=1)


def street_visit(tag: str, at: datetime, door: str) -> list[ev.Event]:
    """In at the street door and straight out again: nobody lets them further, nobody need."""
    return [
        ev.Arrive(id=f"{tag}a", at=at, people=("vic",), door=door),
        ev.Leave(id=f"{tag}l", at=at + MINUTE, people=("vic",)),
    ]


def yard_visit(tag: str, at: datetime) -> list[ev.Event]:
    """Invited, let in, searched clear, into the yard where the lead stands, and out."""
    return [
        ev.Invite(id=f"{tag}i", at=at - 30 * MINUTE, by="res", person="vic"),
        ev.Arrive(id=f"{tag}a", at=at, people=("vic",), door="outer"),
        ev.Request(id=f"{tag}r", at=at, door="outer", by="g1", for_=("vic",)),
        ev.Open(id=f"{tag}o", at=at, door="outer"),
        ev.Move(id=f"{tag}m", at=at + MINUTE, people=("vic",), to="lobby"),
        ev.Close(id=f"{tag}c", at=at + MINUTE, door="outer"),
        ev.Screen(id=f"{tag}s", at=at + 2 * MINUTE, person="vic", by="g1", result="clear"),
        ev.Request(id=f"{tag}r2", at=at + 2 * MINUTE, door="inner", by="g1", for_=("vic",)),
        ev.Open(id=f"{tag}o2", at=at + 2 * MINUTE, door="inner"),
        ev.Move(id=f"{tag}m2", at=at + 3 * MINUTE, people=("vic",), to="yard"),
        ev.Close(id=f"{tag}c2", at=at + 3 * MINUTE, door="inner"),
        ev.Leave(id=f"{tag}l", at=at + 50 * MINUTE, people=("vic",)),
    ]


def test_two_visits_in_the_street_after_each_deep_one_do_not_hide_the_depth_trend() -> None:
    """Waiting in the street twice, then into the yard every week, each yard visit followed by two
    stops in the street: the yard is reached again and again, and the trend says so."""
    first = datetime(2024, 1, 2, 10, 0, tzinfo=UTC)
    state = start_state(site("policy: {pathway: {threshold: 5}}"))
    state, _ = step(state, ev.PostChange(id="post", at=first - timedelta(days=14), post="gate", on_duty=("g1",)))
    plan = [
        *street_visit("w1", first - timedelta(days=14), "outer"),
        *street_visit("w2", first - timedelta(days=7), "outer"),
    ]
    for week in range(4):
        at = first + timedelta(weeks=week)
        plan += yard_visit(f"y{week}", at)
        plan += street_visit(f"p{week}x", at + timedelta(days=1), "outer")
        plan += street_visit(f"p{week}y", at + timedelta(days=2), "outer")
    outcomes: list[Outcome] = []
    trend_at_yard: list[bool] = []
    for event in plan:
        state, outcome = step(state, event)
        outcomes.append(outcome)
        if event.id.startswith("y") and event.id.endswith("l"):
            found = assess("vic", state.pathways["vic"], state.site.policy.pathway)
            trend_at_yard.append(any(s.code == "depth_trend" for s in found.signals))
    assert trend_at_yard == [True] * 4  # as each yard visit ends, the trend is seen
    final = assess("vic", state.pathways["vic"], state.site.policy.pathway)
    trend = next(s for s in final.signals if s.code == "depth_trend")
    assert trend.points == 5.0 and "y3m2" in trend.events  # two levels above the street, where he went
    assert final.over
    raised = [o.event for o in outcomes if any(a.code.value == "PATHWAY_RISING" for a in o.alerts)]
    assert raised == ["y0l"]  # once: never taken back below by the stops in the street


def played_until(event_id: str) -> tuple[State, datetime]:
    drill = load_drill(LONG_APPROACH)
    state = initial_state(drill.site, drill.people, drill.watchlist)
    events = list(drill.events)
    cut = [e.id for e in events].index(event_id) + 1
    for state, _ in run(state, events[:cut]):  # noqa: B007, B020
        pass
    return state, events[cut - 1].at


def test_the_long_approach_stays_over_after_two_stops_in_the_street() -> None:
    state, at = played_until("t18")  # the first tea in June: the score has crossed
    policy = state.site.policy.pathway
    assert assess("jacson", state.pathways["jacson"], policy).over
    for n in range(2):
        at += timedelta(days=1)
        state, _ = step(state, ev.Arrive(id=f"g{n}a", at=at, people=("jacson",), door="street-door"))
        state, _ = step(state, ev.Leave(id=f"g{n}l", at=at + MINUTE, people=("jacson",)))
    found = assess("jacson", state.pathways["jacson"], policy)
    assert found.over and "depth_trend" in {s.code for s in found.signals}
    assert state.pathways["jacson"].over  # so the alert is not raised afresh at his next tea
