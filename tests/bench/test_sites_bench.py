"""The many-sites benchmark: its simulated sites are what it says they are, and ``--quick`` prints its table.

A site's day is played through the engine in time order, its entries chain, and twin sites share
a traveller's papers (so that head office has links to find) while no two sites ever make the
same entry. The quick run (real NATS, real PostgreSQL) is checked for its table's rows and that
each holds its figures: nothing here is timed.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from gatewatch.store.chain import GENESIS, check
from gatewatch.store.log import prepare_entry
from gatewatch.sync import wire

ROOT = Path(__file__).resolve().parents[2]
BENCH = str(ROOT / "bench")
# on the path only while the benchmark's modules load: its service.py must not hide the tests' own
# service folder (a module anywhere on the path wins over a folder without __init__.py)
sys.path.insert(0, BENCH)
try:
    import sites as bench
    from ingest import PG
finally:
    while BENCH in sys.path:  # the benchmark puts its folder on the path as well, for its own run
        sys.path.remove(BENCH)

NUMBER = re.compile(r"^[\d,.]+( ms| s| MiB|%)?$")


def answers(url: str, default_port: int) -> bool:
    where = urlsplit(url)
    try:
        with socket.create_connection((where.hostname or "127.0.0.1", where.port or default_port), timeout=2):
            return True
    except OSError:
        return False


@pytest.mark.slow  # the engine's first names take seconds to analyse
def test_a_sites_day_is_decided_in_time_order_and_chains() -> None:
    day = bench.site_day(3, bench.DAY + timedelta(hours=8), bench.DAY + timedelta(hours=12))
    assert [made.at for made in day] == sorted(made.at for made in day)
    kinds = {made.type for made in day}
    assert {"post", "checkin", "invite", "arrive", "identify", "request", "open", "move", "close", "leave"} <= kinds
    assert {made.outcome["decision"] for made in day if made.type == "request"} <= {"grant", "deny"}
    entries, previous = [], GENESIS
    for seq, made in enumerate(day, start=1):
        entry = prepare_entry(made.submission(made.at + timedelta(seconds=1)), seq, previous)
        entries.append(entry)
        previous = entry.hash
    assert check(entries).ok
    message = wire.decode_shipped(bench.shipped_message(entries[0], 3, bench.clock()))
    assert message.site == bench.site_id(3) and message.hash == entries[0].hash


@pytest.mark.slow
def test_twin_sites_share_a_travellers_papers_and_no_entry() -> None:
    assert bench.document_of(4, 0) == bench.document_of(5, 0)
    assert bench.document_of(4, 0) != bench.document_of(6, 0)
    assert bench.document_of(4, bench.TRAVELLERS) != bench.document_of(5, bench.TRAVELLERS)
    first = {made.event_id for made in bench.site_day(4, bench.DAY, bench.DAY + timedelta(hours=9), most=40)}
    second = {made.event_id for made in bench.site_day(5, bench.DAY, bench.DAY + timedelta(hours=9), most=40)}
    assert first and second and not first & second


def test_the_sites_are_dealt_evenly_into_the_processes() -> None:
    groups = bench.split(range(10), 4)
    assert sorted(n for group in groups for n in group) == list(range(10))
    assert {len(group) for group in groups} == {2, 3}
    assert bench.split(range(1), 4) == [(0,)]


@pytest.mark.slow
def test_the_quick_run_prints_every_row_of_its_table() -> None:
    for url, port, what in ((bench.NATS_URL, 4222, "NATS"), (PG, 5432, "PostgreSQL")):
        if not answers(url.replace("postgresql+psycopg", "postgresql"), port):
            if os.environ.get("CI"):
                pytest.fail(f"no {what} at {url}")
            pytest.skip(f"no {what} at {url}")
    run = subprocess.run(
        [sys.executable, "bench/sites.py", "--quick", "--markdown"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1_200,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    table = [line.strip("| ").split(" | ") for line in run.stdout.splitlines() if line.startswith("| ")]
    assert table[0] == list(bench.HEADERS)
    rows = {row[0]: row for row in table[1:]}
    assert list(rows) == [
        "live, 1 event/s a site",
        "catch-up, 300 entries a site",
        "the same, already in JetStream",
        f"direct write, {bench.DIRECT_BATCH:,} a commit",
        "catch-up / direct write",
        "already in JetStream / direct write",
    ]
    live = rows["live, 1 event/s a site"]
    assert live[1] == "10"
    for cell in live[2:11]:  # entries, time, entries/s, lags, the site's part, memory, CPU
        assert NUMBER.match(cell), live
    assert float(live[4].replace(",", "")) > 0 and live[11].startswith("p99 < 2 s") and live[12] in ("met", "NOT met")
    for name in ("catch-up, 300 entries a site", "the same, already in JetStream"):
        catch_up = rows[name]
        assert catch_up[1] == "5" and catch_up[2] == "1,500"
        for cell in (catch_up[3], catch_up[4], catch_up[9], catch_up[10]):
            assert NUMBER.match(cell), catch_up
    direct = rows[f"direct write, {bench.DIRECT_BATCH:,} a commit"]
    assert direct[2] == "1,500" and NUMBER.match(direct[3]) and NUMBER.match(direct[4])
    for name in ("catch-up / direct write", "already in JetStream / direct write"):
        assert NUMBER.match(rows[name][4]) and rows[name][12] in ("met", "NOT met")
    assert "machine: " in run.stdout
