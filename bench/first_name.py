"""The first name comparison: rigour's name data in the server's process, or in a process of its own.

rigour builds its name tagger on the first name comparison in a process, holding the interpreter
for seconds. Side by side in one run, for a server whose name data loads in its own process
(``names_apart``, the default) and one where it loads in the server's process (as before):

- (a) the first comparison in a fresh Python process (rigour in that process);
- (b) seconds from launching the server until ``/v1/health`` answers;
- (c) a screening sent as soon as health answers: its answer, timed from launch and from sending
  it; while it waits, a badge at a door sent over and over through ``/v1/events`` (the desk's
  lock, as a door driver's badge) and ``/v1/health`` probed every 20 ms (the event loop): the
  slowest answer of each, and the badges refused; then, on another fresh server left alone for
  ``SETTLE_S`` after health answers, its first screening: the first comparison of a server that
  has been up a while;
- (d) resident memory (RSS) of that server after its first screening, and of its name-data process.

Each server is started fresh (the median of ``--runs`` runs, two starts each). The watchlist holds ``--entries``
entries, imported once with ``gatewatch watchlist import``.

    python bench/first_name.py [--quick]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

SITE = """
site: benchgate
name: Bench gate
timezone: UTC
zones:
  - {id: street, level: 0}
  - {id: lobby, level: 1}
doors:
  - {id: outer, between: [street, lobby], controlled_by: gate}
readers:
  - {id: outer-out, door: outer, side: outside}
posts:
  - {id: gate, zone: lobby, staff: 1, staff_at_night: 1}
people:
  - {id: lead, name: Lena Lead, role: guard, lead: true, in: lobby}
  - {id: cook, name: Carl Cook, role: staff, clearance: trusted}
