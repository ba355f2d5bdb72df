"""Many sites, one head office: ingest rate, lag and memory at 10, 100 and 1,000 sites; a day's catch-up; the limit.

Everything runs on this machine, against a real NATS server with JetStream (``GATEWATCH_BENCH_NATS``,
default ``nats://127.0.0.1:4222``; the streams get a prefix of their own, deleted afterwards) and a
real PostgreSQL server (``GATEWATCH_BENCH_PG``; a database made for each part, dropped afterwards).
Head office's ``Ingest`` (with its outbox sender, as ``gatewatch hq serve`` runs them) runs in a
process of its own, so that its memory and CPU are its own; the sites run as asyncio tasks in a
few processes, each site with its own NATS connection, its own hash chain and its own subject.

**A site's entries.** Each simulated site is a guarded house with a gate post, an outer and an
inner door: guards change at 06:00, 14:00 and 22:00 and check in every half hour; about 320
visitors come in a day, most between 08:00 and 18:00 (80 % regulars), each invited or not,
arriving, identified on papers (a passport or an identity card, a phone two times in five, a
car one time in seven), let through the outer door, searched, let through the inner door, some
walked into the house by their host, and gone. Every event is decided by the engine (``step``)
in time order, so the payloads and outcomes (grants, refusals, alerts) are what a desk records.
A few visitors of each site show the same papers at a twin site under another name: head
office links them (``hq_links``) and writes a note to both sites (``hq_outbox``).

1. **Live, 1 event/s per site, at 10, 100 and 1,000 sites.** Each site makes one entry a
   second (its commit: the entry made and chained, its ``received`` taken from the clock) and
   ships it at once as the site's publisher does (marks, ``wire.ship``, published with the
   entry's hash as the message id, acknowledged by JetStream). After a warm-up, for a fixed
   window: head office's ingest rate (entries committed per second), the lag from each entry's
   commit at its site to head office's commit (``hq_entries.received`` to ``arrived``: p50,
   p99, max; and, of it, the site's own part to ``sent``), the RSS of head office's process
   (largest seen in the window) and its CPU (share of one core). A site's own database write
   is not simulated: each site writes its record on its own machine.
2. **Catch-up.** 100 sites, each back from a day offline with the day's record on its own
   SQLite database (about 4,100 entries: see ``VISITS_PER_DAY``), all start publishing at
   once through the site's ``Publisher`` (``run_once``): the time until head office holds every
   entry, and entries per second.
3. **Direct write (the limit).** The same entries written straight into a fresh database on
   the same PostgreSQL server by one process: ``OfficeStore.ingest`` in batches of 2,000 (the
   most head office's writer commits at once), sites interleaved as head office takes them; no
   NATS, no checks. Catch-up / direct is the share of the limit the whole path reaches.

Targets (issue 14): 1,000 sites at 1 event/s with lag p99 under 2 s; a day's catch-up at
≥ 0.5 of the direct-write rate. Nothing here asserts a time: the figures are printed.

With ``--profile``, py-spy samples head office's process during the largest live window and the
catch-up's first minute, and its hottest functions are printed (what it spends its time on).

    python bench/sites.py [--quick] [--markdown] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import dataclasses
import hashlib
import heapq
import itertools
import math
import multiprocessing
import os
import platform
import random
import signal
import sys
import tempfile
import time
import uuid
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import nats
from nats.aio.client import Client
from nats.js.errors import NotFoundError
from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).parent))
from gatewatch.core import events as ev
from gatewatch.core.engine import step
from gatewatch.core.parse import build_site
from gatewatch.core.state import State, initial_state
from gatewatch.hq.store import OfficeStore
from gatewatch.store.chain import GENESIS, Entry
from gatewatch.store.log import EventLog, Submission, prepare_entry
from gatewatch.sync import wire
from gatewatch.sync.marks import marks_of
from gatewatch.sync.publisher import EXPECTED_STREAM, WINDOW, Acks, Publisher
from ingest import PG, database
from profile_server import hottest, record_profile

NATS_URL = os.environ.get("GATEWATCH_BENCH_NATS", "nats://127.0.0.1:4222")
LAG_P99_TARGET_S = 2.0
"""Issue 14: at 1,000 sites and 1 event/s each, the lag's p99 under 2 s."""
CATCH_UP_TARGET = 0.5
"""Issue 14: a day's catch-up at no less than half the direct-write rate."""
DIRECT_BATCH = 2_000
"""Entries per ``OfficeStore.ingest`` call in the direct write (head office's writer commits at most this many)."""
SUBMITTED_BY = "gate-tablet"
ACK_WAIT_S = 30.0
READY_WAIT_S = 900.0
"""How long the sites' processes may take to make their entries and connect."""


@dataclass(frozen=True, slots=True)
class Plan:
    """How big a run is: the live scales and their window, and the catch-up's size."""

    scales: tuple[int, ...]
    warm_s: float
    window_s: float
    drain_s: float
    catch_up_sites: int
    backlog: int | None
    """Entries per site in the catch-up; ``None``: a whole day."""
    processes: int
    """The most processes the simulated sites run in."""
    profile: bool = False
    """py-spy on head office during the largest live window and the catch-up."""


FULL = Plan(scales=(10, 100, 1_000), warm_s=10, window_s=60, drain_s=300, catch_up_sites=100, backlog=None, processes=4)
QUICK = Plan(scales=(10,), warm_s=2, window_s=6, drain_s=60, catch_up_sites=5, backlog=300, processes=2)


# --- a guarded site's day -----------------------------------------------------------------------

DAY = datetime(2025, 6, 3, tzinfo=UTC)
"""The simulated day (a Tuesday): the events' ``at``. A live site's commit (``received``) is the real clock's."""
VISITS_PER_DAY = 320
"""A busy guarded site (an official's residence, a ministry's annex, a large shelter): about 320
visits a day at about 13 events each, with the posts' changes and half-hourly check-ins, make
about 4,100 entries a day, 0.05 a second on average and about 0.25 a second in the busiest hour."""
VISITORS = 400
GUARDS, RESIDENTS = 6, 8
TRAVELLERS = 4
"""The first visitors of each site also visit its twin (sites 2k and 2k + 1) on the same papers."""
COUNTRIES = ("MX", "GB", "FR", "DE", "ES", "US")
SURNAMES = ("García", "Smith", "Martin", "Müller", "López", "Brown", "Bernard", "Schmidt", "Pérez", "Wilson")
GIVEN = ("Ana", "John", "Marie", "Hans", "Lucía", "James", "Claire", "Jonas", "Sofía", "Emma", "Omar", "Li")
HOURLY = (0, 0, 0, 0, 0, 0, 1, 3, 8, 12, 12, 10, 7, 9, 11, 11, 9, 6, 4, 3, 2, 1, 0, 0)
"""How a day's visits spread over its hours (weights)."""
LOOKAHEAD = timedelta(hours=1)
"""A visit's first event (the invitation) comes at most this long before the visitor."""

