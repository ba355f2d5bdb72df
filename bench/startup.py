"""Start-up: seconds until the server answers after many stored events.

A record of N events (guards taking posts, residents inviting 18,000 visitors, then arrivals,
requests, doors, moves and departures on a site of 500 doors and 20,000 people) is written once
to SQLite. Then, side by side in one run: ``gatewatch serve`` on an empty record (the floor:
Python, imports, the site file), on the record with no snapshot (replaying all of it), and on
the record with a snapshot at its end; each timed from launch until ``/v1/health`` answers
(the median of five starts; one for the full replay), and
the desk alone (``Desk.open`` in this process) for the same two cases. The site file has been
parsed by an earlier start (it is kept parsed in the data directory), as on any restart.

    python bench/startup.py [--quick]      # 1,000,000 events; --quick: 100,000
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import yaml
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

sys.path.insert(0, str(Path(__file__).parent))
from decision import LARGE, START, site_mapping
from gatewatch.core import events as ev
from gatewatch.core.engine import step
from gatewatch.core.parse import build_site
from gatewatch.core.state import State, initial_state
from gatewatch.files.loader import load_site
from gatewatch.service.desk import Desk
from gatewatch.store.log import EventLog, Submission, database_url

BATCH = 1_000
SERVER_RUNS = 5
"""Server starts timed per case (the median is shown): a single start varies by a few tenths."""


class AnswerTimer:
    """The small helper process that launches and times the servers (``answer_timer.py``)."""

    def __init__(self) -> None:
        helper = Path(__file__).parent / "answer_timer.py"
        self.process = subprocess.Popen(
            [sys.executable, str(helper)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def __call__(self, site: Path, data: Path) -> float:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(f"{site} {data}\n")
        self.process.stdin.flush()
        return float(self.process.stdout.readline())

    def median(self, site: Path, data: Path, runs: int) -> float:
        return statistics.median(self(site, data) for _ in range(runs))

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait()


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
    server_answers = AnswerTimer()
    rng = random.Random(1940)
    base = initial_state(build_site(site_mapping(LARGE)))
    stream = rounds(base, count, rng)
    with tempfile.TemporaryDirectory() as folder:
        site_file = Path(folder) / "site.yaml"
        site_file.write_text(yaml.safe_dump(site_mapping(LARGE)), encoding="utf-8")
        data, empty = Path(folder) / "data", Path(folder) / "empty"
        url = database_url(data)
        load_site(site_file, data)  # a server that started before has the site parsed already
        load_site(site_file, empty)
        EventLog.open(database_url(empty)).close()
        timings: list[tuple[str, float | None, float, bool]] = [
            ("an empty record (the floor)", None, server_answers.median(site_file, empty, SERVER_RUNS), True)
        ]
        log = EventLog.open(url)
        final = write_record(log, base, stream)
        seq, head = log.head()
        for label, with_snapshot in (("replaying the whole record", False), ("from a snapshot at the end", True)):
            if with_snapshot:
                Desk(base.site, log, final).take_snapshot(seq, head)
            began = time.perf_counter()
            desk = Desk.open(base.site, EventLog.open(url), people=(), watchlist=())
            opened = time.perf_counter() - began
            runs = 1 if not with_snapshot else SERVER_RUNS  # replaying a million events once is enough
            timings.append((label, opened, server_answers.median(site_file, data, runs), desk.state == final))
        size = (data / "gatewatch.db").stat().st_size
    server_answers.close()
    table = Table(
        title=f"start-up after {count:,} stored events (SQLite, {size / 1e6:,.0f} MB), seconds (lower is better)"
    )
    for column in ("starting", "desk rebuilt (in process)", "server answers", "state matches"):
        table.add_column(column, justify="right")
    for label, opened, answered, same in timings:
        table.add_row(label, "" if opened is None else f"{opened:.2f}", f"{answered:.2f}", "yes" if same else "NO")
    console.print(table)
    console.print(
        f"machine: {os.cpu_count()} cores, Python {platform.python_version()}; target with a snapshot: under 1 s"
    )


if __name__ == "__main__":
    main()
