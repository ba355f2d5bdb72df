"""Start-up: seconds until the desk's state is rebuilt after many stored events.

A record of N events (guards taking posts, residents inviting 18,000 visitors, then arrivals,
requests, doors, moves and departures on a site of 500 doors and 20,000 people) is written once
to SQLite; the desk is then opened twice from it, side by
side in one run: replaying the whole record, and from a snapshot taken at its end.

    python bench/startup.py [--quick]      # 1,000,000 events; --quick: 100,000
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

sys.path.insert(0, str(Path(__file__).parent))
from decision import LARGE, START, site_mapping
from gatewatch.core import events as ev
from gatewatch.core.engine import step
from gatewatch.core.parse import build_site
from gatewatch.core.state import State, initial_state
from gatewatch.service.desk import Desk
from gatewatch.store.log import EventLog, Submission

BATCH = 1_000


def rounds(state: State, count: int, rng: random.Random) -> list[ev.Event]:
    """The guards take their posts, the residents invite their visitors, then people come and go."""
    people = [p for p in state.people if p.startswith(("vis", "res"))]
    wings = len(state.site.posts)
    moment = START + timedelta(hours=1)
    out: list[ev.Event] = [
        ev.PostChange(id=f"p{w}", at=START, post=f"gate{w}", on_duty=(f"guard{w}",)) for w in range(wings)
    ]
    out += [ev.Invite(id=f"i{p}", at=START, by="res0", person=p) for p in people if p.startswith("vis")]
    n = 0
    while len(out) < count:
        w, who = rng.randrange(wings), rng.choice(people)
        moment += timedelta(seconds=3)
        out += [
            ev.Arrive(id=f"a{n}", at=moment, people=(who,), door=f"outer{w}"),
            ev.Request(id=f"r{n}", at=moment, door=f"outer{w}", by=f"guard{w}", for_=(who,)),
            ev.Open(id=f"o{n}", at=moment, door=f"outer{w}"),
            ev.Move(id=f"m{n}", at=moment, people=(who,), to=f"lobby{w}"),
            ev.Close(id=f"c{n}", at=moment, door=f"outer{w}"),
            ev.Leave(id=f"l{n}", at=moment, people=(who,)),
        ]
        n += 1
    return out[:count]


def write_record(log: EventLog, state: State, stream: list[ev.Event]) -> State:
    with Progress(transient=True) as progress:
        task = progress.add_task("writing the record", total=len(stream))
        for start in range(0, len(stream), BATCH):
            batch = []
            for event in stream[start : start + BATCH]:
                state, outcome = step(state, event)
                batch.append(
                    Submission(event.id, event.type, event.at.isoformat(), ev.to_payload(event), outcome.to_dict(),
                               "bench", event.at.isoformat())
                )  # fmt: skip
            log.append_many(batch)
            progress.advance(task, len(batch))
    return state


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="100,000 events instead of 1,000,000")
    count = 100_000 if parser.parse_args().quick else 1_000_000
    console = Console(width=max(110, Console().width))
    rng = random.Random(1940)
    base = initial_state(build_site(site_mapping(LARGE)))
    stream = rounds(base, count, rng)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'gatewatch.db'}"
        log = EventLog.open(url)
        final = write_record(log, base, stream)
        seq, head = log.head()
        timings = []
        for label, with_snapshot in (("replaying the whole record", False), ("from a snapshot at the end", True)):
            if with_snapshot:
                Desk(base.site, log, final).take_snapshot(seq, head)
            began = time.perf_counter()
            desk = Desk.open(base.site, EventLog.open(url), people=(), watchlist=())
            timings.append((label, time.perf_counter() - began, desk.state == final))
        size = (Path(folder) / "gatewatch.db").stat().st_size
    table = Table(
        title=f"start-up after {count:,} stored events (SQLite, {size / 1e6:,.0f} MB), seconds (lower is better)"
    )
    for column in ("opening the desk", "seconds", "state matches"):
        table.add_column(column, justify="right")
    for label, seconds, same in timings:
        table.add_row(label, f"{seconds:.2f}", "yes" if same else "NO")
    console.print(table)
    console.print(
        f"machine: {os.cpu_count()} cores, Python {platform.python_version()}; target with a snapshot: under 1 s"
    )


if __name__ == "__main__":
    main()
