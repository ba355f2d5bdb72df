"""The pathway assessment and case reports, measured: a full rescore, one event, and a report.

1. **From scratch.** The large site of ``bench/decision.py`` (500 doors, 20,000 people) and a
   year of 200,000 visits, played as events through the engine's ``step``: each visit a small
   script (an invitation, the arrival, the request, door and move at each door down to the depth
   it goes, a search before the yard, an escort into the house, the departure) that reacts to the
   engine's decisions (a visitor refused at a door goes home). Most visitors are ordinary regulars
   (the same weekday and hour, the same depth), some irregular (any day, any hour from 06:00 to
   21:00, their depth changing, now and then no invitation), and a few approaching (deeper and
   sooner each time, observed, asking for the principal alone, a raincoat on a hot day). The
   fold is the whole ``step`` per event, and of it the time spent in the pathway's own update
   (``steps.pathway.follow``, timed where the engine calls it). Then ``assess`` on every scored
   visitor: the full rescore.
2. **One event more.** For a random visitor, an arrival, a departure or an observation: the
   whole ``step`` and, inside it, the update and rescore of that one person (``follow``), the
   same ``step`` without the pathway stage (``follow`` skipped), and ``assess`` of the person
   (the explanation a page shows): p50, p99, max. Each is pure, so each is run twice on the same
   state, once timed by the wall clock and once by the thread's CPU clock (which leaves out the
   time another process held the core), in a random order.
3. **A case report.** A visitor with about 60 visits and observations, played through the desk
   into a real record (SQLite in a temporary folder), 500 events naming them with the case
   opened on them and a note: building the report's content (``reports.case.case_report``),
   the HTML and the PDF (medians of a few runs), and the PDF's size.

    python bench/assessment.py [--quick] [--seed N] [--markdown]
"""

from __future__ import annotations

import argparse
import gc
import heapq
import io
import itertools
import math
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import msgspec
import yaml
from rich.console import Console
from rich.table import Table

from decision import LARGE, START, Size, percentile, site_mapping
from gatewatch.core import events as ev
from gatewatch.core.engine import step
from gatewatch.core.parse import build_site
from gatewatch.core.pathway import Pathway, assess
from gatewatch.core.state import State, initial_state
from gatewatch.core.steps import pathway as pathway_steps

QUICK = Size("quick", wings=10, people=2_000, past_visits=20_000)
YEAR_DAYS = 365
EXTRA = ("agitated", "nervous", "pale", "sweating", "evasive")
"""Indicators a guard may note about anyone."""
FULL_RESCORE_S = 10.0
INCREMENTAL_P99_US = 1_000.0
REPORT_EVENTS = 500

Decide = Callable[[ev.Event], str | None]
"""Decides one event (through ``step`` or the desk): its decision, ``grant``, ``deny`` or None."""
Script = Generator[ev.Event, str | None, None]
"""Yields events in time order; each is sent back its decision."""


# --- the site and the visits ------------------------------------------------------------------


def mapping(size: Size, lead: bool = False) -> dict[str, Any]:
    """``bench/decision.py``'s site, its residents able to escort their visitors (and a lead)."""
    found = site_mapping(size)
    for person in found["people"]:
        if person["role"] == "resident":
            person["escort"] = True
    if lead:
        found["people"].append({"id": "lead", "role": "staff", "name": "The Lead", "lead": True})
    return found


def wing_of(person: str, wings: int) -> int:
    """The wing a visitor comes to (a visitor always comes to the same one)."""
    return int(person.removeprefix("vis").removeprefix("res")) % wings


@dataclass(frozen=True)
class Plan:
    """One visit as planned. ``depth``: 0 the street, 1 the lobby, 2 the yard, 3 the house (escorted)."""

    no: int
    kind: str
    visitor: str
    wing: int
    at: datetime
    stay: timedelta
    depth: int
    invited: bool = True
    private_invite: bool = False
    private_request: bool = False
    raincoat: bool = False
    """Heavy outerwear on a hot afternoon, refused at the search."""
    observed: tuple[str, ...] = ()