Script = Generator[ev.Event, str | None, None]
"""Yields events in time order; each is sent back the engine's decision."""


def site_id(number: int) -> str:
    return f"site-{number:04d}"


def site_country(number: int) -> str:
    return COUNTRIES[number % len(COUNTRIES)]


def site_mapping(number: int) -> dict[str, Any]:
    """One guarded site: a gate post, an outer and an inner door, a yard and the house, its people."""
    people: list[dict[str, Any]] = [{"id": "principal", "role": "principal", "name": "The Principal", "in": "house"}]
    people += [{"id": f"g{i}", "role": "guard", "name": f"Guard {i}"} for i in range(GUARDS)]
    people += [
        {"id": f"r{i}", "role": "resident", "name": f"Resident {i}", "in": "house", "escort": True}
        for i in range(RESIDENTS)
    ]
    people += [{"id": f"v{i}", "role": "visitor", "name": visitor_name(number, i)} for i in range(VISITORS)]
    return {
        "site": site_id(number),
        "timezone": "UTC",
        "country": site_country(number),
        "night": {"from": "22:00", "to": "06:00"},
        "zones": [
            {"id": "street", "level": 0},
            {"id": "lobby", "level": 1},
            {"id": "yard", "level": 2},
            {"id": "house", "level": 3},
        ],
        "doors": [
            {"id": "outer", "between": ["street", "lobby"], "controlled_by": "gate"},
            {"id": "inner", "between": ["lobby", "yard"], "controlled_by": "gate", "interlock": "outer"},
            {"id": "front", "between": ["yard", "house"]},
        ],
        "posts": [{"id": "gate", "zone": "lobby", "staff": 1, "staff_at_night": 2}],
        "people": people,
    }


def visitor_name(site: int, visitor: int) -> str:
    """The name a visitor gives at this site (a traveller gives another at the twin site)."""
    rng = random.Random(f"name-{site}-{visitor}")
    return f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}"


def document_of(site: int, visitor: int) -> ev.Document:
    """The papers a visitor shows: a traveller's are the same at both twin sites, anyone else's their own."""
    owner = f"t{site // 2}-{visitor}" if visitor < TRAVELLERS else f"s{site}-{visitor}"
    code = hashlib.sha256(owner.encode()).hexdigest()
    kind = "passport" if int(code[2], 16) % 3 else "id_card"
    country = COUNTRIES[int(code[:2], 16) % len(COUNTRIES)]
    return ev.Document(kind=kind, country=country, number=f"{code[3:5].upper()}{int(code[5:13], 16) % 10**7:07d}")


@dataclass(frozen=True, slots=True)
class Visit:
    """One visit as planned: who, when, how long, and what they show and bring."""

    no: int
    visitor: int
    at: datetime
    stay: timedelta
    invited: bool
    escorted: bool
    phone: bool
    vehicle: bool
    surrendered: bool


def guard_at(moment: datetime) -> str:
    """Who answers at the gate: g0 from 06:00, g1 from 14:00, g2 (with g3) at night."""
    return "g0" if 6 <= moment.hour < 14 else "g1" if 14 <= moment.hour < 22 else "g2"


def visit_script(site: int, plan: Visit) -> Script:
    """One visit's events, as far in as the doors let the visitor go (refused: they go home)."""
    p, host = f"v{plan.visitor}", f"r{plan.visitor % RESIDENTS}"
    count = itertools.count()

    def eid() -> str:
        return f"s{site}-v{plan.no}-{next(count)}"

    def at(minutes: float) -> datetime:
        return plan.at + timedelta(minutes=minutes)

    def through(door: str, zone: str, minutes: float) -> Script:
        yield ev.Open(id=eid(), at=at(minutes), door=door)
        yield ev.Move(id=eid(), at=at(minutes + 0.4), people=(p,), to=zone)
        yield ev.Close(id=eid(), at=at(minutes + 0.5), door=door)

    if plan.invited:
        yield ev.Invite(id=eid(), at=at(-45), by=host, person=p, purpose="a meeting")
    yield ev.Arrive(id=eid(), at=at(0), people=(p,), door="outer", carrying=("bag",) if plan.surrendered else ())
    by = guard_at(plan.at)
    yield ev.Identify(
        id=eid(),
        at=at(0.5),
        person=p,
        name=visitor_name(site, plan.visitor),
        document=document_of(site, plan.visitor),
        phone=f"+44 7{(site * VISITORS + plan.visitor) % 10**9:09d}" if plan.phone else None,
        vehicle=f"{plan.visitor:03d}-{site % 1000:03d}-KX" if plan.vehicle else None,
        by=by,
    )
    if (yield ev.Request(id=eid(), at=at(1), door="outer", by=by, for_=(p,))) != "grant":
        yield ev.Leave(id=eid(), at=at(2), people=(p,))
        return
    yield from through("outer", "lobby", 1)
    surrendered = ("bag",) if plan.surrendered else ()
    yield ev.Screen(id=eid(), at=at(3), person=p, by=by, result="clear", surrendered=surrendered)
    if (yield ev.Request(id=eid(), at=at(4), door="inner", by=by, for_=(p,))) == "grant":
        yield from through("inner", "yard", 4)
        if plan.escorted:
            yield ev.Move(id=eid(), at=at(5), people=(host,), to="yard")
            yield ev.Move(id=eid(), at=at(6), people=(host, p), to="house")
    yield ev.Leave(id=eid(), at=at(plan.stay.total_seconds() / 60), people=(p,))


def shifts(site: int, start: datetime, end: datetime) -> Script:
    """The gate's guards change at 06:00, 14:00 and 22:00; whoever is on checks in every 30 minutes."""
    crews = {6: ("g0",), 14: ("g1",), 22: ("g2", "g3")}
    on_duty = crews[6] if 6 <= start.hour < 14 else crews[14] if 14 <= start.hour < 22 else crews[22]
    number = itertools.count(1)
    yield ev.PostChange(id=f"s{site}-p0", at=start, post="gate", on_duty=on_duty)
    moment = start.replace(minute=0, second=0, microsecond=0)
    while (moment := moment + timedelta(minutes=30)) < end:
        if moment.minute == 0 and moment.hour in crews:
            coming = crews[moment.hour]
            yield ev.PostChange(id=f"s{site}-p{next(number)}", at=moment, post="gate", on_duty=coming, off_duty=on_duty)
            on_duty = coming
        yield ev.Checkin(id=f"s{site}-c{next(number)}", at=moment + timedelta(seconds=20), post="gate", by=on_duty[0])


