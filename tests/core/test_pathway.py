"""The pathway assessment: the long approach scores rising and crosses before the private
request; an ordinary weekly visitor stays low; what is kept is bounded; the policy is read
with its bounds; the assessment is the same for the same events."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from gatewatch.core import events as ev
from gatewatch.core import snapshot
from gatewatch.core.engine import run, step
from gatewatch.core.errors import InvalidInput
from gatewatch.core.outcome import Outcome
from gatewatch.core.parse import build_site
from gatewatch.core.pathway import MAX_MARKS, MAX_VISITS, Assessment, PathwayPolicy, assess
from gatewatch.core.state import State, initial_state
from gatewatch.files.loader import load_drill
from support import SITE_YAML, START, play, site, start_state

ROOT = Path(__file__).resolve().parents[2]
LONG_APPROACH = ROOT / "examples" / "coyoacan" / "1940-08-20-long-approach.yaml"


def played(path: Path) -> tuple[State, list[tuple[State, Outcome]]]:
    drill = load_drill(path)
    state = initial_state(drill.site, drill.people, drill.watchlist)
    steps = list(run(state, drill.events))
    return steps[-1][0], steps


@pytest.fixture(scope="module")
def long_approach() -> tuple[State, list[tuple[State, Outcome]]]:
    return played(LONG_APPROACH)


def assessed(state: State, person: str) -> Assessment:
    return assess(person, state.pathways[person], state.site.policy.pathway)


# --- the long approach ------------------------------------------------------------------------


def test_the_long_approach_scores_rising_visit_by_visit_and_crosses_before_the_private_request(
    long_approach: tuple[State, list[tuple[State, Outcome]]],
) -> None:
    final, steps = long_approach
    leaving = {v.left_event for v in final.pathways["jacson"].visits}
    at_leaving = [assessed(s, "jacson").score for s, o in steps if o.event in leaving]
    assert len(at_leaving) == 8  # eight visits before the last day, each scored as he leaves
    assert at_leaving == sorted(at_leaving)  # never falling from one visit to the next
    assert at_leaving[0] == 0 and at_leaving[-1] > at_leaving[2] > 0
    events = [o.event for _, o in steps]
    crossed = [o.event for _, o in steps if any(a.code.value == "PATHWAY_RISING" for a in o.alerts)]
    assert crossed == ["t17"]  # once, as he leaves his first tea in June
    assert events.index("t17") < events.index("q1")
    crossing = steps[events.index("t17")][0]
    assert assessed(crossing, "jacson").over
    assert not crossing.of_concern("jacson")  # the score alone makes nobody of concern
    last = assessed(final, "jacson")
    assert last.over and last.score >= last.threshold
    codes = [s.code for s in last.signals]
    assert {"depth_trend", "quickening", "outerwear"} <= set(codes)
    assert [s.points for s in last.signals] == sorted((s.points for s in last.signals), reverse=True)
    assert next(s for s in last.signals if s.code == "outerwear").events == ("z4",)
    present = {b.name for b in last.behaviours if b.present}
    assert {"pathway", "fixation", "energy_burst"} <= present
    assert [b.name for b in last.behaviours] == [
        "pathway",
        "fixation",
        "identification",
        "novel_aggression",
        "energy_burst",
        "leakage",
        "last_resort",
        "directly_communicated_threat",
    ]


def test_the_alert_names_the_score_and_the_threshold_but_not_the_signals(
    long_approach: tuple[State, list[tuple[State, Outcome]]],
) -> None:
    _, steps = long_approach
    (alert,) = [a for _, o in steps for a in o.alerts if a.code.value == "PATHWAY_RISING"]
    assert alert.severity.label == "high" and alert.people == ("jacson",) and alert.concern == ()
    assert "scores 11.5" in alert.message and "threshold 10" in alert.message
    assert "came deeper" not in alert.message and "faster" not in alert.message  # a guard is shown the alert


def test_the_visit_traces_say_how_deep_with_whom_and_how_searched(
    long_approach: tuple[State, list[tuple[State, Outcome]]],
) -> None:
    final, _ = long_approach
    visits = final.pathways["jacson"].visits
    assert [v.deepest for v in visits] == [0, 0, 1, 2, 3, 3, 3, 3, 4]
    tea = visits[4]
    assert (tea.arrived.event, tea.left_event, tea.deepest_zone, tea.deepest_event) == ("t2", "t17", "house", "t13")
    assert tea.escorted and tea.screening == "clear" and tea.hour == 16
    last = visits[-1]
    assert last.left is None and last.screening == "refused" and last.refused == ("raincoat",)
    assert last.deepest_zone == "study" and not last.escorted
    assert last.wearing == ("hat", "raincoat")


# --- an ordinary visitor ----------------------------------------------------------------------


def weekly_visit(n: int, at: datetime) -> list[ev.Event]:
    """The doctor: invited, let in, searched clear, into the yard where the lead stands, out."""
    tag = f"d{n}"
    return [
        ev.Invite(id=f"{tag}i", at=at - timedelta(minutes=30), by="res", person="doc"),
        ev.Arrive(id=f"{tag}a", at=at, people=("doc",), door="outer"),
        ev.Request(id=f"{tag}r", at=at, door="outer", by="g1", for_=("doc",)),
        ev.Open(id=f"{tag}o", at=at, door="outer"),
        ev.Move(id=f"{tag}m", at=at + timedelta(minutes=1), people=("doc",), to="lobby"),
        ev.Close(id=f"{tag}c", at=at + timedelta(minutes=1), door="outer"),
        ev.Screen(id=f"{tag}s", at=at + timedelta(minutes=2), person="doc", by="g1", result="clear"),
        ev.Request(id=f"{tag}r2", at=at + timedelta(minutes=2), door="inner", by="g1", for_=("doc",)),
        ev.Open(id=f"{tag}o2", at=at + timedelta(minutes=2), door="inner"),
        ev.Move(id=f"{tag}m2", at=at + timedelta(minutes=3), people=("doc",), to="yard"),
        ev.Close(id=f"{tag}c2", at=at + timedelta(minutes=3), door="inner"),
        ev.Leave(id=f"{tag}l", at=at + timedelta(minutes=50), people=("doc",)),
    ]


def with_gate_post(state: State, at: datetime) -> State:
    state, _ = step(state, ev.PostChange(id="post", at=at, post="gate", on_duty=("g1",)))
    return state


def test_a_weekly_doctor_stays_low_over_a_year() -> None:
    first = datetime(2024, 1, 2, 10, 0, tzinfo=UTC)
    state = with_gate_post(start_state(), first - timedelta(hours=1))
    outcomes: list[Outcome] = []
    for n in range(52):
        for event in weekly_visit(n, first + timedelta(weeks=n)):
            state, outcome = step(state, event)
            outcomes.append(outcome)
    assert [a.code.value for o in outcomes for a in o.alerts] == []
    pathway = state.pathways["doc"]
    assert len(pathway.visits) == 52 and {v.deepest for v in pathway.visits} == {2}
    assert all(v.escorted and v.screening == "clear" for v in pathway.visits)
    found = assessed(state, "doc")
    assert (found.score, found.over, found.signals) == (0.0, False, ())
    assert not any(b.present for b in found.behaviours)
    assert pathway.scores == ()  # never above nothing: no score was ever kept


# --- what the engine keeps and when it rescores ---------------------------------------------


def test_a_denied_request_is_marked_and_rescored_but_a_move_is_not() -> None:
    state, out = play("""
