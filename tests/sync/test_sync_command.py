"""``gatewatch sync``: one sync per record (the lock), ``--once``, options checked, a run stopped by SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import nats
import nkeys  # type: ignore[import-untyped]
import pytest
from nats.js import JetStreamContext
from sync_support import (
    NATS_SERVER,
    SyncSite,
    link_note,
    make_streams,
    own_server,
    publish_link,
    site_only,
    stored,
    with_jetstream,
)
from typer.testing import CliRunner

from gatewatch.cli.main import app
from gatewatch.store.log import EventLog
from gatewatch.sync import wire
from gatewatch.sync.lock import LOCK_FILE, SyncLock, SyncLocked
from gatewatch.sync.nats_link import LinkError, check_servers, read_seed

runner = CliRunner()


def _sync(site: SyncSite, nats_url: str, topology: wire.Topology, *more: str) -> list[str]:
    return [
        "sync",
        "--site",
        str(site.file),
        "--data",
        str(site.data),
        "--nats",
        nats_url,
        "--prefix",
        topology.prefix,
        *more,
    ]


def _held(nats_url: str, topology: wire.Topology, site: str) -> list[int]:
    async def ask(js: JetStreamContext) -> list[int]:
        return [s.shipped.seq for s in await stored(js, topology, site)]

    return with_jetstream(nats_url, ask)


def test_the_lock_refuses_a_second_sync_and_names_its_file(tmp_path: Path) -> None:
    with SyncLock(tmp_path) as first:
        assert first.held
        with pytest.raises(SyncLocked, match=f"process {os.getpid()}.*lock file {tmp_path / LOCK_FILE}"):
            SyncLock(tmp_path).acquire()
    with SyncLock(tmp_path):  # let go: the next one takes it
        pass


def test_the_command_is_refused_while_another_sync_holds_the_record(
    nats_url: str, office: wire.Topology, site: SyncSite
) -> None:
    site.weather(2)
    site.close()
    with SyncLock(site.data):
        done = runner.invoke(app, _sync(site, nats_url, office, "--once"))
    assert done.exit_code == 2
    assert "another sync of this record is running" in done.output and LOCK_FILE in done.output
    assert _held(nats_url, office, site.id) == []


@pytest.mark.slow
def test_once_ships_what_is_pending_takes_the_inbox_and_says_how_far_head_office_has_it(
    nats_url: str, office: wire.Topology, site: SyncSite
) -> None:
    site.visitor("v1", "JX1940817")
    site.weather(10)
    head = site.services.log.head()
    site.close()

    async def send(js: JetStreamContext) -> None:
        await publish_link(js, office, link_note(5, site.id, "v1"), "link-5-north")

    with_jetstream(nats_url, send)
    done = runner.invoke(app, _sync(site, nats_url, office, "--once"))
    assert done.exit_code == 0, done.output
    assert f"shipped 12 entries; head office has the record up to entry 12 ({head[1][:16]}" in done.output
    assert "took 1 links and 0 watchlist versions" in done.output
    assert _held(nats_url, office, site.id) == list(range(1, 13))

    again = runner.invoke(app, _sync(site, nats_url, office, "--once"))  # the link's event, recorded meanwhile
    assert again.exit_code == 0, again.output
    assert "shipped 1 entries; head office has the record up to entry 13" in again.output
    log = EventLog.open(site.url)
    linked = log.find("hq-link-5")
    log.close()
    assert linked is not None and linked.seq == 13


def test_once_without_a_stream_fails_and_says_the_cursor(
    nats_url: str, topology: wire.Topology, site: SyncSite
) -> None:
    site.weather(1)
    site.close()
    done = runner.invoke(app, _sync(site, nats_url, topology, "--once"))
    assert done.exit_code == 1
    assert "no stream takes the site's entries" in done.output
    assert "head office has the record up to entry 0" in done.output


@pytest.mark.parametrize(
    ("more", "said"),
    [
        (["--nats", "http://hq:4222"], "is not a NATS URL"),
        (["--private"], "--private needs --identity-key"),
        (["--nats-seed", "missing.nk"], "missing.nk: no such file"),
        (["--prefix", "Bad.Prefix"], "--prefix: prefix"),
        (["--identity-key", "missing.key"], "missing.key"),
    ],
)
def test_bad_options_are_refused_before_anything_is_done(tmp_path: Path, more: list[str], said: str) -> None:
    site = SyncSite(tmp_path, "north")
    base = ["sync", "--site", str(site.file), "--data", str(site.data), "--nats", "nats://127.0.0.1:4222"]
    done = runner.invoke(app, [*base, *more])
    assert done.exit_code == 2, done.output
    assert said in " ".join(done.output.split())
    assert not (site.data / LOCK_FILE).exists()


@pytest.mark.slow
def test_the_servers_head_office_options_are_checked_before_it_starts(tmp_path: Path) -> None:
    site = SyncSite(tmp_path, "north")
    base = ["serve", "--site", str(site.file), "--data", str(site.data)]
    done = runner.invoke(app, [*base, "--head-office", "hq.example.org:4222"])
    assert done.exit_code == 2 and "is not a NATS URL" in done.output
    done = runner.invoke(app, [*base, "--private"])
    assert done.exit_code == 2 and "need --head-office" in done.output


def test_a_seed_file_must_hold_a_user_seed(tmp_path: Path) -> None:
    user = tmp_path / "site.nk"
    user.write_bytes(nkeys.encode_seed(bytes(32), nkeys.PREFIX_BYTE_USER) + b"\n")
    user.chmod(0o600)
    assert read_seed(user).startswith(b"SU")
    account = tmp_path / "account.nk"
    account.write_bytes(nkeys.encode_seed(bytes(32), nkeys.PREFIX_BYTE_ACCOUNT))
    with pytest.raises(LinkError, match="not a user seed"):
        read_seed(account)
    damaged = tmp_path / "damaged.nk"
    damaged.write_bytes(b"SU" + b"A" * 56)
    damaged.chmod(0o600)
    with pytest.raises(LinkError, match="not a valid NKEY seed"):
        read_seed(damaged)
    with pytest.raises(LinkError, match="that is a directory"):
        read_seed(tmp_path)


def test_servers_are_nats_urls() -> None:
    assert check_servers("nats://a:4222, nats://b:4222") == ("nats://a:4222", "nats://b:4222")
    for bad in ("", "tls://a:4222", "nats://", "nats://a:port"):
        with pytest.raises(LinkError):
            check_servers(bad)


@pytest.mark.slow
def test_a_running_sync_ships_new_entries_and_stops_cleanly_on_sigterm(
    nats_url: str, office: wire.Topology, site: SyncSite
) -> None:
    site.weather(3)
    site.close()
    command = [str(Path(sys.executable).parent / "gatewatch"), *_sync(site, nats_url, office)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait(lambda: _held(nats_url, office, site.id) == [1, 2, 3], "the three entries", process)
        site.weather(2)  # written by another process while the sync runs
        _wait(lambda: _held(nats_url, office, site.id) == [1, 2, 3, 4, 5], "the two new entries", process)
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=20)
    assert process.returncode == 0, output
    assert "sync stopped" in output


def _wait(check: Callable[[], bool], what: str, process: subprocess.Popen[str], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if process.poll() is not None:
            raise AssertionError(f"the sync ended before {what} arrived: {process.communicate()[0]}")
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout:g} s")
        time.sleep(0.2)


@pytest.mark.slow
def test_a_site_with_only_its_own_rights_ships_its_record_and_takes_its_inbox(tmp_path: Path, site: SyncSite) -> None:
    """On a server that gives the site only the design's permissions, with its own NKEY, ``--once`` works whole."""
    if not Path(NATS_SERVER).exists():
        if os.environ.get("CI"):
            pytest.fail(f"no {NATS_SERVER}")
        pytest.skip(f"no {NATS_SERVER}")
    topology = wire.Topology(prefix="gw")
    site_seed, office_seed = (nkeys.encode_seed(os.urandom(32), nkeys.PREFIX_BYTE_USER) for _ in range(2))
    seed_file = tmp_path / "north.nk"
    seed_file.write_bytes(site_seed)
    seed_file.chmod(0o600)
    site.visitor("v1", "JX1940817")
    site.close()
    keys = [nkeys.from_seed(bytearray(seed)).public_key.decode() for seed in (site_seed, office_seed)]
    with own_server(tmp_path / "nats", site_only(topology, site.id, *keys)) as url:

        async def office() -> None:
            client = await nats.connect(url, nkeys_seed_str=office_seed.decode(), allow_reconnect=False)
            try:
                js = client.jetstream()
                await make_streams(js, topology, [site.id])
                await publish_link(js, topology, link_note(3, site.id, "v1"), "link-3-north")
            finally:
                await client.close()

        asyncio.run(office())
        done = runner.invoke(app, _sync(site, url, topology, "--once", "--nats-seed", str(seed_file)))
        assert done.exit_code == 0, done.output
        assert "shipped 2 entries" in done.output and "took 1 links" in done.output

        async def held() -> list[int]:
            client = await nats.connect(url, nkeys_seed_str=office_seed.decode(), allow_reconnect=False)
            try:
                return [s.shipped.seq for s in await stored(client.jetstream(), topology, site.id)]
            finally:
                await client.close()

        assert asyncio.run(held()) == [1, 2]
        refused = runner.invoke(app, _sync(site, url, topology, "--once"))  # no key: the server refuses the site
        assert refused.exit_code == 1 and "authorization" in refused.output.lower()