def visits(start: datetime, end: datetime, rng: random.Random) -> list[Visit]:
    """The visits between ``start`` and ``end``, arriving at the hour's rate (``HOURLY``), in order."""
    per_hour = [VISITS_PER_DAY * weight / sum(HOURLY) for weight in HOURLY]
    plans: list[Visit] = []
    moment, no = start, itertools.count()
    while moment < end:
        rate = per_hour[moment.hour]
        if not rate:  # a quiet hour: on to the next
            moment = moment.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
            continue
        moment += timedelta(hours=rng.expovariate(rate))
        if moment >= end or not per_hour[moment.hour]:
            continue
        regular = rng.random() < 0.8
        plans.append(
            Visit(
                no=next(no),
                visitor=rng.randrange(VISITORS // 4 if regular else VISITORS),
                at=moment,
                stay=timedelta(minutes=rng.randint(15, 120)),
                invited=rng.random() < 0.85,
                escorted=rng.random() < 0.5,
                phone=rng.random() < 0.4,
                vehicle=rng.random() < 0.15,
                surrendered=rng.random() < 0.1,
            )
        )
    return plans


@dataclass(frozen=True, slots=True)
class Made:
    """One event as the desk decided it: what the record keeps of it, all but its ``received``."""

    event_id: str
    type: str
    at: datetime
    payload: dict[str, Any]
    outcome: dict[str, Any]

    def submission(self, received: datetime) -> Submission:
        return Submission(
            event_id=self.event_id,
            type=self.type,
            at=self.at.isoformat(),
            payload=self.payload,
            outcome=self.outcome,
            submitted_by=SUBMITTED_BY,
            received=received.isoformat(),
        )


def site_day(number: int, start: datetime, end: datetime, most: int | None = None) -> list[Made]:
    """The site's events from ``start`` to ``end`` (at most ``most``), each decided by the engine in time order.

    The visits and the guards' shifts are scripts that yield their events in time order and hear
    each decision (a visitor refused at a door goes home); the earliest waiting event goes next.
    Event ids carry the site's number, as a site's own ids are its own: two sites never make one
    entry (the same hash), whose message JetStream would take as a resend and drop.
    """
    rng = random.Random(f"site-{number}")
    state: State = initial_state(build_site(site_mapping(number)))
    waiting: list[tuple[datetime, int, Script, ev.Event]] = []
    order = itertools.count()
    made: list[Made] = []

    def begin(script: Script) -> None:
        event = next(script, None)
        if event is not None:
            heapq.heappush(waiting, (event.at, next(order), script, event))

    begin(shifts(number, start, end))
    upcoming = iter(visits(start, end, rng))
    plan = next(upcoming, None)
    while (waiting or plan is not None) and (most is None or len(made) < most):
        while plan is not None and (not waiting or plan.at - LOOKAHEAD <= waiting[0][0]):
            begin(visit_script(number, plan))
            plan = next(upcoming, None)
        if not waiting:
            continue
        _, _, script, event = heapq.heappop(waiting)
        if event.at >= end:
            continue
        state, outcome = step(state, event)
        made.append(Made(event.id, event.type, event.at, ev.to_payload(event), outcome.to_dict()))
        try:
            following = script.send(outcome.decision)
        except StopIteration:
            continue
        heapq.heappush(waiting, (following.at, next(order), script, following))
    return made


def shipped_message(entry: Entry, number: int, sent: str) -> bytes:
    """The entry's message as the site's publisher makes it: its marks, shipped, encoded."""
    return wire.encode(wire.ship(entry, site_id(number), sent, marks_of(entry, site_country(number), None)))


def clock() -> str:
    return datetime.now(UTC).isoformat()


# --- the simulated sites: asyncio tasks in a few processes ----------------------------------------


@dataclass(frozen=True, slots=True)
class SitesJob:
    """What one process of simulated sites does: ``live`` (1 entry/s each) or ``catch-up`` (a backlog)."""

    mode: str
    numbers: tuple[int, ...]
    prefix: str
    nats_url: str
    warm_s: float = 0.0
    window_s: float = 0.0
    folder: str = ""
    backlog: int | None = None


@dataclass
class SitesReport:
    """What a process of sites did: entries made (live) or held (catch-up), acknowledged by JetStream."""

    made: int = 0
    made_in_window: int = 0
    """Live: the entries made after the warm-up, in the measured window."""
    acknowledged: int = 0
    retries: int = 0
    problems: list[str] = field(default_factory=list)
    finished: float = 0.0
    """When the last entry was acknowledged (the wall clock, seconds since the epoch)."""

    def problem(self, text: str) -> None:
        if len(self.problems) < 5:
            self.problems.append(text[:300])


def sites_process(job: SitesJob, pipe: Connection) -> None:
    """A process's sites: prepared (entries made, connected), then run from the start time the parent sends."""
    try:
        modes = {"live": live_sites, "catch-up": catch_up_sites, "preload": preload_sites}
        asyncio.run(modes[job.mode](job, pipe))
    except BaseException as error:
        pipe.send(("failed", f"{job.mode} sites {job.numbers[0]}–{job.numbers[-1]}: {type(error).__name__}: {error}"))
        raise


async def connected(job: SitesJob) -> list[Client]:
    """One NATS connection per site, each with the site's own reply subjects (as a site connects)."""
    topology = wire.Topology(job.prefix)
    return list(
        await asyncio.gather(
            *(
                nats.connect(
                    job.nats_url,
                    name=site_id(n),
                    inbox_prefix=topology.inbox_prefix(site_id(n)),
                    max_reconnect_attempts=-1,
                )
                for n in job.numbers
            )
        )
    )


async def started(pipe: Connection, ready: int) -> float:
    """Tell the parent this process is ready; the start time it answers (seconds since the epoch)."""
    pipe.send(("ready", ready))
    start: float = await asyncio.to_thread(pipe.recv)
    return start


async def live_sites(job: SitesJob, pipe: Connection) -> None:
    """Each site makes one entry a second from ``start`` until the window ends, and ships it at once."""
    most = math.ceil(job.warm_s + job.window_s) + 2
    days = {n: site_day(n, DAY + timedelta(hours=10), DAY + timedelta(hours=22), most) for n in job.numbers}
    clients = await connected(job)
    report = SitesReport()
    start = await started(pipe, sum(map(len, days.values())))
    stop = start + job.warm_s + job.window_s
    topology = wire.Topology(job.prefix)
    await asyncio.gather(
        *(
            live_site(Acks(client), topology, n, days[n], (start, start + job.warm_s, stop), report)
            for n, client in zip(job.numbers, clients, strict=True)
        )
    )
    report.finished = time.time()
    await asyncio.gather(*(client.close() for client in clients))
    pipe.send(("done", report))


async def live_site(
    acks: Acks,
    topology: wire.Topology,
    number: int,
    day: list[Made],
    times: tuple[float, float, float],
    report: SitesReport,
) -> None:
    """One site: its entries made on the second (its own offset within the second), shipped in order.

    ``times``: when the sites start, when the measured window begins, and when it ends (the sites stop).

    Making never waits for shipping (a door never waits for the network): the entries queue for
    the site's shipper, which publishes whatever has queued and waits for JetStream's acknowledgements.
    """
    queue: asyncio.Queue[Entry | None] = asyncio.Queue()
    shipper = asyncio.create_task(ship_live(acks, topology, number, queue, report))
    offset = random.Random(f"offset-{number}").random()
    seq, previous = 0, GENESIS
    start, begin, stop = times
    for k, made in enumerate(day):
        moment = start + offset + k
        if moment >= stop:
            break
        await asyncio.sleep(max(0.0, moment - time.time()))
        made_at = time.time()
        entry = prepare_entry(made.submission(datetime.fromtimestamp(made_at, UTC)), seq + 1, previous)
        seq, previous = entry.seq, entry.hash
        report.made += 1
        report.made_in_window += begin <= made_at < stop
        queue.put_nowait(entry)
    queue.put_nowait(None)
    await shipper


async def ship_live(
    acks: Acks, topology: wire.Topology, number: int, queue: asyncio.Queue[Entry | None], report: SitesReport
) -> None:
    """Publish what has queued, in order, as the site's publisher does (the entry's hash as the message id,
    JetStream's answer on the site's own reply subject); again after a failure."""
    subject, done = topology.site_subject(site_id(number)), False
    headers = {wire.MSG_ID: "", EXPECTED_STREAM: topology.sites_stream}
    while not done:
        waiting = [await queue.get()]
        while not queue.empty():
            waiting.append(queue.get_nowait())
        if waiting[-1] is None:
            done = True
        entries = [entry for entry in waiting if entry is not None]
        while entries:
            try:
                futures = [
                    await acks.publish(
                        subject, shipped_message(entry, number, clock()), headers | {wire.MSG_ID: entry.hash}
                    )
                    for entry in entries
                ]
                await asyncio.wait_for(asyncio.gather(*futures), ACK_WAIT_S)
            except Exception as error:  # counted, and shipped again, as a site's publisher does
                report.retries += 1
                report.problem(f"{site_id(number)}: {type(error).__name__}: {error}")
                await asyncio.sleep(0.5)
                continue
            report.acknowledged += len(entries)
            entries = []


async def preload_sites(job: SitesJob, pipe: Connection) -> None:
    """Each site's record (made by the catch-up) published whole, while head office is stopped."""
    records: dict[int, list[Entry]] = {}
    for n in job.numbers:
        log = EventLog.open(f"sqlite:///{Path(job.folder) / site_id(n)}.db")
        records[n] = list(log.entries())
        log.close()
    report = SitesReport(made=sum(map(len, records.values())))
    clients = await connected(job)
    topology = wire.Topology(job.prefix)
    await started(pipe, report.made)
    await asyncio.gather(
        *(
            publish_all(Acks(client), topology, n, records[n], report)
            for n, client in zip(job.numbers, clients, strict=True)
        )
    )
    report.finished = time.time()
    await asyncio.gather(*(client.close() for client in clients))
    pipe.send(("done", report))


async def publish_all(
    acks: Acks, topology: wire.Topology, number: int, entries: list[Entry], report: SitesReport
) -> None:
    """Publish a site's entries in order, up to ``WINDOW`` awaiting JetStream's acknowledgement."""
    subject, sent = topology.site_subject(site_id(number)), clock()
    headers = {EXPECTED_STREAM: topology.sites_stream}
    waiting: collections.deque[asyncio.Future[dict[str, Any]]] = collections.deque()
    for entry in entries:
        if len(waiting) >= WINDOW:
            await asyncio.wait_for(waiting.popleft(), ACK_WAIT_S)
            report.acknowledged += 1
        message = shipped_message(entry, number, sent)
        waiting.append(await acks.publish(subject, message, headers | {wire.MSG_ID: entry.hash}))
    for future in waiting:
        await asyncio.wait_for(future, ACK_WAIT_S)
        report.acknowledged += 1


async def catch_up_sites(job: SitesJob, pipe: Connection) -> None:
    """Each site's day on its own record (SQLite), then all shipped at once by the sites' ``Publisher``."""
    logs = {n: backlog_record(n, Path(job.folder), job.backlog) for n in job.numbers}
    report = SitesReport(made=sum(log.head()[0] for log in logs.values()))
    clients = await connected(job)
    topology = wire.Topology(job.prefix)
    publishers = [
        Publisher(client, logs[n], site_id(n), topology, country=site_country(n))
        for n, client in zip(job.numbers, clients, strict=True)
    ]
    start = await started(pipe, report.made)
    await asyncio.sleep(max(0.0, start - time.time()))
    for shipped in await asyncio.gather(*(publisher.run_once() for publisher in publishers), return_exceptions=True):
        if isinstance(shipped, BaseException):
            report.problem(f"{type(shipped).__name__}: {shipped}")
        else:
            report.acknowledged += shipped
    report.finished = time.time()
    await asyncio.gather(*(client.close() for client in clients))
    for log in logs.values():
        log.close()
    pipe.send(("done", report))


def backlog_record(number: int, folder: Path, backlog: int | None) -> EventLog:
    """The site's record of a day offline: the day's events (or the first ``backlog``), each recorded a second
    after it happened."""
    log = EventLog.open(f"sqlite:///{folder / site_id(number)}.db")
    if log.head()[0] == 0:
        day = site_day(number, DAY, DAY + timedelta(days=1), backlog)
        for start in range(0, len(day), 1_000):
            log.append_many(made.submission(made.at + timedelta(seconds=1)) for made in day[start : start + 1_000])
    return log


class SitesGroup:
    """The processes of simulated sites: started, waited for until ready, started together, waited for."""

    def __init__(self, jobs: list[SitesJob]) -> None:
        context = multiprocessing.get_context("spawn")
        self.pipes: list[Connection] = []
        self.reports: dict[Connection, SitesReport] = {}
        self.processes: list[multiprocessing.process.BaseProcess] = []
        for job in jobs:
            mine, theirs = context.Pipe()
            process = context.Process(target=sites_process, args=(job, theirs), name=f"sites-{job.numbers[0]}")
            process.start()
            self.pipes.append(mine)
            self.processes.append(process)

    def answer(self, pipe: Connection, timeout: float) -> Any:
        """The process's next word: its value, or an error if it failed, ended or said nothing in time."""
        process = self.processes[self.pipes.index(pipe)]
        deadline = time.monotonic() + timeout
        while not pipe.poll(0.5):
            if not process.is_alive() and not pipe.poll(0):
                raise RuntimeError(f"{process.name} ended (exit code {process.exitcode}) without a word")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{process.name} did not answer in {timeout:.0f} s")
        kind, value = pipe.recv()
        if kind == "failed":
            raise RuntimeError(value)
        return value

    def ready(self) -> int:
        """Entries the sites hold or will make, once every process is ready."""
        return sum(int(self.answer(pipe, READY_WAIT_S)) for pipe in self.pipes)

    def start(self, at: float) -> None:
        for pipe in self.pipes:
            pipe.send(at)

    def done(self, timeout: float) -> SitesReport:
        """Every process's report, added up (waiting at most ``timeout`` for them)."""
        deadline = time.monotonic() + timeout
        for pipe in self.pipes:
            if pipe not in self.reports:
                self.reports[pipe] = self.answer(pipe, max(1.0, deadline - time.monotonic()))
        total = SitesReport()
        for report in self.reports.values():
            total.made += report.made
            total.made_in_window += report.made_in_window
            total.acknowledged += report.acknowledged
            total.retries += report.retries
            total.finished = max(total.finished, report.finished)
            for problem in report.problems:
                total.problem(problem)
        return total

    def all_done(self) -> bool:
        """Whether every process has reported (taking the reports that came)."""
        for pipe in self.pipes:
            if pipe not in self.reports and pipe.poll(0):
                self.reports[pipe] = self.answer(pipe, 0)
        return len(self.reports) == len(self.pipes)

    def close(self) -> None:
        for process in self.processes:
            process.join(10)
            if process.is_alive():
                process.terminate()
                process.join()


@contextlib.contextmanager
def sites_group(jobs: list[SitesJob]) -> Iterator[SitesGroup]:
    group = SitesGroup(jobs)
    try:
        yield group
    finally:
        group.close()


def split(numbers: range, processes: int) -> list[tuple[int, ...]]:
    """The sites dealt into at most ``processes`` groups of nearly equal size."""
    count = max(1, min(processes, len(numbers)))
    return [tuple(numbers[k::count]) for k in range(count)]


# --- head office, in a process of its own --------------------------------------------------------


def head_office_process(url: str, prefix: str, nats_url: str) -> None:
    """Head office's ingest and outbox sender on this database and deployment, until SIGTERM."""
    asyncio.run(run_head_office(url, prefix, nats_url))


async def run_head_office(url: str, prefix: str, nats_url: str) -> None:
    """Head office's NATS work as ``gatewatch hq serve`` runs it (``hq.server.OfficeLink``: the ingest, and the
    outbox sender poked after each commit of new links), without the console's web server."""
    from gatewatch.hq.server import OfficeLink, OfficeSettings

    topology = wire.Topology(prefix)
    store = OfficeStore.open(url, topology)
    link = OfficeLink(store, OfficeSettings(nats_url, topology, token_file=Path(os.devnull)))
    stopping = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopping.set)
    orphan_watch = asyncio.create_task(stop_when_orphaned(stopping))
    try:
        await link.start()
        await stopping.wait()
    finally:
        orphan_watch.cancel()
        await link.stop()
        store.close()


