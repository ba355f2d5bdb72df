"""``make demo-sites``: the script sets up three sites and a head office, and serves them.

The script runs as an operator runs it (``scripts/demo_sites.sh``), into the test's own
directory, PostgreSQL database and NATS prefix. Its setup is checked by reading what it made:
head office's tables, each site's seed file, users and record. Served, the sites' records reach
head office, the passport shown at two sites under two names comes back to both as a
``site_link``, the consoles answer, and Ctrl-C stops every server the script started.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, func, select

from gatewatch.bootstrap import open_accounts
from gatewatch.hq.access import public_key, read_seed
from gatewatch.hq.schema import hq_entries, hq_links, hq_sites
from gatewatch.store.log import EventLog, database_url
from gatewatch.sync.wire import Topology

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "demo_sites.sh"
SITES = {
    "coyoacan-1940": ROOT / "examples" / "sites" / "coyoacan-1940-08-17.yaml",
    "mexico-office": ROOT / "examples" / "sites" / "office-1940-08-14.yaml",
    "safe-flat": ROOT / "examples" / "sites" / "safe-flat-1940-08-15.yaml",
}
SETUP_S = 600
"""The setup plays three example days, each loading the name matcher's data (up to a minute)."""
SERVED_S = 180


def _env(data: Path, db: str, nats: str, topology: Topology, **more: str) -> dict[str, str]:
    return {**os.environ, "DATA": str(data), "HQ_DB": db, "NATS": nats, "PREFIX": topology.prefix, **more}


