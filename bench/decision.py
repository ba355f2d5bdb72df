"""Decision latency: ``step`` on door requests, for a small site and a large generated one.

The small site has 10 doors and 50 people; the large one 500 doors, 20,000 people and
200,000 past visits in its history. Each round brings a person to a door (an ``arrive`` or
a ``move``, not timed) and times ``step`` on their ``request`` (timed), then lets them
through (``open``, ``move``, ``close``, timed separately as "other events"). The two sites
are measured side by side in the same run: state lives in indexes, so the large site's
figures should match the small one's.

    python bench/decision.py [--quick] [--seed N]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
from immutables import Map
from msgspec.structs import replace
from rich.console import Console
from rich.progress import track
from rich.table import Table

from gatewatch.core import events as ev
from gatewatch.core.engine import step
from gatewatch.core.parse import build_site
from gatewatch.core.site import Site
from gatewatch.core.state import Invitation, PastVisit, State, initial_state

START = datetime(2025, 5, 5, 8, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Size:
    label: str
    wings: int  # each wing: street-side door into a lobby, then yard, house and a private room
    people: int
    past_visits: int


SMALL = Size("small", wings=2, people=50, past_visits=0)
LARGE = Size("large", wings=100, people=20_000, past_visits=200_000)


def site_mapping(size: Size) -> dict[str, Any]:
    """A site of ``wings`` wings with five doors each: 10 doors for 2 wings, 500 for 100."""
    zones = [{"id": "street", "level": 0}]
    doors, posts = [], []
    for w in range(size.wings):
        zones += [
            {"id": f"lobby{w}", "level": 1},
            {"id": f"yard{w}", "level": 2},
            {"id": f"house{w}", "level": 3},
            {"id": f"room{w}", "level": 4, "private": True},
            {"id": f"store{w}", "level": 2},
        ]
        posts.append({"id": f"gate{w}", "zone": f"lobby{w}", "staff": 1, "staff_at_night": 2})
        doors += [
            {"id": f"outer{w}", "between": ["street", f"lobby{w}"], "controlled_by": f"gate{w}"},
            {
                "id": f"inner{w}",
                "between": [f"lobby{w}", f"yard{w}"],
                "controlled_by": f"gate{w}",
                "interlock": f"outer{w}",
            },
            {"id": f"front{w}", "between": [f"yard{w}", f"house{w}"]},
            {"id": f"room{w}-door", "between": [f"house{w}", f"room{w}"]},
            {"id": f"store{w}-door", "between": [f"lobby{w}", f"store{w}"], "controlled_by": f"gate{w}"},
        ]
    people = [{"id": f"guard{w}", "role": "guard", "name": f"Guard {w}"} for w in range(size.wings)]
    people += [{"id": "principal", "role": "principal", "name": "The Principal", "in": "room0"}]
    residents = max(1, size.people // 10)
    people += [
        {"id": f"res{i}", "role": "resident", "name": f"Resident {i}", "in": f"house{i % size.wings}"}
        for i in range(residents)
    ]
    people += [{"id": f"vis{i}", "role": "visitor", "name": f"Visitor {i}"} for i in range(size.people - len(people))]
    return {
        "site": f"bench-{size.label}",
        "timezone": "UTC",
        "night": {"from": "22:00", "to": "06:00"},
        "zones": zones,
        "doors": doors,
        "posts": posts,
        "people": people,
    }


def loaded_state(size: Size, rng: random.Random) -> State:
    """The site's people where they are, guards on post, and months of past visits."""
    site = build_site(site_mapping(size))
    state = initial_state(site)
    for w in range(size.wings):
        state, _ = step(state, ev.PostChange(id=f"p{w}", at=START, post=f"gate{w}", on_duty=(f"guard{w}",)))
    visitors = [p for p in state.people if p.startswith("vis")]
    history: dict[str, list[PastVisit]] = {}
    for _ in range(size.past_visits):
        who = rng.choice(visitors)
        started = START - timedelta(days=rng.randint(1, 110), minutes=rng.randint(0, 600))
        history.setdefault(who, []).append(PastVisit(started, rng.randint(0, 2)))
    ordered = {k: tuple(sorted(v, key=lambda p: p.started)) for k, v in history.items()}
    return replace(state, history=Map(ordered))