async def stop_when_orphaned(stopping: asyncio.Event) -> None:
    """Stop head office when the benchmark that started it is gone (killed without a word)."""
    parent = os.getppid()
    while os.getppid() == parent:
        await asyncio.sleep(1.0)
    stopping.set()


class HeadOffice:
    """Head office's process: its RSS and CPU time read from ``/proc``."""

    def __init__(self, url: str, topology: wire.Topology) -> None:
        context = multiprocessing.get_context("spawn")
        self.process = context.Process(
            target=head_office_process, args=(url, topology.prefix, NATS_URL), name="head-office"
        )
        self.process.start()

    @property
    def pid(self) -> int:
        assert self.process.pid is not None
        return self.process.pid

    def alive(self) -> None:
        if not self.process.is_alive():
            raise RuntimeError(f"head office's process stopped (exit code {self.process.exitcode})")

    def rss_mib(self) -> float:
        """Resident memory now (``VmRSS``), MiB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS for head office's process")

    def cpu_s(self) -> float:
        """CPU seconds used so far, every thread counted (user and system)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(20)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


@contextlib.contextmanager
def head_office(url: str, topology: wire.Topology, sites: int) -> Iterator[HeadOffice]:
    """Head office started on ``url`` and ready: every site's consumer made."""
    office = HeadOffice(url, topology)
    try:
        asyncio.run(consumers_made(topology, sites, office))
        yield office
    finally:
        office.stop()