@dataclass
class Escorts:
    """Which residents are busy escorting someone, until when (a resident escorts one visitor at a time)."""

    of_wing: dict[int, list[str]]
    rng: random.Random
    busy: dict[str, datetime] = field(default_factory=dict)

    def take(self, wing: int, at: datetime, until: datetime) -> str | None:
        free = [r for r in self.of_wing.get(wing, ()) if self.busy.get(r, at) <= at]
        if not free:
            return None
        chosen = self.rng.choice(free)
        self.busy[chosen] = until
        return chosen


def visit(plan: Plan, escorts: Escorts) -> Script:
    """One visit's events, as far in as the doors let the visitor go (refused: they go home)."""
    p, w = plan.visitor, plan.wing
    guard, outer, inner = f"guard{w}", f"outer{w}", f"inner{w}"
    number = itertools.count()

    def at(minutes: float) -> datetime:
        return plan.at + timedelta(minutes=minutes)

    def eid() -> str:
        return f"v{plan.no}-{next(number)}"

    def through(door: str, zone: str, minutes: float) -> Script:
        yield ev.Open(id=eid(), at=at(minutes), door=door)
        yield ev.Move(id=eid(), at=at(minutes + 0.5), people=(p,), to=zone)
        yield ev.Close(id=eid(), at=at(minutes + 0.5), door=door)

    if plan.invited:
        yield ev.Invite(id=eid(), at=at(-30), by=f"res{w}", person=p, purpose="a visit")
    if plan.private_invite:
        yield ev.Invite(id=eid(), at=at(-20), by="principal", person=p, private=True, purpose="a word alone")
    if plan.raincoat:
        yield ev.Weather(id=eid(), at=at(-5), temp_c=31)
    yield ev.Arrive(id=eid(), at=at(0), people=(p,), door=outer, wearing=("raincoat",) if plan.raincoat else ())
    for n, word in enumerate(plan.observed):
        yield ev.Observe(id=eid(), at=at(0.2 + n / 10), person=p, by=guard, indicators=(word,))
    deepest = 0
    if plan.depth >= 1 and (yield ev.Request(id=eid(), at=at(1), door=outer, by=guard, for_=(p,))) == "grant":
        yield from through(outer, f"lobby{w}", 1)
        deepest = 1
    if deepest == 1 and plan.depth >= 2:
        if plan.raincoat:
            yield ev.Screen(id=eid(), at=at(3), person=p, by=guard, result="refused", refused=("raincoat",))
        else:
            yield ev.Screen(id=eid(), at=at(3), person=p, by=guard, result="clear")
        if (yield ev.Request(id=eid(), at=at(4), door=inner, by=guard, for_=(p,))) == "grant":
            yield from through(inner, f"yard{w}", 4)
            deepest = 2
    escort = escorts.take(w, at(5), at(plan.stay.total_seconds() / 60)) if deepest == 2 and plan.depth >= 3 else None
    if escort is not None:
        yield ev.Move(id=eid(), at=at(6), people=(escort,), to=f"yard{w}")
        yield ev.Move(id=eid(), at=at(7), people=(escort, p), to=f"house{w}")
        if plan.private_request:
            yield ev.Request(id=eid(), at=at(20), door=f"room{w}-door", by=escort, for_=(p,))
    yield ev.Leave(id=eid(), at=at(plan.stay.total_seconds() / 60), people=(p,))


def opening(wings: int) -> Script:
    """The guards take their posts."""
    for w in range(wings):
        yield ev.PostChange(id=f"p{w}", at=START, post=f"gate{w}", on_duty=(f"guard{w}",))


def weather(days: int, rng: random.Random) -> Script:
    """The day's temperature, reported each morning at 05:00 (warmest in July)."""
    for day in range(days):
        moment = START.replace(hour=5, minute=0) + timedelta(days=day)
        season = math.cos((moment.timetuple().tm_yday - 200) / 365 * 2 * math.pi)
        yield ev.Weather(id=f"w{day}", at=moment, temp_c=round(15 + 8 * season + rng.uniform(-3, 3), 1))


