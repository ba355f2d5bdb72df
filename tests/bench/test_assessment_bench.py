"""The pathway benchmark: its visitors are what it says they are, and ``--quick`` prints its table.

A regular visitor's year, played through the engine, is granted at every door and stays below
the threshold; an approaching visitor's goes over it, for the reasons the benchmark describes.
The quick run is checked for its table's rows only: nothing here is timed.
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from gatewatch.core.parse import build_site
from gatewatch.core.pathway import Pathway, assess
from gatewatch.core.state import initial_state

ROOT = Path(__file__).resolve().parents[2]
BENCH = str(ROOT / "bench")
# on the path only while the benchmark's modules load: its service.py must not hide the tests' own
# service folder (a module anywhere on the path wins over a folder without __init__.py)
sys.path.insert(0, BENCH)
try:
    import assessment as bench
finally:
    sys.path.remove(BENCH)

SITE = bench.Size("test", wings=2, people=50, past_visits=0)


def played(plans: list[bench.Plan]) -> bench.Engine:
    raw = bench.mapping(SITE)
    engine = bench.Engine(initial_state(build_site(raw)))
    escorts = bench.escorts_of(raw["people"], SITE.wings, random.Random(3))
    bench.play([bench.opening(SITE.wings)], plans, escorts, engine)
    return engine


def plans_of(kind: str, seed: int) -> list[bench.Plan]:
    make = {"ordinary": bench.ordinary, "approaching": bench.approaching}[kind]
    rng = random.Random(seed)
    plans: list[bench.Plan] = []
    while len(plans) < 12:  # a regular who comes often enough to have a pathway worth reading
        plans = make(iter(range(10_000)), "vis0", 0, rng)
    return plans


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_regular_is_let_in_as_deep_as_planned_every_time_and_stays_low(seed: int) -> None:
    plans = plans_of("ordinary", seed)
    engine = played(plans)
    pathway = engine.state.pathways["vis0"]
    assert engine.decisions["deny"] == 0 and engine.decisions["grant"] >= len(plans)
    assert [v.deepest for v in pathway.visits] == [p.depth for p in plans]
    assert all(v.left is not None for v in pathway.visits)
    assert not assess("vis0", pathway, engine.state.site.policy.pathway).over


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_an_approaching_visitor_goes_over_for_the_reasons_given(seed: int) -> None:
    engine = played(plans_of("approaching", seed))
    found = assess("vis0", engine.state.pathways.get("vis0", Pathway()), engine.state.site.policy.pathway)
    assert found.over
    assert {"depth_trend", "quickening", "private_access", "outerwear", "screening_refused"} <= {
        s.code for s in found.signals
    }


def test_a_year_of_visits_is_as_many_as_asked_in_time_order() -> None:
    size = bench.Size("test", wings=4, people=400, past_visits=3_000)
    plans = bench.plans_for(size, random.Random(5))
    assert len(plans) == 3_000
    assert [p.at for p in plans] == sorted(p.at for p in plans)
    assert {p.kind for p in plans} == {"ordinary", "irregular", "approaching"}


@pytest.mark.slow
def test_the_quick_run_prints_every_row_of_its_table() -> None:
    run = subprocess.run(
        [sys.executable, "bench/assessment.py", "--quick", "--markdown"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1_800,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Pathway assessment and case reports: site quick, 2,000 people" in run.stdout
    table = [line.strip("| ").split(" | ") for line in run.stdout.splitlines() if line.startswith("| ")]
    assert table[0] == ["measure", "wall clock", "CPU (this thread)", "target", "met"]
    measures = [row[0] for row in table[1:]]
    beginnings = [
        "fold: 20,000 visits, ",
        "fold: of it, the pathway stage (follow)",
        "full rescore: assess every scored visitor (1,789; ",
        "from scratch, the pathway's own work",
        "one event (1,000): update + rescore of the person (follow)",
        "one event: the whole step",
        "one event: the same step without the pathway stage",
        "one event: assess the person",
        "one event: what the pathway adds to step",
        f"case report ({bench.REPORT_EVENTS} events, 60 visits): content",
        "case report: HTML",
        "case report: PDF",
    ]
    assert len(measures) == len(beginnings)
    assert all(m.startswith(b) for m, b in zip(measures, beginnings, strict=True)), measures
    assert all(row[1] for row in table[1:])  # every measure has its figure
    for row in (table[3], table[5]):  # the full rescore and the one event's update + rescore
        assert row[3] and row[4] in ("met", "met by CPU time only", "NOT met")
    assert "over the threshold after the fold: ordinary" in run.stdout