async def consumers_made(topology: wire.Topology, sites: int, office: HeadOffice, timeout: float = 600.0) -> None:
    """Wait until head office has made its consumer of every site's entries."""
    client = await nats.connect(NATS_URL)
    try:
        js = client.jetstream()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            office.alive()
            with contextlib.suppress(NotFoundError):
                if (await js.stream_info(topology.sites_stream)).state.consumer_count >= sites:
                    await asyncio.sleep(1.0)  # its fetch loops started
                    return
            await asyncio.sleep(0.25)
        raise RuntimeError(f"head office did not make its {sites} consumers in {timeout:.0f} s")
    finally:
        await client.close()


@contextlib.contextmanager
def deployment() -> Iterator[wire.Topology]:
    """A prefix of its own on the NATS server; its two streams deleted afterwards."""
    topology = wire.Topology(f"bench{uuid.uuid4().hex[:10]}")
    try:
        yield topology
    finally:
        asyncio.run(delete_streams(topology))


async def delete_streams(topology: wire.Topology) -> None:
    client = await nats.connect(NATS_URL)
    try:
        js = client.jetstream()
        for stream in (topology.sites_stream, topology.office_stream):
            with contextlib.suppress(NotFoundError):
                await js.delete_stream(stream)
    finally:
        await client.close()