- {id: a1, at: "2024-06-03T10:00", type: arrive, people: [vic], door: outer}
- {id: r1, at: "10:00", type: request, door: outer, by: lead, for: [vic]}
""")
    assert out[-1].decision == "deny"
    pathway = state.pathways["vic"]
    assert [m.event for m in pathway.denials] == ["r1"]
    assert [(m.event, s) for m, s in pathway.scores] == [("r1", 2.0)]


def test_private_asks_identity_problems_and_indicators_are_marked() -> None:
    state, _ = play("""
- {id: i1, at: "2024-06-03T09:00", type: invite, by: boss, person: vic, private: true}
- {id: c1, at: "09:05", type: verify, person: vic, claim: employer, result: failed, by: lead}
- {id: o1, at: "09:10", type: observe, person: vic, by: lead, indicators: [Probing security, nervous]}
""")
    pathway = state.pathways["vic"]
    assert [m.event for m in pathway.private_asks] == ["i1"]
    assert [(m.event, code) for m, code in pathway.identity] == [("c1", "CLAIM_FAILED")]
    assert [(m.event, word) for m, word in pathway.indicators] == [("o1", "probing_security"), ("o1", "nervous")]
    found = assessed(state, "vic")
    assert {s.code: s.points for s in found.signals} == {"private_access": 3, "identity_problems": 3, "indicators": 4}
    pathway_behaviour = found.behaviours[0]
    assert pathway_behaviour.present and "probing_security" in pathway_behaviour.because
    assert set(pathway_behaviour.events) == {"i1", "o1"}


def test_an_invitation_a_host_may_not_give_is_no_private_ask() -> None:
    state, _ = play("""
