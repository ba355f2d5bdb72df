"""The service under load: door events per second and latency through the HTTP API, against two echoes.

Three servers run side by side in one run, each a uvicorn process of its own on a free
loopback port: ``gatewatch serve`` (the desk: decide, record, answer), an **echo** that only
validates the same event and sends it back, and a **durable echo** that also inserts it as one
row and commits (same database, same sync settings: ``bench/echo_app.py``). On SQLite (a file
in a temporary directory) and on PostgreSQL (a fresh database on ``GATEWATCH_BENCH_PG``,
dropped afterwards), 1, 8 and 32 clients (asyncio, one httpx connection each) send ``arrive``
and ``request`` events with fresh ids, signed with an API token (``gatewatch user token``).
Each case is bounded: so many events, or so many seconds, whichever comes first. Traffic goes
to 127.0.0.1 only.

Targets for the desk: 500 events/s with p99 under 10 ms at 8 clients, throughput that does
not fall as clients grow, and at least 0.8 of the durable echo.

    python bench/service.py [--quick] [--markdown] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).parent))
from ingest import database
from profile_server import hottest, record_profile

BIN = Path(sys.executable).parent
ECHO_APP = Path(__file__).parent / "echo_app.py"
CLIENTS = (1, 8, 32)
WAYS = ("gatewatch", "echo", "durable echo")
SITE_YAML = """
site: bench-gate
name: Benchmark gate
timezone: UTC
zones:
  - {id: street, level: 0}
  - {id: lobby, level: 1}
  - {id: yard, level: 2}
doors:
  - {id: outer, between: [street, lobby], controlled_by: gate}
  - {id: inner, between: [lobby, yard], controlled_by: gate}
posts:
  - {id: gate, zone: lobby, staff: 1}
people:
  - {id: res, name: Ruth Resident, role: resident, in: yard}
  - {id: g1, name: Gus Guard, role: guard}
"""


@dataclass(frozen=True, slots=True)
class Case:
    """One server at one number of clients: what came back, and how fast."""

    database: str
    way: str
    clients: int
    sent: int
    failed: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return (self.sent - self.failed) / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        """Milliseconds within which this share of the answered events came back."""
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


@dataclass
class Running:
    """A server process on a loopback port."""

    name: str
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def started(name: str, command: list[str], timeout: float = 90.0) -> Running:
    """Launch a server and wait until its ``/v1/health`` answers."""
    port = free_port()
    process = subprocess.Popen([*command, str(port)] if name != "gatewatch" else [*command, "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    running = Running(name, port, process)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            problem = process.stderr.read().decode() if process.stderr else ""
            raise RuntimeError(f"{name}: the server stopped: {problem[-2000:]}")
        try:
            if httpx.get(f"{running.url}/v1/health", timeout=1).status_code == 200:
                return running
        except httpx.TransportError:
            time.sleep(0.1)
    running.stop()
    raise RuntimeError(f"{name}: the server did not answer within {timeout:.0f} s")


@contextmanager
def gatewatch_server(folder: Path, url: str) -> Iterator[tuple[Running, str]]:
    """``gatewatch serve`` on the benchmark's site and ``url``, with a guard (person g1) and their API token."""
    site = folder / "site.yaml"
    site.write_text(SITE_YAML, encoding="utf-8")
    data = folder / "data"
    where = ["--data", str(data), "--db", url]
    gatewatch = str(BIN / "gatewatch")
    subprocess.run([gatewatch, "user", "add", "bench", "--role", "guard", "--person", "g1", *where],
                   input=f"{uuid.uuid4().hex}\n", text=True, check=True, capture_output=True)  # fmt: skip
    token = subprocess.run(
        [gatewatch, "user", "token", "bench", *where], text=True, check=True, capture_output=True
    ).stdout.strip()
    running = started("gatewatch", [gatewatch, "serve", "--site", str(site), *where])
    try:
        yield running, token
    finally:
        running.stop()


@contextmanager
def echo_server(mode: str, url: str) -> Iterator[Running]:
    running = started(mode, [sys.executable, str(ECHO_APP), mode, *([] if mode == "echo" else [url])])
    try:
        yield running
    finally:
        running.stop()