def office_store(url: str, topology: wire.Topology, sites: int) -> OfficeStore:
    """Head office's store on ``url`` with ``sites`` sites registered."""
    store = OfficeStore.open(url, topology)
    for n in range(sites):
        store.add_site(site_id(n), f"Site {n}")
    return store


def held(store: OfficeStore) -> int:
    """Entries head office holds, every site together."""
    with store.engine.connect() as connection:
        return int(connection.execute(text("SELECT COALESCE(SUM(head_seq), 0) FROM hq_sites")).scalar_one())


def stops(store: OfficeStore) -> list[str]:
    """The sites head office stopped, and why."""
    return [f"site {row.site} stopped at entry {row.stopped_seq}: {row.stopped_problem}" for row in store.sites()
            if row.stopped]  # fmt: skip


def wait_held(store: OfficeStore, office: HeadOffice, total: int, timeout: float, every: float = 0.1) -> float | None:
    """The wall clock when head office holds ``total`` entries; ``None`` if it does not within ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if held(store) >= total:
            return time.time()
        office.alive()
        time.sleep(every)
    return None


# --- 1. live --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Live:
    """One scale's window: what head office committed, how late, with how much memory and CPU."""

    sites: int
    window_s: float
    made: int
    committed_rate: float
    lags: list[float]
    site_parts: list[float]
    rss_mib: float
    cpu_share: float
    missing: int
    retries: int

    def lag(self, share: float) -> float:
        """The lag within which this share of the window's entries reached head office (inf: some never did)."""
        return percentile(self.lags, share)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return math.nan
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure_live(sites: int, plan: Plan, console: Console) -> Live:
    """``sites`` sites at 1 entry/s each into a head office of their own (fresh database and streams)."""
    with deployment() as topology, database("postgresql") as url:
        store = office_store(url, topology, sites)
        try:
            with head_office(url, topology, sites) as office:
                jobs = [
                    SitesJob("live", numbers, topology.prefix, NATS_URL, plan.warm_s, plan.window_s)
                    for numbers in split(range(sites), plan.processes)
                ]
                with sites_group(jobs) as group:
                    group.ready()
                    start = time.time() + 1.0
                    group.start(start)
                    time.sleep(max(0.0, start + plan.warm_s - time.time()))
                    with profiled(office, plan.window_s, plan.profile and sites == max(plan.scales), console):
                        rss, cpu = watch(office, start + plan.warm_s, start + plan.warm_s + plan.window_s)
                    report = group.done(timeout=plan.warm_s + plan.window_s + plan.drain_s + 60)
                held_at = wait_held(store, office, report.made, plan.drain_s)
            missing = report.made - held(store)
            if held_at is None:
                console.print(f"[yellow]{sites} sites: {missing} entries not at head office after the drain[/]")
                for stopped in stops(store)[:5]:
                    console.print(f"[red]{sites} sites: {stopped}[/]")
            for problem in report.problems:
                console.print(f"[yellow]{sites} sites: {problem}[/]")
            begin, end = start + plan.warm_s, start + plan.warm_s + plan.window_s
            lags, site_parts, committed = lags_in(store, begin, end)
            lags += [math.inf] * (report.made_in_window - len(lags))  # made in the window, never at head office
            return Live(sites, plan.window_s, report.made, committed / plan.window_s, lags, site_parts,
                        rss, cpu, missing, report.retries)  # fmt: skip
        finally:
            store.close()


@contextlib.contextmanager
def profiled(office: HeadOffice, seconds: float, wanted: bool, console: Console) -> Iterator[None]:
    """py-spy on head office's process for ``seconds`` from now (where wanted): its hottest functions printed."""
    if not wanted:
        yield
        return
    with record_profile(office.pid, seconds) as recorded:
        yield
    table = Table(title=f"head office's process, py-spy --gil, {seconds:.0f} s (share of samples holding the GIL)")
    for column in ("function", "own", "with callees"):
        table.add_column(column, justify="left" if column == "function" else "right")
    for name, own, total in hottest(recorded.stacks, 25):
        table.add_row(name, f"{own:.1%}", f"{total:.1%}")
    console.print(table)


def watch(office: HeadOffice, begin: float, end: float) -> tuple[float, float]:
    """Head office's largest RSS (MiB) between ``begin`` and ``end``, and its CPU use then (share of one core)."""
    time.sleep(max(0.0, begin - time.time()))
    cpu_began, largest = office.cpu_s(), office.rss_mib()
    while time.time() < end:
        office.alive()
        largest = max(largest, office.rss_mib())
        time.sleep(min(0.5, max(0.0, end - time.time())))
    return largest, (office.cpu_s() - cpu_began) / (end - begin)


def lags_in(store: OfficeStore, begin: float, end: float) -> tuple[list[float], list[float], int]:
    """Lags of the entries made in the window (site commit to head office's commit, and to the site's
    ``sent``), in seconds; and how many entries head office committed in the window."""
    with store.engine.connect() as connection:
        rows = connection.execute(text("SELECT received, sent, arrived FROM hq_entries")).all()
    lags: list[float] = []
    site_parts: list[float] = []
    committed = 0
    for received_text, sent_text, arrived_text in rows:
        received = datetime.fromisoformat(received_text).timestamp()
        arrived = datetime.fromisoformat(arrived_text).timestamp()
        committed += begin <= arrived < end
        if begin <= received < end:
            lags.append(arrived - received)
            site_parts.append(datetime.fromisoformat(sent_text).timestamp() - received)
    return lags, site_parts, committed


# --- 2. catch-up, and 3. the direct write -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rate:
    """Entries into head office's store, and how long they took."""

    entries: int
    seconds: float
    rss_mib: float = math.nan
    """Head office's largest RSS meanwhile (catch-up only)."""
    cpu_share: float = math.nan
    published_s: float = math.nan
    """When the sites had every entry acknowledged by JetStream (catch-up only)."""
    held: int | None = None
    """Where head office stopped short of every entry: how many it held when it stopped moving."""
    stopped: int = 0
    """Sites head office stopped (a chain it found broken)."""

    @property
    def rate(self) -> float:
        return self.entries / self.seconds if self.seconds and self.held is None else math.nan

    def short(self, what: str, console: Console, store: OfficeStore, moving_until: float, start: float) -> Rate:
        """This measure, cut short: head office stopped moving before it held every entry (said on the console)."""
        stopped = stops(store)
        console.print(f"[red]{what}: head office holds {held(store):,} of {self.entries:,} entries; "
                      f"{len(stopped)} sites stopped[/]")  # fmt: skip
        for problem in stopped[:5]:
            console.print(f"[red]{what}: {problem}[/]")
        return dataclasses.replace(self, seconds=moving_until - start, held=held(store), stopped=len(stopped))