def ordinary(no: Iterator[int], p: str, wing: int, rng: random.Random) -> list[Plan]:
    """A regular: every 1, 2, 4 or 13 weeks on the same weekday and hour, always as deep."""
    weeks = rng.choices((1, 2, 4, 13), weights=(8, 12, 30, 50))[0]
    first = START + timedelta(days=rng.randrange(1, weeks * 7 + 1))
    hour, minute = rng.randint(8, 16), rng.randrange(60)
    depth, stay = rng.choices((1, 2, 3), weights=(35, 45, 20))[0], rng.randint(30, 150)
    out = []
    day = first.replace(hour=hour, minute=minute)
    while day < START + timedelta(days=YEAR_DAYS):
        jitter = timedelta(minutes=rng.randint(-10, 10))
        out.append(Plan(next(no), "ordinary", p, wing, day + jitter, timedelta(minutes=stay), depth))
        day += timedelta(weeks=weeks)
    return out


def irregular(no: Iterator[int], p: str, wing: int, rng: random.Random) -> list[Plan]:
    """Any day, any hour from 06:00 to 21:00, the depth changing; now and then no invitation."""
    days = sorted(rng.sample(range(1, YEAR_DAYS), rng.randint(2, 20)))
    return [
        Plan(
            next(no),
            "irregular",
            p,
            wing,
            START.replace(hour=rng.randint(6, 21), minute=rng.randrange(60)) + timedelta(days=d),
            timedelta(minutes=rng.randint(20, 120)),
            rng.choices((1, 2, 3), weights=(45, 40, 15))[0],
            invited=rng.random() > 0.08,
        )
        for d in days
    ]