def events(prefix: str, count: int) -> list[dict[str, Any]]:
    """A visitor arrives at the outer door, then the guard asks it open for them: fresh ids throughout."""
    out: list[dict[str, Any]] = []
    for n in range(count):
        visitor = f"{prefix}-v{n // 2}"
        if n % 2 == 0:
            out.append({"id": f"{prefix}-{n}", "type": "arrive", "people": [visitor], "door": "outer"})
        else:
            out.append({"id": f"{prefix}-{n}", "type": "request", "door": "outer", "by": "g1", "for": [visitor]})
    return out


async def one_client(
    url: str, token: str, work: list[dict[str, Any]], stop_at: float, refusals: Counter[str]
) -> tuple[list[float], int]:
    """Send events one after another on one connection; each answer's latency, and how many failed.

    A refusal is counted in ``refusals`` by its status and the start of its message.
    """
    latencies: list[float] = []
    failed = 0
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=30) as client:
        for body in work:
            if time.perf_counter() > stop_at:
                break
            began = time.perf_counter()
            answer = await client.post("/v1/events", json=body)
            if answer.status_code == 200:
                latencies.append(time.perf_counter() - began)
            else:
                failed += 1
                refusals[f"{answer.status_code} {answer.text[:90]}"] += 1
    return latencies, failed