def measure_catch_up(plan: Plan, folder: Path, console: Console) -> Rate:
    """The sites' day of records published at once; the time until head office holds every entry."""
    sites = plan.catch_up_sites
    with deployment() as topology, database("postgresql") as url:
        store = office_store(url, topology, sites)
        try:
            with head_office(url, topology, sites) as office:
                jobs = [
                    SitesJob("catch-up", numbers, topology.prefix, NATS_URL, folder=str(folder), backlog=plan.backlog)
                    for numbers in split(range(sites), plan.processes)
                ]
                with sites_group(jobs) as group:
                    total = group.ready()
                    start = time.time() + 1.0
                    group.start(start)
                    time.sleep(max(0.0, start - time.time()))
                    done_at, moving_until, largest, cpu = until_held(office, store, total, group, plan, console)
                    report = group.done(timeout=60)
            for problem in report.problems:
                console.print(f"[yellow]catch-up: {problem}[/]")
            if done_at is None:
                cut = Rate(total, math.nan, largest, cpu / (moving_until - start), report.finished - start)
                return cut.short("catch-up", console, store, moving_until, start)
            spent = done_at - start
            return Rate(total, spent, largest, cpu / spent, report.finished - start)
        finally:
            store.close()


def measure_from_stream(plan: Plan, folder: Path, console: Console) -> Rate:
    """The same days already in JetStream (published while head office was stopped): the time from
    head office's start until it holds every entry, the sites' publishing left out."""
    sites = plan.catch_up_sites
    with deployment() as topology, database("postgresql") as url:
        store = office_store(url, topology, sites)
        try:
            with head_office(url, topology, sites):
                pass  # its streams and consumers made; stopped before the sites publish
            jobs = [
                SitesJob("preload", numbers, topology.prefix, NATS_URL, folder=str(folder))
                for numbers in split(range(sites), plan.processes)
            ]
            with sites_group(jobs) as group:
                total = group.ready()
                group.start(time.time())
                report = group.done(timeout=3_600)
            if report.acknowledged != total:
                raise RuntimeError(f"from the stream: {report.acknowledged:,} of {total:,} entries published")
            start = time.time()
            office = HeadOffice(url, topology)
            try:
                done_at, moving_until, largest, cpu = until_held(office, store, total, None, plan, console)
            finally:
                office.stop()
            if done_at is None:
                cut = Rate(total, math.nan, largest, cpu / (moving_until - start))
                return cut.short("from the stream", console, store, moving_until, start)
            return Rate(total, done_at - start, largest, cpu / (done_at - start))
        finally:
            store.close()


def until_held(
    office: HeadOffice, store: OfficeStore, total: int, group: SitesGroup | None, plan: Plan, console: Console
) -> tuple[float | None, float, float, float]:
    """When head office holds ``total`` entries (``None``: it stopped moving after the sites were done),
    when it last took one, its largest RSS meanwhile and the CPU seconds it used."""
    cpu_began, largest = office.cpu_s(), office.rss_mib()
    done_at, progress = None, Progress()
    with profiled(office, min(60.0, plan.window_s * 2), plan.profile, console):
        while done_at is None and not ((group is None or group.all_done()) and progress.stalled(held(store))):
            largest = max(largest, office.rss_mib())
            done_at = wait_held(store, office, total, 0.5)
    return done_at, progress.wall, largest, office.cpu_s() - cpu_began


@dataclass
class Progress:
    """Whether head office still moves: the count it held when last seen to grow, and when."""

    count: int = -1
    since: float = field(default_factory=time.monotonic)
    wall: float = field(default_factory=time.time)
    """``since`` on the wall clock."""

    def stalled(self, now_held: int, patience_s: float = 60.0) -> bool:
        if now_held != self.count:
            self.count, self.since, self.wall = now_held, time.monotonic(), time.time()
        return time.monotonic() - self.since > patience_s


def measure_direct(plan: Plan, folder: Path) -> Rate:
    """The catch-up's entries written by one process straight into a fresh database: ``OfficeStore.ingest``."""
    sites = plan.catch_up_sites
    batches = direct_batches(folder, sites)
    with database("postgresql") as url:
        store = office_store(url, wire.Topology(f"bench{uuid.uuid4().hex[:10]}"), sites)
        try:
            began = time.perf_counter()
            for batch in batches:
                store.ingest(batch, clock())
            spent = time.perf_counter() - began
            if held(store) != (total := sum(map(len, batches))):
                raise RuntimeError(f"direct write: the store holds {held(store):,} entries, not {total:,}")
        finally:
            store.close()
    return Rate(sum(map(len, batches)), spent)


def direct_batches(folder: Path, sites: int, each: int = 500) -> list[list[wire.Shipped]]:
    """The sites' records as shipped, in batches of ``DIRECT_BATCH``: ``each`` entries of one site after
    another's, round and round (as head office's fetch loops hand them to its writer)."""
    runs: dict[int, Iterator[Entry]] = {}
    for n in range(sites):
        log = EventLog.open(f"sqlite:///{folder / site_id(n)}.db")
        runs[n] = iter(list(log.entries()))
        log.close()
    flat: list[wire.Shipped] = []
    sent = clock()
    while runs:
        for number, run in list(runs.items()):
            chunk = list(itertools.islice(run, each))
            if not chunk:
                del runs[number]
                continue
            country = site_country(number)
            flat += [wire.ship(entry, site_id(number), sent, marks_of(entry, country, None)) for entry in chunk]
    return [flat[start : start + DIRECT_BATCH] for start in range(0, len(flat), DIRECT_BATCH)]


# --- the table ------------------------------------------------------------------------------------

HEADERS = ("measure", "sites", "entries", "time", "entries/s", "lag p50", "lag p99", "lag max", "site's part p99",
           "head office RSS", "head office CPU", "target", "met")  # fmt: skip
"""``time``: the live window; the catch-up until head office holds every entry; the direct write's own.
``site's part``: from the site's commit to its ``sent``; ``head office CPU``: share of one core."""