"""
SETTLE_S = 12.0
"""How long a server is left alone before its first screening (its name data has loaded by then)."""
GIVEN = ("Natalia", "Robert", "Margaret", "Aleksandr", "Mohammed", "Sylvia", "Jacques", "Lev", "Ramon", "Frank")
FAMILY = ("Sedova", "Mercader", "Mornard", "Ageloff", "Trotsky", "Jacson", "Smith", "Haddad", "Okafor", "Morel")


@dataclass
class Run:
    """One server start, measured."""

    health_s: float = 0.0
    screening_from_launch_s: float = 0.0
    screening_s: float = 0.0
    badge_slowest_s: float = 0.0
    badge_median_s: float = 0.0
    badges: int = 0
    badges_refused: int = 0
    health_slowest_s: float = 0.0
    later_screening_s: float = 0.0
    server_mb: float = 0.0
    child_mb: float = 0.0
    badge_times: list[float] = field(default_factory=list)


# --- the server, in its own process ------------------------------------------------------------


def serve(site: str, data: str, port: int, names: str) -> None:
    """Run the server on ``port`` with its name data apart or here (this process becomes the server)."""
    import uvicorn

    from gatewatch.bootstrap import build
    from gatewatch.server import create_app

    services = build(Path(site), f"sqlite:///{Path(data) / 'gatewatch.db'}", cache=Path(data))
    app = create_app(services, names_apart=names == "apart")
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


# --- set-up --------------------------------------------------------------------------------------


def set_up(folder: Path, entries: int) -> tuple[Path, Path, str]:
    """The site, a record with a lead's token and a card for the cook, and an imported watchlist."""
    from datetime import UTC, datetime

    from gatewatch.bootstrap import build
    from gatewatch.service import intake
    from gatewatch.service.permissions import Actor

    site, data = folder / "site.yaml", folder / "data"
    site.write_text(SITE, encoding="utf-8")
    data.mkdir()
    services = build(site, f"sqlite:///{data / 'gatewatch.db'}", cache=data)
    services.gatekeeper.add_user("lena", "lead", "lena-password-bench", "lead")
    token = services.gatekeeper.login("lena", "lena-password-bench", "bench").token
    card = {"id": "card", "type": "credential", "person": "cook", "credential": "C-1", "kind": "card", "by": "lead"}
    intake.submit(services.desk, services.zone, Actor("lena", "lead", "lead"), card, datetime.now(UTC))  # type: ignore[arg-type]
    services.close()
    listed = folder / "list.jsonl"
    with listed.open("w", encoding="utf-8") as out:
        for number, name in enumerate(listed_names(entries)):
            out.write(json.dumps({"id": f"e{number}", "schema": "Person", "properties": {"name": [name]}}) + "\n")
    gatewatch = str(Path(sys.executable).parent / "gatewatch")
    subprocess.run(
        [gatewatch, "watchlist", "import", str(listed), "--list", "bench", "--data", str(data), "--by", "bench"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return site, data, token


def listed_names(entries: int) -> list[str]:
    """Names from Faker's lists in several locales, and every pairing of the screened names' parts
    (so that a screening judges a pool of real candidates)."""
    from faker import Faker

    fake = Faker(["en_US", "es_ES", "ru_RU", "de_DE", "fr_FR", "ar_AA", "tr_TR"])
    fake.seed_instance(7)
    paired = [f"{given} {family}" for given in GIVEN for family in FAMILY]
    return paired + [fake.name() for _ in range(max(0, entries - len(paired)))]


# --- measuring -----------------------------------------------------------------------------------


def first_comparison_here() -> float:
    """Seconds for the first name comparison in a fresh Python process (imports excluded)."""
    code = (
        "import time\nfrom gatewatch.core.names import compare_names\n"
        "t = time.perf_counter(); compare_names('Natalia Sedova', 'Natalya Sedova'); print(time.perf_counter() - t)"
    )
    return float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(p) for p in text]
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Server:
    """A server process and a client signed in to it."""

    def __init__(self, site: Path, data: Path, token: str, names: str) -> None:
        self.port = free_port()
        self.tag = uuid.uuid4().hex[:8]
        self.began = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(site), str(data), str(self.port), names],
            stdout=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        self.headers = {"Authorization": f"Bearer {token}"}

    def health_after(self) -> float:
        with httpx.Client(timeout=30) as client:
            while self.process.poll() is None:
                try:
                    if client.get(f"{self.url}/v1/health").status_code == 200:
                        return time.perf_counter() - self.began
                except httpx.TransportError:
                    time.sleep(0.01)
        raise RuntimeError("the server stopped before answering")

    def screen(self, ident: str, name: str) -> float:
        started = time.perf_counter()
        with httpx.Client(timeout=120, headers=self.headers) as client:
            answer = client.post(f"{self.url}/v1/screenings", json={"id": f"{self.tag}-{ident}", "names": [name]})
        answer.raise_for_status()
        return time.perf_counter() - started

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)


def badge_while(server: Server, busy: threading.Event, run: Run) -> None:
    """Badges at the outer door, one after another, while ``busy`` is set."""
    number = 0
    with httpx.Client(timeout=60, headers=server.headers) as client:
        while busy.is_set():
            number += 1
            event = {"id": f"{server.tag}-b{number}", "type": "badge", "reader": "outer-out", "credential": "C-1"}
            started = time.perf_counter()
            try:
                answered = client.post(f"{server.url}/v1/events", json=event).status_code == 200
            except httpx.TransportError:  # the connection was dropped while the server stood still
                answered = False
            run.badge_times.append(time.perf_counter() - started)
            if not answered:  # the desk did not answer in time, or at all: the door stays shut
                run.badges_refused += 1
            time.sleep(0.02)


def probe_while(server: Server, busy: threading.Event, run: Run) -> None:
    """``/v1/health`` probed every 20 ms while ``busy`` is set (it answers on the event loop)."""
    with httpx.Client(timeout=60) as client:
        while busy.is_set():
            started = time.perf_counter()
            with contextlib.suppress(httpx.TransportError):  # counted by its time: the server stood still
                client.get(f"{server.url}/v1/health")
            run.health_slowest_s = max(run.health_slowest_s, time.perf_counter() - started)
            time.sleep(0.02)