def approaching(no: Iterator[int], p: str, wing: int, rng: random.Random) -> list[Plan]:
    """Deeper and sooner at each visit; observed towards the end; asks for the principal alone;
    the last time, a raincoat on a hot afternoon."""
    k = rng.randint(14, 24)
    ratio = (3 / 35) ** (1 / (k - 2))
    gaps = [35 * ratio**j for j in range(k - 1)]
    end = rng.randint(300, YEAR_DAYS - 2)
    scale = min(1.0, (end - 1) / sum(gaps))
    days = [end - round(scale * sum(gaps[j:])) for j in range(k - 1)] + [end]
    out = []
    for i, day in enumerate(days):
        late = i >= k * 0.7
        out.append(
            Plan(
                next(no),
                "approaching",
                p,
                wing,
                START.replace(hour=rng.randint(15, 17), minute=rng.randrange(60)) + timedelta(days=day),
                timedelta(minutes=rng.randint(20, 70)),
                min(3, 4 * i // k),
                private_invite=i in (k - 3, k - 2),
                private_request=i == k - 2,
                raincoat=i == k - 1,
                observed=(rng.choice(EXTRA),) if late and rng.random() < 0.5 else (),
            )
        )
    return out


def plans_for(size: Size, rng: random.Random) -> list[Plan]:
    """A year of ``size.past_visits`` visits to the site's visitors, in the order they arrive."""
    visitors = [p["id"] for p in site_mapping(size)["people"] if p["role"] == "visitor"]
    rng.shuffle(visitors)
    few, some = max(3, len(visitors) // 200), len(visitors) * 13 // 100
    no = itertools.count()
    plans: list[Plan] = []
    for n, p in enumerate(visitors):
        make = approaching if n < few else irregular if n < few + some else ordinary
        plans += make(no, p, wing_of(p, size.wings), rng)
    regular = [i for i, plan in enumerate(plans) if plan.kind == "ordinary"]
    excess = len(plans) - size.past_visits
    if excess < 0 or excess > len(regular):
        raise ValueError(f"{size.label}: {len(plans):,} visits planned, cannot make {size.past_visits:,}")
    missed = set(rng.sample(regular, excess))  # a regular misses a visit now and then
    return sorted((plan for i, plan in enumerate(plans) if i not in missed), key=lambda plan: plan.at)


LOOKAHEAD = timedelta(hours=1)
"""A visit's first event comes at most this long before its arrival (the invitation)."""


def play(scripts: list[Script], plans: list[Plan], escorts: Escorts, decide: Decide) -> int:
    """Every script's events in time order, each decided and its decision sent back; how many."""
    waiting: list[tuple[datetime, int, Script, ev.Event]] = []
    order = itertools.count()

    def start(script: Script) -> None:
        event = next(script, None)
        if event is not None:
            heapq.heappush(waiting, (event.at, next(order), script, event))

    for script in scripts:
        start(script)
    upcoming, played = iter(plans), 0
    plan = next(upcoming, None)
    while waiting or plan is not None:
        while plan is not None and (not waiting or plan.at - LOOKAHEAD <= waiting[0][0]):
            start(visit(plan, escorts))
            plan = next(upcoming, None)
        _, _, script, event = heapq.heappop(waiting)
        decision = decide(event)
        played += 1
        try:
            following = script.send(decision)
        except StopIteration:
            continue
        heapq.heappush(waiting, (following.at, next(order), script, following))
    return played


def escorts_of(people: list[dict[str, Any]], wings: int, rng: random.Random) -> Escorts:
    residents: dict[int, list[str]] = {}
    for person in people:
        if person["role"] == "resident":
            residents.setdefault(wing_of(person["id"], wings), []).append(person["id"])
    return Escorts(residents, rng)


# --- 1. from scratch --------------------------------------------------------------------------


@dataclass
class Spent:
    """Seconds by the wall clock and by this thread's CPU clock (a shared machine's waits are in the first only)."""

    wall: float = 0.0
    cpu: float = 0.0


@contextmanager
def spent(into: list[Spent]) -> Iterator[None]:
    """Time the block by both clocks (for blocks of milliseconds or more: the clocks cost a microsecond or two)."""
    wall, cpu = time.perf_counter(), time.thread_time()
    yield
    into.append(Spent(time.perf_counter() - wall, time.thread_time() - cpu))


def median_of(found: list[Spent]) -> Spent:
    return Spent(statistics.median(s.wall for s in found), statistics.median(s.cpu for s in found))


@contextmanager
def core_share(shares: dict[str, float], phase: str) -> Iterator[None]:
    """How much of a core this process had while ``phase`` ran (CPU time over wall time): on a
    machine shared with other work, below 1 the timings include waiting for the CPU."""
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    shares[phase] = (time.process_time() - cpu) / max(time.perf_counter() - wall, 1e-9)


@dataclass
class Collections:
    """The garbage collector's full collections (generation 2) while a phase ran: they stop the
    process, whatever it is doing, for as long as it takes to go over every object it holds."""

    count: int = 0
    longest: float = 0.0
    total: float = 0.0

    @contextmanager
    def watched(self) -> Iterator[None]:
        began: list[float] = []

        def watch(phase: str, info: dict[str, int]) -> None:
            if info["generation"] < 2:
                return
            if phase == "start":
                began.append(time.perf_counter())
            elif began:
                spent = time.perf_counter() - began.pop()
                self.count, self.total, self.longest = self.count + 1, self.total + spent, max(self.longest, spent)

        gc.callbacks.append(watch)
        try:
            yield
        finally:
            gc.callbacks.remove(watch)

    def said(self) -> str:
        return f"{self.count}, the longest {self.longest * 1000:,.0f} ms, {self.total:,.1f} s in all"


@contextmanager
def follow_replaced(stand_in: Callable[..., Any]) -> Iterator[None]:
    """The engine calls the pathway stage through its module (``pathway.follow``): put ``stand_in`` there."""
    real = pathway_steps.follow
    pathway_steps.follow = stand_in
    try:
        yield
    finally:
        pathway_steps.follow = real


@dataclass
class Engine:
    """Decides events with ``step``, timing each step and the pathway stage inside it."""

    state: State
    stepping_ns: int = 0
    following_ns: int = 0
    decisions: Counter[str] = field(default_factory=Counter)
    alerts: Counter[str] = field(default_factory=Counter)

    def __call__(self, event: ev.Event) -> str | None:
        clock = time.perf_counter_ns
        began = clock()
        self.state, outcome = step(self.state, event)
        self.stepping_ns += clock() - began
        if outcome.decision is not None:
            self.decisions[outcome.decision] += 1
        for alert in outcome.alerts:
            self.alerts[alert.code.value] += 1
        return outcome.decision

    def timed_follow(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def follow(*args: Any) -> Any:
            clock = time.perf_counter_ns
            began = clock()
            found = real(*args)
            self.following_ns += clock() - began
            return found

        return follow


@dataclass
class Scratch:
    state: State
    kinds: dict[str, str]
    events: int
    visits: int
    fold_s: float
    follow_s: float
    scored: int
    with_pathway: int
    rescore: Spent
    shares: dict[str, float]
    collections: Collections
    over: Counter[str]
    people_of: Counter[str]
    decisions: Counter[str]
    alerts: Counter[str]


def from_scratch(size: Size, seed: int, console: Console) -> Scratch:
    """Fold a year of visits into the pathways through ``step``, then assess every scored visitor."""
    rng = random.Random(seed)
    raw = mapping(size)
    plans = plans_for(size, rng)
    engine = Engine(initial_state(build_site(raw)))
    escorts = escorts_of(raw["people"], size.wings, random.Random(seed + 1))
    shares: dict[str, float] = {}
    collections = Collections()
    gc.collect()
    with (
        console.status(f"{size.label}: folding {len(plans):,} visits through step…"),
        follow_replaced(engine.timed_follow(pathway_steps.follow)),
        core_share(shares, "fold"),
        collections.watched(),
    ):
        played = play([opening(size.wings), weather(YEAR_DAYS, rng)], plans, escorts, engine)
    state = engine.state
    policy = state.site.policy.pathway
    scored = [p for p, person in state.people.items() if person.is_visitor]
    empty = Pathway()
    gc.collect()
    with console.status(f"{size.label}: assessing {len(scored):,} visitors…"), core_share(shares, "full rescore"):
        timed: list[Spent] = []
        with spent(timed):
            found = [assess(p, state.pathways.get(p, empty), policy) for p in scored]
    kinds = {plan.visitor: plan.kind for plan in plans}
    return Scratch(
        state=state,
        kinds=kinds,
        events=played,
        visits=len(plans),
        fold_s=engine.stepping_ns / 1e9,
        follow_s=engine.following_ns / 1e9,
        scored=len(scored),
        with_pathway=sum(1 for p in scored if p in state.pathways),
        rescore=timed[0],
        shares=shares,
        collections=collections,
        over=Counter(kinds.get(a.person, "never came") for a in found if a.over),
        people_of=Counter(kinds.values()),
        decisions=engine.decisions,
        alerts=engine.alerts,
    )


# --- 2. one event more ------------------------------------------------------------------------


@dataclass
class Incremental:
    """Nanoseconds per event of each thing timed, by the wall clock and by this thread's CPU clock."""

    wall: dict[str, list[int]] = field(default_factory=lambda: {k: [] for k in TIMED})
    cpu: dict[str, list[int]] = field(default_factory=lambda: {k: [] for k in TIMED})
    kinds: Counter[str] = field(default_factory=Counter)
    shares: dict[str, float] = field(default_factory=dict)
    collections: Collections = field(default_factory=Collections)

    def twice(self, what: str, rng: random.Random, run: Callable[..., Any], *args: Any, inner: bool = False) -> Any:
        """``run(*args)`` (pure) twice: timed by the wall clock and by the thread's CPU clock, in a
        random order. ``inner``: the pathway stage inside it is timed too, by the same clock."""
        found = None
        for by_wall in (True, False) if rng.random() < 0.5 else (False, True):
            clock = time.perf_counter_ns if by_wall else time.thread_time_ns
            into = self.wall if by_wall else self.cpu
            with follow_replaced(_timed(pathway_steps.follow, clock, into["follow"])) if inner else nullcontext():
                began = clock()
                found = run(*args)
                into[what].append(clock() - began)
        return found


def _timed(real: Callable[..., Any], clock: Callable[[], int], into: list[int]) -> Callable[..., Any]:
    def follow(*args: Any) -> Any:
        began = clock()
        found = real(*args)
        into.append(clock() - began)
        return found

    return follow


TIMED = ("follow", "step", "without", "assess")
"""Per event: the pathway stage (inside the whole step), the whole step, the step without the
stage, the person's assessment."""


def incremental(state: State, count: int, rng: random.Random) -> Incremental:
    """For a random visitor, an arrival, a departure or an observation, after the fold: each timed
    as the whole ``step`` and the pathway stage inside it (``follow``), the ``step`` without that
    stage, and the person's ``assess``."""
    visitors = [p for p, person in state.people.items() if person.is_visitor]
    out = Incremental()
    gc.collect()
    with core_share(out.shares, "one event"), out.collections.watched():
        _each_event(state, visitors, count, rng, out)
    return out


def _each_event(state: State, visitors: list[str], count: int, rng: random.Random, out: Incremental) -> None:
    wings = len(state.site.posts)
    policy = state.site.policy.pathway

    def skipped(state: State, *_: Any) -> tuple[State, tuple[Any, ...]]:
        return state, ()

    moment = state.now.replace(hour=8, minute=0) + timedelta(days=1) if state.now else START
    present: list[str] = []  # the visitors who arrived in this run and are still on site
    for n in range(count):
        moment += timedelta(seconds=2)
        event: ev.Event
        kind = rng.choice(("arrive", "leave", "observe")) if present else "arrive"
        if kind == "arrive":
            p = rng.choice(visitors)
            while state.zone_of(p) is not None:
                p = rng.choice(visitors)
            present.append(p)
            event = ev.Arrive(id=f"i{n}", at=moment, people=(p,), door=f"outer{wing_of(p, wings)}")
        elif kind == "observe":
            p = rng.choice(present)
            guard = f"guard{wing_of(p, wings)}"
            event = ev.Observe(id=f"i{n}", at=moment, person=p, by=guard, indicators=(rng.choice(EXTRA),))
        else:
            at = rng.randrange(len(present))
            p, present[at] = present[at], present[-1]
            present.pop()
            event = ev.Leave(id=f"i{n}", at=moment, people=(p,))
        out.kinds[event.type] += 1
        before = state
        for whole in (True, False) if rng.random() < 0.5 else (False, True):  # neither on the other's warm caches
            if whole:
                state, _ = out.twice("step", rng, step, before, event, inner=True)
            else:
                with follow_replaced(skipped):
                    out.twice("without", rng, step, before, event)
        out.twice("assess", rng, assess, p, state.pathways.get(p, Pathway()), policy)


# --- 3. a case report -------------------------------------------------------------------------


@dataclass
class Reported:
    events: int
    visits: int
    content: Spent
    html: Spent
    pdf: Spent
    html_bytes: int
    pdf_bytes: int
    pages: int
    runs: int
    share: float


def subject_plans(rng: random.Random, visits: int) -> list[Plan]:
    """``visits`` visits of one visitor over a year: a regular at first, then deeper and sooner,
    observed now and then, asking for the principal alone; a raincoat at the last."""
    out: list[Plan] = []
    no = itertools.count()
    regular, closing = visits * 2 // 3, visits - visits * 2 // 3
    for i in range(regular):
        day = START.replace(hour=16, minute=30) + timedelta(days=4 * i + 1)
        out.append(Plan(next(no), "subject", "vis0", 0, day, timedelta(minutes=45), 1 + (i % 2)))
    last = out[-1].at
    for i in range(closing):
        last += timedelta(days=max(1, 5 - 4 * i // closing))
        out.append(
            Plan(
                next(no),
                "subject",
                "vis0",
                0,
                last,
                timedelta(minutes=60),
                3 if i < closing - 1 else 2,
                private_invite=i in (closing - 3, closing - 2),
                private_request=i == closing - 2,
                raincoat=i == closing - 1,
                observed=(rng.choice(EXTRA),) if i % 2 else (),
            )
        )
    return out


def case_report_times(seed: int, runs: int, console: Console) -> Reported:
    """A case on a visitor with 500 events in a real record: the report's content, HTML and PDF."""
    from pypdf import PdfReader

    from gatewatch.bootstrap import build
    from gatewatch.reports.case import case_report
    from gatewatch.reports.render import render_html, render_pdf
    from gatewatch.service import cases
    from gatewatch.service.permissions import Actor, UserRole
    from gatewatch.store.log import database_url

    small = Size("report", wings=2, people=50, past_visits=0)
    rng = random.Random(seed)
    lead = Actor("lead", UserRole.LEAD, "lead")
    with tempfile.TemporaryDirectory(prefix="gatewatch-bench-") as folder:
        data = Path(folder) / "data"
        site = Path(folder) / "site.yaml"
        raw = mapping(small, lead=True)
        site.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
        services = build(site, database_url(data), notes_key=data / "notes.key")
        try:
            naming = Counter[str]()
            received = datetime.now(START.tzinfo)

            def decide(event: ev.Event) -> str | None:
                naming.update(ev.people_named(event))
                decided = services.desk.submit(event, "bench", received)
                found: str | None = decided.outcome.get("decision")
                return found

            plans = subject_plans(rng, 60)
            with console.status(f"recording {len(plans)} visits of the case's subject through the desk…"):
                play([opening(small.wings)], plans, escorts_of(raw["people"], small.wings, rng), decide)
                more = REPORT_EVENTS - 1 - naming["vis0"]  # the case's opening names them too
                moment = services.desk.state.now or START
                for n in range(more):
                    moment += timedelta(minutes=10)
                    decide(ev.Observe(id=f"o{n}", at=moment, person="vis0", by="guard0", indicators=(EXTRA[n % 5],)))
                zone = services.zone
                cases.open_case(
                    services.desk, zone, lead, received, case="C-1", person="vis0", reason="the pathway", links=["v0-1"]
                )
                assert services.notes is not None
                cases.add_note(
                    services.desk, zone, services.notes, lead, received, case="C-1", event_id="C-1-n1", text="bench"
                )
            events = naming["vis0"] + 1
            made = datetime.now(START.tzinfo)
            content: list[Spent] = []
            html: list[Spent] = []
            pdf: list[Spent] = []
            shares: dict[str, float] = {}
            with console.status("timing the case report…"), core_share(shares, "report"):
                for _ in range(runs):
                    with spent(content):
                        report = case_report(services, "C-1", lead, made)
                    with spent(html):
                        page = render_html(report)
                    with spent(pdf):
                        printed = render_pdf(report)
        finally:
            services.close()
    return Reported(
        events=events,
        visits=len(plans),
        content=median_of(content),
        html=median_of(html),
        pdf=median_of(pdf),
        html_bytes=len(page.encode("utf-8")),
        pdf_bytes=len(printed),
        pages=len(PdfReader(io.BytesIO(printed)).pages),
        runs=runs,
        share=shares["report"],
    )


# --- the table --------------------------------------------------------------------------------


def _us(samples: list[int], most: bool = True) -> str:
    p50, p99 = percentile(samples, 0.5), percentile(samples, 0.99)
    return f"p50 {p50:,.1f} · p99 {p99:,.1f}" + (f" · max {max(samples) / 1000:,.0f}" if most else "") + " µs"


Row = tuple[str, str, str, str, str]
"""measure, by the wall clock, by the CPU clock, target, met."""


def rows(scratch: Scratch, inc: Incremental, rep: Reported) -> list[Row]:
    """Every figure, with its target and whether it is met (by the wall clock, else by the CPU clock alone)."""
    pathway_total = scratch.follow_s + scratch.rescore.wall
    p99 = percentile(inc.wall["follow"], 0.99), percentile(inc.cpu["follow"], 0.99)
    adds = statistics.median(inc.wall["step"]) - statistics.median(inc.wall["without"])
    adds_cpu = statistics.median(inc.cpu["step"]) - statistics.median(inc.cpu["without"])
    runs = f"median of {rep.runs}"
    one = [
        ("update + rescore of the person (follow)", "follow"),
        ("the whole step", "step"),
        ("the same step without the pathway stage", "without"),
        ("assess the person (signals and behaviours)", "assess"),
    ]
    found: list[Row] = [
        (
            f"fold: {scratch.visits:,} visits, {scratch.events:,} events through step",
            f"{scratch.fold_s:,.1f} s ({scratch.fold_s / scratch.events * 1e6:.1f} µs per event)",
            f"{scratch.shares['fold']:.0%} of a core",
            "",
            "",
        ),
        (
            "fold: of it, the pathway stage (follow)",
            f"{scratch.follow_s:,.1f} s ({scratch.follow_s / scratch.fold_s:.0%} of step)",
            "",
            "",
            "",
        ),
        (
            f"full rescore: assess every scored visitor ({scratch.scored:,}; {scratch.with_pathway:,} came)",
            f"{scratch.rescore.wall:,.2f} s ({scratch.rescore.wall / scratch.scored * 1e6:.0f} µs each)",
            f"{scratch.rescore.cpu:,.2f} s",
            f"< {FULL_RESCORE_S:.0f} s",
            _met(scratch.rescore.wall < FULL_RESCORE_S),
        ),
        (
            "from scratch, the pathway's own work: follow in the fold + full rescore",
            f"{pathway_total:,.1f} s",
            "",
            "",
            "",
        ),
    ]
    for n, (said, key) in enumerate(one):
        label = f"one event ({len(inc.wall[key]):,}): {said}" if n == 0 else f"one event: {said}"
        met = _met(*(t < INCREMENTAL_P99_US for t in p99))
        target = (f"p99 < {INCREMENTAL_P99_US:,.0f} µs", met) if key == "follow" else ("", "")
        found.append((label, _us(inc.wall[key]), _us(inc.cpu[key], most=False), *target))
    found += [
        (
            "one event: what the pathway adds to step (p50 difference)",
            f"{adds / 1000:,.1f} µs",
            f"{adds_cpu / 1000:,.1f} µs",
            "",
            "",
        ),
        (
            f"case report ({rep.events} events, {rep.visits} visits): content",
            f"{rep.content.wall * 1000:,.0f} ms ({runs})",
            f"{rep.content.cpu * 1000:,.0f} ms",
            "",
            "",
        ),
        (
            "case report: HTML",
            f"{rep.html.wall * 1000:,.0f} ms, {rep.html_bytes / 1024:,.0f} KiB ({runs})",
            f"{rep.html.cpu * 1000:,.0f} ms",
            "",
            "",
        ),
        (
            "case report: PDF",
            f"{rep.pdf.wall:,.2f} s, {rep.pdf_bytes / 1024:,.0f} KiB, {rep.pages} pages ({runs})",
            f"{rep.pdf.cpu:,.2f} s",
            "",
            "",
        ),
    ]
    return found


def _met(by_wall: bool, by_cpu: bool = False) -> str:
    """Met by the wall clock; or by the CPU clock alone (the process waited for a core); or not."""
    if by_wall:
        return "met"
    return "met by CPU time only" if by_cpu else "NOT met"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2,000 people, 20,000 visits, 1,000 events")
    parser.add_argument("--seed", type=int, default=1940)
    parser.add_argument("--markdown", action="store_true", help="also print the table as Markdown")
    args = parser.parse_args()
    size, count, runs = (QUICK, 1_000, 3) if args.quick else (LARGE, 20_000, 5)
    console = Console(width=max(140, Console().width))
    scratch = from_scratch(size, args.seed, console)
    inc = incremental(scratch.state, count, random.Random(args.seed + 2))
    rep = case_report_times(args.seed + 3, runs, console)
    found = rows(scratch, inc, rep)
    table = Table(title=f"Pathway assessment and case reports: site {size.label}, {size.people:,} people")
    table.add_column("measure")
    table.add_column("wall clock", justify="right")
    table.add_column("CPU (this thread)", justify="right")
    table.add_column("target", justify="right")
    table.add_column("met")
    for row in found:
        table.add_row(*row)
    console.print(table)
    kinds = ("ordinary", "irregular", "approaching")
    console.print(
        "over the threshold after the fold: "
        + ", ".join(f"{kind} {scratch.over[kind]:,} of {scratch.people_of[kind]:,}" for kind in kinds)
    )
    console.print(
        f"decisions in the fold: {dict(scratch.decisions.most_common())}; "
        f"alerts: {dict(scratch.alerts.most_common(8))}; one-event mix: {dict(inc.kinds)}"
    )
    shares = {**scratch.shares, **inc.shares, "case report": rep.share}
    console.print(
        "this process's share of a core while timed (CPU time / wall time; below 100% the figures "
        "include waiting for a core the machine's other work held): "
        + ", ".join(f"{phase} {share:.0%}" for phase, share in shares.items())
    )
    console.print(
        f"full garbage collections: in the fold {scratch.collections.said()}; "
        f"in the one-event phase {inc.collections.said()}"
    )
    console.print(
        f"machine: {os.cpu_count()} cores, Python {platform.python_version()} "
        f"({platform.python_implementation()}), {platform.machine()}, msgspec {msgspec.__version__}"
    )
    if args.markdown:
        print("| measure | wall clock | CPU (this thread) | target | met |\n|---|---:|---:|---:|---|")
        for row in found:
            print("| " + " | ".join(cell or "" for cell in row) + " |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