async def load(
    url: str, token: str, clients: int, count: int, seconds: float, prefix: str
) -> tuple[list[float], int, float]:
    """``clients`` at once, ``count`` events between them, for at most ``seconds``."""
    each = -(-count // clients)
    stop_at = time.perf_counter() + seconds
    refusals: Counter[str] = Counter()
    began = time.perf_counter()
    done = await asyncio.gather(
        *(one_client(url, token, events(f"{prefix}-c{c}", each), stop_at, refusals) for c in range(clients))
    )
    spent = time.perf_counter() - began
    for refusal, times in refusals.most_common(3):
        print(f"  {url}, {clients} clients: {times} x {refusal}", file=sys.stderr)
    return [latency for latencies, _ in done for latency in latencies], sum(failed for _, failed in done), spent


def measure(kind: str, url: str, servers: dict[str, Running], token: str, plan: Plan) -> list[Case]:
    """Every number of clients against every server, taking turns, with a short warm-up each."""
    cases = []
    for clients in CLIENTS:
        for way, running in servers.items():
            prefix = f"{kind[:2]}-{way[:3]}-{clients}-{uuid.uuid4().hex[:6]}"
            asyncio.run(load(running.url, token, clients, plan.warmup, plan.seconds, f"{prefix}-w"))
            latencies, failed, spent = asyncio.run(load(running.url, token, clients, plan.count, plan.seconds, prefix))
            cases.append(Case(kind, way, clients, len(latencies) + failed, failed, spent, latencies))
    return cases


@dataclass(frozen=True, slots=True)
class Plan:
    count: int
    warmup: int
    seconds: float
    profile: bool


def run_database(kind: str, plan: Plan, console: Console) -> list[Case]:
    with ExitStack() as stack:
        url = stack.enter_context(database(kind))
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        desk, token = stack.enter_context(gatewatch_server(folder, url))
        servers = {
            "gatewatch": desk,
            "echo": stack.enter_context(echo_server("echo", url)),
            "durable echo": stack.enter_context(echo_server("durable", url)),
        }
        with console.status(f"{kind}: {', '.join(map(str, CLIENTS))} clients against {', '.join(WAYS)}"):
            cases = measure(kind, url, servers, token, plan)
        if plan.profile:
            profile(kind, desk, token, plan, console)
        return cases


def profile(kind: str, desk: Running, token: str, plan: Plan, console: Console) -> None:
    """py-spy on the desk's process while 8 clients send events: where its time goes."""
    seconds = max(5.0, min(plan.seconds, 20.0))
    with record_profile(desk.process.pid, seconds) as profiled:
        asyncio.run(load(desk.url, token, 8, 10**6, seconds - 1.0, f"prof-{uuid.uuid4().hex[:6]}"))
    table = Table(title=f"{kind}: gatewatch serve at 8 clients, py-spy --gil, {seconds:.0f} s (share of samples)")
    for column in ("function", "own", "with callees"):
        table.add_column(column, justify="left" if column == "function" else "right")
    for name, own, total in hottest(profiled.stacks, 20):
        table.add_row(name, f"{own:.1%}", f"{total:.1%}")
    console.print(table)


# --- the tables --------------------------------------------------------------------------------


HEADERS = (
    "database",
    "clients",
    "server",
    "events",
    "events/s",
    "p50 ms",
    "p99 ms",
    "failed",
    "gatewatch / durable echo",
)


def rows(cases: list[Case]) -> list[list[str]]:
    durable = {(c.database, c.clients): c.rate for c in cases if c.way == "durable echo"}
    out = []
    for case in cases:
        ratio = ""
        if case.way == "gatewatch" and durable.get((case.database, case.clients)):
            ratio = f"{case.rate / durable[(case.database, case.clients)]:.2f}"
        out.append([
            "SQLite" if case.database == "sqlite" else "PostgreSQL", str(case.clients), case.way,
            f"{case.sent:,}", f"{case.rate:,.0f}", f"{case.percentile(0.5):.1f}", f"{case.percentile(0.99):.1f}",
            str(case.failed), ratio,
        ])  # fmt: skip
    return out


def verdicts(cases: list[Case]) -> list[str]:
    """The desk's targets, met or not, per database."""
    said = []
    for kind in dict.fromkeys(case.database for case in cases):
        desk = {c.clients: c for c in cases if c.database == kind and c.way == "gatewatch"}
        durable = {c.clients: c for c in cases if c.database == kind and c.way == "durable echo"}
        if 8 not in desk:
            continue
        eight = desk[8]
        fast = eight.rate >= 500 and eight.percentile(0.99) < 10
        steps = [(a, b) for a, b in itertools.pairwise(CLIENTS) if a in desk and b in desk]
        growing = all(desk[b].rate >= desk[a].rate * 0.95 for a, b in steps)
        share = min(desk[n].rate / durable[n].rate for n in desk if n in durable and durable[n].rate)
        said.append(
            f"{kind}: 500/s with p99 < 10 ms at 8 clients: {'met' if fast else 'NOT met'} "
            f"({eight.rate:,.0f}/s, p99 {eight.percentile(0.99):.1f} ms); throughput not falling as clients grow: "
            f"{'met' if growing else 'NOT met'} (within 5%); at least 0.8 of the durable echo: "
            f"{'met' if share >= 0.8 else 'NOT met'} (lowest {share:.2f})"
        )
    return said


def markdown(cases: list[Case]) -> str:
    lines = ["| " + " | ".join(HEADERS) + " |", "|---|---:|---|" + "---:|" * (len(HEADERS) - 3)]
    lines += ["| " + " | ".join(row) + " |" for row in rows(cases)]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="400 events a case, at most 15 s (else 3,000, 60 s)")
    parser.add_argument("--markdown", action="store_true", help="also print the table as Markdown")
    parser.add_argument("--profile", action="store_true", help="py-spy on the desk at 8 clients: its top functions")
    parser.add_argument("--only", choices=("sqlite", "postgresql"), help="one database only")
    args = parser.parse_args()
    plan = Plan(400, 64, 15.0, args.profile) if args.quick else Plan(3_000, 200, 60.0, args.profile)
    console = Console(width=max(120, Console().width))
    cases: list[Case] = []
    for kind in (args.only,) if args.only else ("sqlite", "postgresql"):
        try:
            cases += run_database(kind, plan, console)
        except Exception as error:  # a server that is not there is reported, not fatal
            console.print(f"[yellow]{kind}: not measured ({error.__class__.__name__}: {error})[/]")
    table = Table(title="the service under load: door events through POST /v1/events (loopback)")
    for header in HEADERS:
        table.add_column(header, justify="left" if header == "server" else "right")
    for row in rows(cases):
        table.add_row(*row)
    console.print(table)
    for line in verdicts(cases):
        console.print(line)
    console.print(
        f"machine: {os.cpu_count()} cores (clients and servers share them), Python {platform.python_version()}"
    )
    if args.markdown:
        print(markdown(cases))


if __name__ == "__main__":
    main()