def invite_all(state: State, day: datetime) -> State:
    """Everyone visiting is expected today (a host's invitation), as on a busy open day."""
    invitations = state.invitations.mutate()
    for person in state.people:
        if person.startswith("vis"):
            invitations[person] = (Invitation(day.date(), "res0", False, "bench", "bench"),)
    return replace(state, invitations=invitations.finish())


def rounds(site: Site, state: State, count: int, rng: random.Random) -> tuple[list[int], list[int]]:
    """Nanoseconds per request step, and per other door event, over ``count`` rounds."""
    visitors = [p for p in state.people if p.startswith("vis")]
    residents = [p for p in state.people if p.startswith("res")]
    wings = len(site.posts)
    moment = START + timedelta(hours=1)
    requests: list[int] = []
    others: list[int] = []
    clock = time.perf_counter_ns
    for n in track(range(count), description=f"{site.id}: {count} rounds", transient=True):
        w = rng.randrange(wings)
        who = rng.choice(visitors if n % 2 else residents)
        moment += timedelta(seconds=7)
        state, _ = step(state, ev.Arrive(id=f"a{n}", at=moment, people=(who,), door=f"outer{w}"))
        timed = [
            ev.Request(id=f"r{n}", at=moment, door=f"outer{w}", by=f"guard{w}", for_=(who,)),
            ev.Open(id=f"o{n}", at=moment, door=f"outer{w}"),
            ev.Move(id=f"m{n}", at=moment, people=(who,), to=f"lobby{w}"),
            ev.Close(id=f"c{n}", at=moment, door=f"outer{w}"),
            ev.Request(id=f"x{n}", at=moment, door=f"outer{w}", by=f"guard{w}", for_=(who,)),
            ev.Leave(id=f"l{n}", at=moment, people=(who,)),
        ]
        for event in timed:
            began = clock()
            state, _ = step(state, event)
            spent = clock() - began
            (requests if isinstance(event, ev.Request) else others).append(spent)
    return requests, others


def percentile(samples: list[int], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] / 1000


def measure(size: Size, count: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    built = time.perf_counter()
    state = invite_all(loaded_state(size, rng), START)
    setup = time.perf_counter() - built
    warm, _ = rounds(state.site, state, min(500, count), random.Random(seed + 1))
    requests, others = rounds(state.site, state, count, random.Random(seed + 2))
    return {
        "size": size,
        "doors": len(state.site.doors),
        "people": len(state.people),
        "visits": sum(len(v) for v in state.history.values()),
        "setup": setup,
        "requests": requests,
        "others": others,
        "warm": len(warm),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2,000 rounds per site instead of 20,000")
    parser.add_argument("--seed", type=int, default=1940)
    args = parser.parse_args()
    count = 2_000 if args.quick else 20_000
    results = [measure(size, count, args.seed) for size in (SMALL, LARGE)]
    console = Console(width=max(130, Console().width))
    table = Table(title="step() latency per event, µs (lower is better)")
    for column in (
        "site",
        "doors",
        "people",
        "past visits",
        "requests timed",
        "request p50",
        "request p99",
        "other p50",
        "other p99",
        "set-up s",
    ):
        table.add_column(column, justify="right")
    for r in results:
        table.add_row(
            r["size"].label,
            f"{r['doors']:,}",
            f"{r['people']:,}",
            f"{r['visits']:,}",
            f"{len(r['requests']):,}",
            f"{percentile(r['requests'], 0.5):.1f}",
            f"{percentile(r['requests'], 0.99):.1f}",
            f"{percentile(r['others'], 0.5):.1f}",
            f"{percentile(r['others'], 0.99):.1f}",
            f"{r['setup']:.1f}",
        )
    console.print(table)
    small, large = results
    ratio = statistics.median(large["requests"]) / statistics.median(small["requests"])
    console.print(f"large/small request p50 ratio: {ratio:.2f} (1.0 = no growth with the site's size)")
    console.print(
        f"machine: {os.cpu_count()} cores, Python {platform.python_version()} "
        f"({platform.python_implementation()}), {platform.machine()}, msgspec {msgspec.__version__}"
    )
    target = all(percentile(r["requests"], 0.99) < 100 for r in results)
    console.print(f"target p99 < 100 µs at both sizes: {'met' if target else 'NOT met'}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