- {id: i1, at: "2024-06-03T09:00", type: invite, by: v2, person: vic, private: true}
""")
    assert state.pathways.get("vic") is None


def test_a_trusted_visitor_and_staff_are_not_scored() -> None:
    state, out = play(
        """
- {id: v1, at: "2024-06-03T09:00", type: vet, person: vic, by: lead, clearance: trusted}
- {id: o1, at: "09:10", type: observe, person: vic, by: lead, indicators: [threat, weapon]}
- {id: o2, at: "09:11", type: observe, person: cook, by: lead, indicators: [threat, weapon]}
""",
        start_state(site("policy: {pathway: {threshold: 1}}")),
    )
    assert "cook" not in state.pathways  # staff keep no pathway
    kept = state.pathways["vic"]  # a visitor's is kept (a timeline reads it), but not scored
    assert [w for _, w in kept.indicators] == ["threat", "weapon"] and kept.scores == () and not kept.over
    assert all(a.code.value != "PATHWAY_RISING" for o in out for a in o.alerts)
    found = assess("vic", kept, state.site.policy.pathway, scored=False)
    assert (found.scored, found.score, found.signals, found.over) == (False, 0.0, (), False)
    assert not any(b.present for b in found.behaviours)


def test_what_is_kept_is_bounded() -> None:
    state = start_state()
    at = START + timedelta(hours=9)
    for n in range(MAX_VISITS + 5):
        at += timedelta(hours=1)
        state, _ = step(state, ev.Arrive(id=f"a{n}", at=at, people=("vic",), door="outer"))
        state, _ = step(state, ev.Leave(id=f"l{n}", at=at, people=("vic",)))
    for n in range(MAX_MARKS + 5):
        at += timedelta(minutes=1)
        state, _ = step(state, ev.Observe(id=f"o{n}", at=at, person="vic", by="lead", indicators=("pale",)))
    pathway = state.pathways["vic"]
    assert len(pathway.visits) == MAX_VISITS and pathway.visits[0].arrived.event == "a5"
    assert len(pathway.indicators) == MAX_MARKS and pathway.indicators[-1][0].event == f"o{MAX_MARKS + 4}"


def test_the_same_events_give_the_same_assessment() -> None:
    first, _ = played(LONG_APPROACH)
    second, _ = played(LONG_APPROACH)
    assert first.pathways == second.pathways
    assert assessed(first, "jacson") == assessed(second, "jacson")


def test_pathways_survive_a_snapshot(long_approach: tuple[State, list[tuple[State, Outcome]]]) -> None:
    final, _ = long_approach
    restored = snapshot.load(snapshot.dump(final), final.site)
    assert restored.pathways == final.pathways
    assert assessed(restored, "jacson") == assessed(final, "jacson")


def test_a_snapshot_of_the_state_before_pathways_is_not_used() -> None:
    """The desk finds snapshots by this digest: one kept by the earlier shape is never found."""
    built = site()
    assert snapshot.site_digest(built) != hashlib.sha256(repr(built).encode()).hexdigest()
    assert snapshot.site_digest(built) == snapshot.site_digest(site())


# --- the policy ---------------------------------------------------------------------------------


def test_the_policy_is_read_from_the_site_file_with_its_defaults() -> None:
    assert site().policy.pathway == PathwayPolicy()
    tuned = site("policy: {pathway: {threshold: 6, odd_hours_from: 22, odd_hours_to: 6}}").policy.pathway
    assert (tuned.threshold, tuned.odd_hours_from, tuned.odd_hours_to, tuned.window_days) == (6.0, 22, 6, 180)


@pytest.mark.parametrize(
    ("pathway", "words"),
    [
        ({"threshold": 10**9}, ["field 'threshold'", "from 0.5 to 1000"]),
        ({"depth_points": -1}, ["field 'depth_points'", "from 0 to 100"]),
        ({"odd_hours_from": 24}, ["field 'odd_hours_from'", "from 0 to 23"]),
        ({"window_days": 0}, ["field 'window_days'", "from 1 to 3,660"]),
        ({"quickening_ratio": float("nan")}, ["field 'quickening_ratio'"]),
        ({"weights": 3}, ["weights"]),
    ],
)
def test_a_pathway_policy_beyond_its_bounds_is_refused_naming_the_field(
    pathway: dict[str, object], words: list[str]
) -> None:
    raw = yaml.safe_load(SITE_YAML) | {"policy": {"pathway": pathway}}
    with pytest.raises(InvalidInput) as raised:
        build_site(raw)
    for word in words:
        assert word in str(raised.value)