def seconds(value: float) -> str:
    if math.isnan(value):
        return "–"
    if math.isinf(value):
        return "never"
    if value < 0.01:
        return f"{value * 1000:.1f} ms"
    return f"{value * 1000:,.0f} ms" if value < 1 else f"{value:,.1f} s"


def mib(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:,.0f} MiB"


def share(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:.0%}"


def met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def live_row(live: Live) -> list[str]:
    p99 = live.lag(0.99)
    target = f"p99 < {LAG_P99_TARGET_S:g} s" + (" (issue 14)" if live.sites == 1_000 else "")
    return [
        "live, 1 event/s a site",
        f"{live.sites:,}",
        f"{len(live.lags):,}",
        seconds(live.window_s),
        f"{live.committed_rate:,.1f}",
        seconds(live.lag(0.5)),
        seconds(p99),
        seconds(max(live.lags, default=math.nan)),
        seconds(percentile(live.site_parts, 0.99)),
        mib(live.rss_mib),
        share(live.cpu_share),
        target,
        met(p99 < LAG_P99_TARGET_S) if live.missing == 0 else f"NOT met ({live.missing:,} missing)",
    ]


def rate_rows(catch_up: Rate, from_stream: Rate, direct: Rate, sites: int, day: str) -> list[list[str]]:
    """The catch-up (sites publishing meanwhile), head office alone from the stream, the direct write, the ratios."""
    target = f"≥ {CATCH_UP_TARGET:g} × direct"
    return [
        rate_row(f"catch-up, {day} a site", sites, catch_up, target, catch_up.rate / direct.rate),
        rate_row("the same, already in JetStream", sites, from_stream, target, from_stream.rate / direct.rate),
        [f"direct write, {DIRECT_BATCH:,} a commit", f"{sites:,}", f"{direct.entries:,}", seconds(direct.seconds),
         f"{direct.rate:,.0f}", "–", "–", "–", "–", "–", "–", "the limit", ""],
        ratio_row("catch-up / direct write", catch_up, direct, " (issue 14)"),
        ratio_row("already in JetStream / direct write", from_stream, direct, ""),
    ]  # fmt: skip


def rate_row(name: str, sites: int, measured: Rate, target: str, ratio: float) -> list[str]:
    if measured.held is None:
        entries, rate, ok = f"{measured.entries:,}", f"{measured.rate:,.0f}", met(ratio >= CATCH_UP_TARGET)
    else:
        entries, rate = f"{measured.held:,} of {measured.entries:,}", "–"
        ok = f"NOT met ({measured.stopped} sites stopped)" if measured.stopped else "NOT met (stalled)"
    return [name, f"{sites:,}", entries, seconds(measured.seconds), rate, "–", "–", "–", "–",
            mib(measured.rss_mib), share(measured.cpu_share), target, ok]  # fmt: skip


def ratio_row(name: str, measured: Rate, direct: Rate, said: str) -> list[str]:
    ratio = measured.rate / direct.rate
    ok = met(ratio >= CATCH_UP_TARGET) if measured.held is None else "NOT met (not all held)"
    shown = "–" if math.isnan(ratio) else f"{ratio:.2f}"
    return [name, "", "", "", shown, "–", "–", "–", "–", "–", "–", f"≥ {CATCH_UP_TARGET:g}{said}", ok]


def markdown(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(HEADERS) + " |", "|---|" + "---:|" * (len(HEADERS) - 3) + "---|---|"]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def machine() -> str:
    """Cores, CPU, memory, Python, and the servers' versions and durability."""
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024**2
    engine = create_engine(PG)
    with engine.connect() as connection:
        version = connection.execute(text("SHOW server_version")).scalar_one()
        synchronous = connection.execute(text("SHOW synchronous_commit")).scalar_one()
    engine.dispose()
    server = asyncio.run(nats_version())
    return (
        f"machine: {os.cpu_count()} cores ({model}), {memory:.0f} GiB, Python {platform.python_version()}; "
        f"PostgreSQL {version} (synchronous_commit={synchronous}); nats-server {server} (JetStream, file storage); "
        f"load average {os.getloadavg()[1]:.1f} over the last 5 minutes (all of it shares the machine's cores)"
    )


async def nats_version() -> str:
    client = await nats.connect(NATS_URL)
    try:
        version = client.connected_server_version
        return f"{version.major}.{version.minor}.{version.patch}"
    finally:
        await client.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10 sites, a short window, a small catch-up")
    parser.add_argument("--markdown", action="store_true", help="also print the table as Markdown")
    parser.add_argument(
        "--profile", action="store_true", help="py-spy on head office: the largest window, the catch-up"
    )
    args = parser.parse_args()
    plan = dataclasses.replace(QUICK if args.quick else FULL, profile=args.profile)
    console = Console(width=max(240, Console().width))
    rows: list[list[str]] = []
    for sites in plan.scales:
        doing = f"live: {sites:,} sites at 1 event/s, {plan.warm_s:g} s warm-up and a {plan.window_s:g} s window"
        with console.status(doing):
            rows.append(live_row(measure_live(sites, plan, console)))
        console.print(f"live, {sites:,} sites: done")
    day = "a day" if plan.backlog is None else f"{plan.backlog} entries"
    with tempfile.TemporaryDirectory(prefix="gatewatch-sites-") as folder:
        with console.status(f"catch-up: {plan.catch_up_sites} sites, {day} each"):
            catch_up = measure_catch_up(plan, Path(folder), console)
        with console.status(f"head office alone: {catch_up.entries:,} entries already in JetStream"):
            from_stream = measure_from_stream(plan, Path(folder), console)
        with console.status(f"direct write: {catch_up.entries:,} entries"):
            direct = measure_direct(plan, Path(folder))
    rows += rate_rows(catch_up, from_stream, direct, plan.catch_up_sites, day)
    table = Table(title="Many sites: head office over NATS JetStream into PostgreSQL")
    for header in HEADERS:
        table.add_column(header, justify="left" if header in ("measure", "target", "met") else "right", no_wrap=True)
    for row in rows:
        table.add_row(*row)
    console.print(table)
    got = "all" if catch_up.held is None else f"{catch_up.held:,} of them, and then took no more,"
    console.print(
        f"catch-up: {catch_up.entries / plan.catch_up_sites:,.0f} entries a site; the sites' publishers had every "
        f"entry acknowledged by JetStream after {seconds(catch_up.published_s)}, head office held {got} after "
        f"{seconds(catch_up.seconds)}"
    )
    console.print(machine())
    if args.markdown:
        print(markdown(rows))


if __name__ == "__main__":
    main()