def _setup(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(SCRIPT), "--setup-only"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=SETUP_S
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def _played_ids(site: str) -> set[str]:
    events = yaml.safe_load(SITES[site].read_text(encoding="utf-8"))["events"]
    return {str(event["id"]) for event in events}


def _record(data: Path, site: str) -> tuple[list[str], list[str]]:
    """The event ids and types in a site's record, in order."""
    log = EventLog.open(database_url(data / site, None))
    try:
        entries = list(log.entries())
    finally:
        log.close()
    return [e.event_id for e in entries], [e.type for e in entries]


def _signs_in(folder: Path, users: list[list[str]]) -> bool:
    """Every user the script printed signs in at the site with the password printed."""
    log, _, gatekeeper = open_accounts(database_url(folder, None))
    try:
        return all(gatekeeper.login(name, password, "127.0.0.1").token for name, _, password in users)
    finally:
        log.close()


def _sites_at_head_office(db: str) -> dict[str, str | None]:
    engine = create_engine(db)
    try:
        with engine.connect() as connection:
            return {row.site: row.public_key for row in connection.execute(select(hq_sites))}
    finally:
        engine.dispose()


@pytest.fixture
def demo(tmp_path: Path, office_db: str, nats_url: str, topology: Topology) -> Iterator[dict[str, str]]:
    """The script's environment: a directory, a database and a prefix of the test's own."""
    yield _env(tmp_path / "demo-sites", office_db, nats_url, topology)


@pytest.mark.slow
def test_setup_makes_head_office_and_three_sites_with_their_days_on_record(demo: dict[str, str]) -> None:
    data = Path(demo["DATA"])
    _setup(demo)

    public_key(read_seed(data / "hq" / "office.nk"))  # head office's own key: a user seed
    assert len((data / "hq" / "console.token").read_text().strip()) >= 32
    registered = _sites_at_head_office(demo["HQ_DB"])
    assert sorted(registered) == sorted(SITES)
    for site in SITES:
        seed = data / site / f"{site}.nk"
        assert registered[site] == public_key(read_seed(seed)), f"{site}: its seed is not the key head office knows"
        users = [line.split() for line in (data / site / "credentials").read_text().splitlines()]
        assert [role for _, role, _ in users] == ["lead", "guard", "analyst"]
        assert (data / site / "credentials").stat().st_mode & 0o077 == 0
        assert _signs_in(data / site, users), f"{site}: a user printed cannot sign in"
        ids, _ = _record(data, site)
        assert set(ids) == _played_ids(site), f"{site}: the record is not the example day"

    # A second run sets up nothing twice: the same keys, the same users, the same records.
    before = {site: (_record(data, site), (data / site / "credentials").read_text()) for site in SITES}
    keys = {site: (data / site / f"{site}.nk").read_text() for site in SITES}
    _setup(demo)
    assert {site: (_record(data, site), (data / site / "credentials").read_text()) for site in SITES} == before
    assert {site: (data / site / f"{site}.nk").read_text() for site in SITES} == keys
    assert sorted(_sites_at_head_office(demo["HQ_DB"])) == sorted(SITES)


def _free_ports(count: int) -> int:
    """The first of ``count`` consecutive free ports on loopback."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            first = int(probe.getsockname()[1])
        if first + count < 65536 and all(_free(port) for port in range(first, first + count)):
            return first
    raise AssertionError(f"no {count} consecutive free ports on 127.0.0.1")


def _free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _answers(url: str) -> int | None:
    class Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    try:
        with urllib.request.build_opener(Stay).open(url, timeout=5) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except OSError:
        return None


def _wait(check: Callable[[], bool], timeout: float, what: str, logs: Path) -> None:
    """Ask ``check`` every half second until it is true; fail after ``timeout`` s, showing the servers' logs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    told = "\n".join(f"--- {p}\n{p.read_text(errors='replace')[-3000:]}" for p in sorted(logs.glob("**/*.log")))
    raise AssertionError(f"waited {timeout:.0f} s for {what}\n{told}")


def _held_at_head_office(db: str) -> tuple[dict[str, int], int]:
    engine = create_engine(db)
    try:
        with engine.connect() as connection:
            held = connection.execute(select(hq_entries.c.site, func.count()).group_by(hq_entries.c.site))
            links = connection.execute(select(func.count()).select_from(hq_links)).scalar_one()
            return {row[0]: int(row[1]) for row in held}, int(links)
    finally:
        engine.dispose()


def _group_gone(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.slow
def test_served_the_sites_reach_head_office_and_the_two_names_come_back_to_both(demo: dict[str, str]) -> None:
    data = Path(demo["DATA"])
    _setup(demo)
    first = _free_ports(4)
    hq_port = first + 3
    env = {**demo, "SITE_PORT": str(first), "HQ_PORT": str(hq_port)}
    out = data / "demo-sites.log"
    with out.open("w") as written:
        script = subprocess.Popen(
            [str(SCRIPT)], env=env, cwd=ROOT, stdout=written, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        expected = {site: len(_record(data, site)[0]) for site in SITES}

        def all_held() -> bool:
            held, links = _held_at_head_office(demo["HQ_DB"])
            return links >= 1 and all(held.get(site, 0) >= count for site, count in expected.items())

        _wait(all_held, SERVED_S, "every site's record at head office, and a link", data)

        def linked_at(site: str) -> bool:
            return "site_link" in _record(data, site)[1]

        _wait(lambda: linked_at("coyoacan-1940") and linked_at("mexico-office"), SERVED_S, "site_link at both", data)
        assert not linked_at("safe-flat"), "the safe flat shares nothing with the others"

        token = (data / "hq" / "console.token").read_text().strip()
        assert _answers(f"http://127.0.0.1:{hq_port}/sign-in?token={token}") in (302, 303)
        for port in range(first, first + 3):
            assert _answers(f"http://127.0.0.1:{port}/v1/health") == 200
        printed = out.read_text()
        assert f"http://127.0.0.1:{hq_port}/sign-in?token={token}" in printed
        assert "hansen" in printed and "molina" in printed and "tomas" in printed
    finally:
        if script.poll() is None:
            os.killpg(script.pid, signal.SIGINT)  # Ctrl-C at the terminal: the whole foreground group
        script.wait(timeout=60)
    _wait(lambda: _group_gone(script.pid), 60, "every server the script started to stop", data)
    assert not [port for port in range(first, first + 4) if _listening(port)], "a server still answers"