def screened_at_health(site: Path, data: Path, token: str, names: str, run: Run) -> None:
    """A fresh server: a screening sent as soon as health answers, with badges and probes meanwhile."""
    server = Server(site, data, token, names)
    try:
        run.health_s = server.health_after()
        busy = threading.Event()
        busy.set()
        helpers = [
            threading.Thread(target=badge_while, args=(server, busy, run), daemon=True),
            threading.Thread(target=probe_while, args=(server, busy, run), daemon=True),
        ]
        for helper in helpers:
            helper.start()
        try:
            run.screening_s = server.screen("first", "Natalya Sedova")
            run.screening_from_launch_s = time.perf_counter() - server.began
        finally:
            busy.clear()
            for helper in helpers:
                helper.join()
        run.badges = len(run.badge_times)
        run.badge_slowest_s = max(run.badge_times, default=0.0)
        run.badge_median_s = statistics.median(run.badge_times) if run.badge_times else 0.0
    finally:
        server.stop()


def screened_later(site: Path, data: Path, token: str, names: str, run: Run) -> None:
    """A fresh server left alone for ``SETTLE_S`` after health answers: its first screening then."""
    server = Server(site, data, token, names)
    try:
        server.health_after()
        time.sleep(SETTLE_S)
        run.later_screening_s = server.screen("later", "Natalya Sedova")
        run.server_mb = rss_mb(server.process.pid)
        run.child_mb = sum(rss_mb(child) for child in children(server.process.pid))
    finally:
        server.stop()


def one_start(site: Path, data: Path, token: str, names: str) -> Run:
    run = Run()
    screened_at_health(site, data, token, names, run)
    screened_later(site, data, token, names, run)
    return run


def median(runs: list[Run], attribute: str) -> float:
    return statistics.median(getattr(r, attribute) for r in runs)


def report(console: Console, fresh: list[float], results: dict[str, list[Run]], entries: int) -> None:
    table = Table(title=f"The first name comparison (watchlist of {entries:,} entries; medians of {len(fresh)} runs)")
    table.add_column("measure")
    table.add_column("name data in the server's process (before)", justify="right")
    table.add_column("name data in its own process (after)", justify="right")
    here, apart = results["here"], results["apart"]
    table.add_row("(a) first comparison, fresh Python process", f"{statistics.median(fresh):.2f} s", "(the same)")
    rows = (
        ("(b) launch → /v1/health answers", "health_s", "s"),
        ("(c) first screening (sent at health): answered, from launch", "screening_from_launch_s", "s"),
        ("(c) first screening (sent at health): its latency", "screening_s", "s"),
        ("(c) badges during it: slowest answer", "badge_slowest_s", "ms"),
        ("(c) badges during it: median answer", "badge_median_s", "ms"),
        ("(c) /v1/health during it: slowest answer", "health_slowest_s", "ms"),
        (f"(c) first screening {SETTLE_S:.0f} s after health answers: its latency", "later_screening_s", "s"),
        ("(d) RSS of the server", "server_mb", "MB"),
        ("(d) RSS of the name-data process", "child_mb", "MB"),
    )
    for label, attribute, unit in rows:
        cells = []
        for runs in (here, apart):
            value = median(runs, attribute)
            cells.append(
                f"{value * 1000:.0f} ms" if unit == "ms" else f"{value:.0f} MB" if unit == "MB" else f"{value:.2f} s"
            )
        table.add_row(label, *cells)
    total = [median(r, "server_mb") + median(r, "child_mb") for r in (here, apart)]
    table.add_row("(d) RSS, server and name-data process together", *(f"{t:.0f} MB" for t in total))
    table.add_row(
        "badges sent during the first screening: not granted an answer in time (the door stays shut)",
        *(f"{median(r, 'badges'):.0f}: {median(r, 'badges_refused'):.0f}" for r in (here, apart)),
    )
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one start of each server, a smaller list")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--serve", nargs=4, metavar=("SITE", "DATA", "PORT", "NAMES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        site, data, port, names = args.serve
        serve(site, data, int(port), names)
        return
    runs, entries = (1, 2_000) if args.quick else (args.runs, args.entries)
    console = Console()
    console.print(f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as folder:
        site, data, token = set_up(Path(folder), entries)
        fresh = [first_comparison_here() for _ in range(runs)]
        results: dict[str, list[Run]] = {"here": [], "apart": []}
        for _ in range(runs):
            for names in ("here", "apart"):
                results[names].append(one_start(site, data, token, names))
        report(console, fresh, results, entries)


if __name__ == "__main__":
    main()
