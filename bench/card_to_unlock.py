"""Card to unlock: from a card read at the reader to the unlock command for it, against the bare round trip.

For MQTT (door controllers through the real Mosquitto on 127.0.0.1:1883) and OSDP (libosdp
readers in this process on a loopback line, secure channel on), the same reads go three ways
side by side in one run:

- **gatewatch on SQLite** and **gatewatch on PostgreSQL**: the protocol's driver hands the read
  to the desk's doors (``service.doors``), which submit a ``badge`` through intake; the engine
  decides it, the record keeps it durably, and only then does the driver send the unlock (a
  grant) or the red signal (anything else). SQLite: a file in a temporary directory; PostgreSQL:
  a fresh database on ``GATEWATCH_BENCH_PG``, dropped afterwards (skipped if none answers);
- **the bare round trip**: the same read answered at once, without a decision, by a stub panel
  (MQTT: a client that publishes the unlock command from its message callback; OSDP: a libosdp
  control panel whose event callback submits the strike's pulse).

Each read is timed from the moment the controller (MQTT) or the reader (OSDP) emits it to the
moment it receives its answer (``card_rigs_mqtt.py``, ``card_rigs_osdp.py``); the site, its
credentials (issued before the run) and the mix of reads are in ``card_reads.py``. Reads go one
at a time (each waits for its answer), after an untimed warm-up; a second table has one reader
at each of the three doors reading at once.

Targets for gatewatch: p99 under 50 ms, and within 3x of the bare round trip.

    python bench/card_to_unlock.py [--quick] [--reads N] [--only mqtt|osdp] [--no-parallel] [--markdown] [--profile]
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

sys.path.insert(0, str(Path(__file__).parent))
from card_reads import OUTSIDE, CardRead, Rig, TimedDoors, plan
from ingest import database
from profile_server import PY_SPY, hottest

PROTOCOLS = ("mqtt", "osdp")
STORES = ("sqlite", "postgresql")
BARE = "bare round trip"
TARGET_P99_MS = 50.0
TARGET_RATIO = 3.0
PARALLEL_READERS = OUTSIDE
"""One reader at each door, reading at once (a door's answers are told apart by the door)."""

Opened = AbstractContextManager[tuple[Rig, TimedDoors | None]]


@dataclass
class Result:
    """One way of answering, one protocol: every read's answer, and the desk's share of it."""

    protocol: str
    way: str
    store: str
    readers: int
    latencies: list[float] = field(default_factory=list)
    pinned: list[bool] = field(default_factory=list)
    """Per answered read: whether a PIN was keyed with it."""
    unlocked: int = 0
    wrong: int = 0
    unanswered: int = 0
    seconds: float = 0.0
    desk: list[tuple[str, float]] = field(default_factory=list)

    @property
    def reads(self) -> int:
        return len(self.latencies) + self.unanswered

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def take(self, read: CardRead, seconds: float | None, unlocked: bool) -> None:
        if seconds is None:
            self.unanswered += 1
            return
        self.latencies.append(seconds)
        self.pinned.append(read.pin is not None)
        self.unlocked += unlocked
        self.wrong += self.way != BARE and unlocked != read.granted


def percentile(samples: list[float], share: float) -> float:
    """Milliseconds within which this share of the samples came."""
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


# --- the rigs ------------------------------------------------------------------------------------


def opened(protocol: str, way: str, store: str, stack: ExitStack) -> tuple[Rig, TimedDoors | None]:
    """The protocol's readers before a panel: the bare one, or gatewatch on a fresh record."""
    if protocol == "mqtt":
        import card_rigs_mqtt as rigs
    else:
        import card_rigs_osdp as rigs  # type: ignore[no-redef]
    if way == BARE:
        return stack.enter_context(rigs.bare()), None
    url = stack.enter_context(database(store))
    rig, doors = stack.enter_context(rigs.through_gatewatch(url))
    return rig, doors


def available(protocol: str) -> str | None:
    """Why the protocol cannot be measured here, or None."""
    if protocol == "mqtt":
        from card_rigs_mqtt import BROKER, broker_answers

        return None if broker_answers() else f"no MQTT broker answers on {BROKER.host}:{BROKER.port}"
    try:
        import card_rigs_osdp  # noqa: F401
    except ImportError as error:
        return f"libosdp is not installed ({error})"
    return None


# --- measuring -----------------------------------------------------------------------------------


Tick = Callable[[], None]


def one_at_a_time(rig: Rig, reads: list[CardRead], result: Result, tick: Tick) -> None:
    began = time.perf_counter()
    for read in reads:
        answered = rig.present(read)
        result.take(read, answered.seconds if answered else None, bool(answered and answered.unlocked))
        tick()
    result.seconds = time.perf_counter() - began


def at_once(rig: Rig, reads: dict[str, list[CardRead]], result: Result, tick: Tick) -> None:
    """Each reader's reads on a thread of its own, one at a time per reader, all readers at once."""
    guard = threading.Lock()

    def reader(own: list[CardRead]) -> None:
        for read in own:
            answered = rig.present(read)
            with guard:
                result.take(read, answered.seconds if answered else None, bool(answered and answered.unlocked))
                tick()

    threads = [threading.Thread(target=reader, args=(own,)) for own in reads.values()]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - began


@dataclass(frozen=True, slots=True)
class Plan:
    reads: int
    warmup: int
    parallel: bool
    seed: int
    profile_s: float


def measure(protocol: str, way: str, store: str, plan_: Plan, progress: Progress) -> list[Result]:
    """The case's reads one at a time, then (if asked) one reader per door at once."""
    label = f"{protocol}, {way}" + ("" if way == BARE else f", {store}")
    results = []
    with ExitStack() as stack:
        with progress_status(progress, f"{label}: starting"):
            rig, doors = opened(protocol, way, store, stack)
            for read in plan(plan_.warmup, plan_.seed - 1):
                rig.present(read)
        store_name = "" if way == BARE else {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[store]

        def phase(readers: int, total: int, work: Callable[[Result, Tick], None]) -> None:
            result = Result(protocol, way, store_name, readers)
            task = progress.add_task(f"{label}, {readers} reader{'s' * (readers > 1)}", total=total)
            before = len(doors.badges) if doors else 0
            work(result, lambda: progress.advance(task))
            result.desk = doors.badges[before:] if doors else []
            results.append(result)

        reads = plan(plan_.reads, plan_.seed)
        phase(1, len(reads), lambda result, tick: one_at_a_time(rig, reads, result, tick))
        if plan_.parallel:
            share = -(-plan_.reads // len(PARALLEL_READERS))
            own = {reader: plan(share, plan_.seed + n, (reader,)) for n, reader in enumerate(PARALLEL_READERS, 1)}
            total = sum(map(len, own.values()))
            phase(len(own), total, lambda result, tick: at_once(rig, own, result, tick))
        if plan_.profile_s and doors is not None:
            profile(rig, plan_, progress, label)
    return results


@contextmanager
def progress_status(progress: Progress, what: str) -> Iterator[None]:
    task = progress.add_task(what, total=None)
    try:
        yield
    finally:
        progress.remove_task(task)


def profile(rig: Rig, plan_: Plan, progress: Progress, label: str) -> None:
    """py-spy on this process (every thread at work, not only the one holding the GIL) while
    reads go one at a time: the functions where the time of a read goes."""
    reads = itertools.cycle(plan(2_000, plan_.seed + 99))  # made before the recording starts
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "stacks.txt"
        spy = subprocess.Popen(
            [str(PY_SPY), "record", "--pid", str(os.getpid()), "--duration", f"{plan_.profile_s:.0f}",
             "--rate", "250", "--format", "raw", "--nonblocking", "--output", str(out)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        task = progress.add_task(f"{label}: py-spy, {plan_.profile_s:.0f} s", total=None)
        while spy.poll() is None:
            rig.present(next(reads))
        progress.remove_task(task)
        problem = spy.stderr.read().decode() if spy.stderr else ""
        if spy.returncode != 0 or not out.exists():
            progress.console.print(f"[yellow]{label}: py-spy failed: {problem[-500:]}[/]")
            return
        stacks = out.read_text(encoding="utf-8")
    table = Table(title=f"{label}: py-spy, every thread at work, {plan_.profile_s:.0f} s (share of samples)")
    for column in ("function", "own", "with callees"):
        table.add_column(column, justify="left" if column == "function" else "right")
    for name, own, total in hottest(stacks, 25):
        table.add_row(name, f"{own:.1%}", f"{total:.1%}")
    progress.console.print(table)


# --- the tables ----------------------------------------------------------------------------------


HEADERS = ("protocol", "panel", "store", "reads", "unlocked", "wrong", "unanswered", "p50 ms", "p90 ms",
           "p99 ms", "max ms", "reads/s", "desk p50 ms", "desk p99 ms", "p50 / bare", "p99 / bare")  # fmt: skip


def bare_of(result: Result, results: list[Result]) -> Result | None:
    return next((r for r in results if r.way == BARE and (r.protocol, r.readers) == (result.protocol, result.readers)),
                None)  # fmt: skip


def cells(result: Result, results: list[Result]) -> list[str]:
    bare = bare_of(result, results)
    desk = [seconds for _, seconds in result.desk]
    ratio = ["", ""]
    if bare is not None and result.way != BARE and bare.latencies:
        ratio = [f"{percentile(result.latencies, q) / percentile(bare.latencies, q):.1f}x" for q in (0.5, 0.99)]
    return [
        result.protocol.upper() if result.protocol == "osdp" else "MQTT", result.way, result.store or "—",
        f"{result.reads:,}", f"{result.unlocked:,}", "—" if result.way == BARE else f"{result.wrong}",
        f"{result.unanswered}", *(f"{percentile(result.latencies, q):.1f}" for q in (0.5, 0.9, 0.99, 1.0)),
        f"{result.rate:,.1f}", *((f"{percentile(desk, q):.1f}" for q in (0.5, 0.99)) if desk else ("—", "—")),
        *ratio,
    ]  # fmt: skip


def table(title: str, results: list[Result]) -> Table:
    shown = Table(title=title)
    for header in HEADERS:
        shown.add_column(header, justify="left" if header in ("protocol", "panel", "store") else "right")
    for result in results:
        shown.add_row(*cells(result, results))
    return shown


def by_pin(results: list[Result]) -> Table:
    """gatewatch's reads with and without a PIN keyed, apart: a PIN is checked against its argon2 hash."""
    shown = Table(title="gatewatch, one read at a time: reads without and with a PIN (ms)")
    for header in ("protocol", "store", "no PIN p50", "no PIN p99", "PIN p50", "PIN p99",
                   "desk no PIN p50", "desk no PIN p99", "desk PIN p50", "desk PIN p99"):  # fmt: skip
        shown.add_column(header, justify="left" if header in ("protocol", "store") else "right")
    for result in results:
        if result.way == BARE or result.readers != 1:
            continue
        split = [[s for s, pinned in zip(result.latencies, result.pinned, strict=True) if pinned is wanted]
                 for wanted in (False, True)]  # fmt: skip
        desk = [[s for kind, s in result.desk if kind == wanted] for wanted in ("card", "pin")]
        figures = [f"{percentile(part, q):.1f}" for part in (*split, *desk) for q in (0.5, 0.99)]
        shown.add_row(result.protocol.upper() if result.protocol == "osdp" else "MQTT", result.store, *figures)
    return shown


def verdicts(results: list[Result]) -> list[str]:
    said = []
    for result in results:
        bare = bare_of(result, results)
        if result.way == BARE or result.readers != 1 or not result.latencies:
            continue
        p99 = percentile(result.latencies, 0.99)
        line = f"{result.protocol} on {result.store}: p99 under {TARGET_P99_MS:.0f} ms: "
        line += f"{'met' if p99 < TARGET_P99_MS else 'NOT met'} ({p99:.1f} ms)"
        if bare is not None and bare.latencies:
            ratio = p99 / percentile(bare.latencies, 0.99)
            line += f"; within {TARGET_RATIO:.0f}x of the bare round trip: "
            line += f"{'met' if ratio <= TARGET_RATIO else 'NOT met'} (p99 {ratio:.1f}x"
            line += f", p50 {percentile(result.latencies, 0.5) / percentile(bare.latencies, 0.5):.1f}x)"
        if result.wrong or result.unanswered:
            line += f"; {result.wrong} answered otherwise than the engine decides, {result.unanswered} unanswered"
        said.append(line)
    return said


def markdown(results: list[Result]) -> str:
    lines = ["| " + " | ".join(HEADERS) + " |", "|---|---|---|" + "---:|" * (len(HEADERS) - 3)]
    lines += ["| " + " | ".join(cells(result, results)) + " |" for result in results]
    return "\n".join(lines)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reads", type=int, default=10_000, help="reads per case (default 10,000)")
    parser.add_argument("--quick", action="store_true", help="500 reads per case")
    parser.add_argument("--only", choices=PROTOCOLS, help="one protocol only")
    parser.add_argument("--no-parallel", action="store_true", help="only the reads one at a time")
    parser.add_argument("--markdown", action="store_true", help="also print the tables as Markdown")
    parser.add_argument("--profile", type=float, default=0.0, metavar="SECONDS",
                        help="py-spy on this process for so many seconds after each gatewatch case")  # fmt: skip
    parser.add_argument("--seed", type=int, default=1940)
    args = parser.parse_args()
    reads = 500 if args.quick else args.reads
    if not 1 <= reads <= 1_000_000:
        parser.error("--reads: from 1 to 1,000,000")
    plan_ = Plan(reads, min(100, max(10, reads // 10)), not args.no_parallel, args.seed, args.profile)
    console = Console(width=max(150, Console().width))
    console.print(f"before: {load()}")
    results: list[Result] = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        for protocol in (args.only,) if args.only else PROTOCOLS:
            missing = available(protocol)
            if missing:
                console.print(f"[yellow]{protocol}: not measured: {missing}[/]")
                continue
            for way, store in ((BARE, ""), *(("gatewatch", s) for s in STORES)):
                try:
                    results += measure(protocol, way, store, plan_, progress)
                except Exception as error:  # a server that is not there is reported, not fatal
                    console.print(f"[yellow]{protocol}, {way} {store}: not measured ({error.__class__.__name__}: "
                                  f"{error})[/]")  # fmt: skip
    single = [r for r in results if r.readers == 1]
    console.print(table("card to unlock, one read at a time (ms from the read emitted to its answer received)", single))
    console.print(by_pin(single))
    several = [r for r in results if r.readers > 1]
    if several:
        console.print(table(f"card to unlock, {len(PARALLEL_READERS)} readers at once (one per door)", several))
    for line in verdicts(results):
        console.print(line)
    console.print(
        f"machine: {os.cpu_count()} cores shared by the readers, the panels, the broker, the database and other work; "
        f"Python {platform.python_version()}; after: {load()}"
    )
    if args.markdown:
        print(markdown(single))
        if several:
            print()
            print(markdown(several))


if __name__ == "__main__":
    main()
