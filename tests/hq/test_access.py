"""Who may do what on NATS: each site's NKEY, head office's, and the server config that binds them.

The security test starts a nats-server of its own with the config ``server_config`` writes for
two sites: a site publishes its own entries (head office stores them), and is refused by the
server when it publishes as the other site, pulls the other site's consumer, listens on the
other site's replies or makes a consumer; head office may do all of it; a connection without a
key is refused.
"""

from __future__ import annotations

import asyncio
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import msgspec
import nats
import pytest
from nats.aio.client import Client
from nats.js.api import ConsumerConfig

from gatewatch.hq import access
from gatewatch.hq.ingest import Ingest
from gatewatch.hq.store import OfficeStore
from gatewatch.hq.streams import ensure_site, ensure_streams
from gatewatch.sync import wire
from hq.conftest import SiteRecord
from hq.nats_support import NATS_SERVER, eventually, free_port, missing, own_server

Make = Callable[[str], SiteRecord]


# --- keys and seed files ------------------------------------------------------------------


def test_a_user_seed_gives_its_public_key() -> None:
    seed = access.new_user_seed()
    assert seed.startswith(b"SU") and len(seed) == 58
    key = access.public_key(seed)
    assert key.startswith("U") and len(key) == 56
    assert access.check_public_key(key) == key
    assert access.public_key(seed + b"\n") == key
    assert access.new_user_seed() != seed


def test_what_is_not_a_user_seed_or_key_is_refused() -> None:
    with pytest.raises(access.AccessError, match="not an NKEY user seed"):
        access.public_key(b"SAABBB")
    key = access.public_key(access.new_user_seed())
    with pytest.raises(access.AccessError, match="checksum does not match"):
        access.check_public_key(key[:-1] + ("A" if key[-1] != "A" else "B"))
    with pytest.raises(access.AccessError, match="not an NKEY user public key"):
        access.check_public_key("N" + key[1:])
    seed = access.new_user_seed()
    with pytest.raises(access.AccessError, match="checksum does not match"):
        access.public_key(seed[:-1] + (b"A" if seed[-1:] != b"A" else b"B"))  # one character damaged


def test_a_seed_file_is_the_owners_alone_and_never_overwritten(tmp_path: Path) -> None:
    seed = access.new_user_seed()
    path = tmp_path / "north.nk"
    assert access.write_seed(path, seed) == access.public_key(seed)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert access.read_seed(path) == seed
    with pytest.raises(access.AccessError, match="already exists: a seed file is never overwritten"):
        access.write_seed(path, access.new_user_seed())
    assert access.read_seed(path) == seed
    with pytest.raises(access.AccessError, match="no such seed file"):
        access.read_seed(tmp_path / "none.nk")
    (tmp_path / "bad.nk").write_text("hello\n")
    with pytest.raises(access.AccessError, match=r"bad\.nk: not an NKEY user seed"):
        access.read_seed(tmp_path / "bad.nk")


def _keys(*names: str) -> dict[str, str]:
    return {name: access.public_key(access.new_user_seed()) for name in names}


def test_the_server_config_gives_each_site_its_own_subjects_only(tmp_path: Path) -> None:
    topology = wire.Topology("gatewatch")
    keys = _keys("office", "north", "south")
    config = access.server_config(
        topology, [("north", keys["north"]), ("south", keys["south"])], keys["office"], 4333, tmp_path
    )
    assert 'listen: "127.0.0.1:4333"' in config
    assert f'store_dir: "{tmp_path}"' in config
    north = next(line for line in config.splitlines() if keys["north"] in line)
    assert '"gatewatch.sites.north"' in north and '"_INBOX_north.>"' in north
    assert '"$JS.API.CONSUMER.MSG.NEXT.GATEWATCH_TO.to_north"' in north
    assert '"$JS.ACK.GATEWATCH_TO.lists_north.>"' in north
    assert "south" not in north and '">"' not in north
    office = next(line for line in config.splitlines() if keys["office"] in line)
    assert 'publish: { allow: [">"] }, subscribe: { allow: [">"] }' in office
    if not Path(NATS_SERVER).is_file():
        missing(f"no nats-server at {NATS_SERVER}")
    (tmp_path / "nats.conf").write_text(config)
    checked = subprocess.run([NATS_SERVER, "-c", str(tmp_path / "nats.conf"), "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_server_config_refuses_what_cannot_be_right(tmp_path: Path) -> None:
    topology = wire.Topology("gatewatch")
    keys = _keys("office", "north")
    with pytest.raises(access.AccessError, match="every site needs a key of its own"):
        access.server_config(
            topology, [("north", keys["north"]), ("south", keys["north"])], keys["office"], 4222, tmp_path
        )
    with pytest.raises(access.AccessError, match="already head office's"):
        access.server_config(topology, [("north", keys["office"])], keys["office"], 4222, tmp_path)
    with pytest.raises(access.AccessError, match="site north is listed twice"):
        other = access.public_key(access.new_user_seed())
        access.server_config(topology, [("north", keys["north"]), ("north", other)], keys["office"], 4222, tmp_path)
    with pytest.raises(wire.WireError, match="cannot cross to head office"):
        access.server_config(topology, [("no.dots", keys["north"])], keys["office"], 4222, tmp_path)
    with pytest.raises(access.AccessError, match="port 0"):
        access.server_config(topology, [], keys["office"], 0, tmp_path)
    with pytest.raises(access.AccessError, match="not an NKEY user public key"):
        access.server_config(topology, [("north", "UNOTAKEY")], keys["office"], 4222, tmp_path)


# --- the server itself: a site refused when it acts as another ----------------------------


class Refusals:
    """The errors the server sent a client (permissions violations arrive apart from the call)."""

    def __init__(self) -> None:
        self.said: list[str] = []

    async def heard(self, error: Exception) -> None:
        self.said.append(str(error).lower())

    async def saw(self, subject: str) -> bool:
        await eventually(lambda: any(subject.lower() in said for said in self.said), timeout=5)
        return True


async def _site_client(url: str, seed: Path, topology: wire.Topology, site: str, refusals: Refusals) -> Client:
    return await nats.connect(
        url,
        nkeys_seed=str(seed),
        inbox_prefix=topology.inbox_prefix(site),
        error_cb=refusals.heard,
        allow_reconnect=False,
        connect_timeout=3,
    )


@pytest.mark.slow
def test_a_site_publishes_and_reads_only_its_own(office: OfficeStore, site_record: Make, tmp_path: Path) -> None:
    topology = wire.Topology("gwsec")
    seeds: dict[str, Path] = {}
    keys: dict[str, str] = {}
    for name in ("office", "north", "south"):
        seeds[name] = tmp_path / f"{name}.nk"
        keys[name] = access.write_seed(seeds[name], access.new_user_seed())
    office.add_site("north", "North gate", keys["north"])
    office.add_site("south", "South gate", keys["south"])
    port = free_port()
    config = access.server_config(
        topology, [("north", keys["north"]), ("south", keys["south"])], keys["office"], port, tmp_path / "js"
    )
    north = site_record("north")
    north.fill(3)

    async def scenario(url: str) -> None:
        head = await nats.connect(url, nkeys_seed=str(seeds["office"]), allow_reconnect=False, connect_timeout=3)
        js = head.jetstream(timeout=3)
        await ensure_streams(js, topology)
        for site in ("north", "south"):
            await ensure_site(js, topology, site)
        refusals = Refusals()
        site = await _site_client(url, seeds["north"], topology, "north", refusals)
        site_js = site.jetstream(timeout=2)

        # Its own subject: stored, and head office takes it into PostgreSQL.
        for shipped in north.shipped():
            ack = await site_js.publish(
                topology.site_subject("north"), wire.encode(shipped), headers={wire.MSG_ID: shipped.hash}
            )
            assert ack.stream == topology.sites_stream
        async with Ingest(office, js, topology, sites_every_s=0.2):
            await eventually(lambda: office.heads()["north"][0] == 3)

        # Publishing as the other site: refused by the server, nothing stored on its subject.
        as_south = msgspec.structs.replace(north.shipped()[0], site="south")
        with pytest.raises(nats.errors.TimeoutError):
            await site_js.publish(topology.site_subject("south"), wire.encode(as_south), timeout=2)
        assert await refusals.saw(f'publish to "{topology.site_subject("south")}"')
        south_info = await js.stream_info(topology.sites_stream, subjects_filter=topology.site_subject("south"))
        assert not (south_info.state.subjects or {}).get(topology.site_subject("south"))
        held = await js.consumer_info(topology.sites_stream, topology.office_consumer("south"))
        assert (held.num_pending, held.num_ack_pending) == (0, 0)

        # Pulling the other site's consumer of what head office sends it: refused, nothing delivered.
        await js.publish(topology.to_site("south"), b"for south", headers={wire.MSG_ID: "note-south"})
        await js.publish(topology.to_site("north"), b"for north", headers={wire.MSG_ID: "note-north"})
        stolen = await site_js.pull_subscribe_bind(
            durable=topology.inbox_consumer("south"), stream=topology.office_stream
        )
        with pytest.raises(nats.errors.TimeoutError):
            await stolen.fetch(1, timeout=2)
        assert await refusals.saw(f"$JS.API.CONSUMER.MSG.NEXT.{topology.office_stream}.to_south")
        untouched = await js.consumer_info(topology.office_stream, topology.inbox_consumer("south"))
        assert (untouched.num_pending, untouched.num_ack_pending, untouched.delivered.stream_seq) == (1, 0, 0)

        # Listening on the other site's replies, or making a consumer of its subject: refused.
        await site.subscribe(f"{topology.inbox_prefix('south')}.>")
        assert await refusals.saw(f'subscription to "{topology.inbox_prefix("south")}.>"')
        with pytest.raises(nats.errors.TimeoutError):
            await site_js.add_consumer(
                topology.office_stream, ConsumerConfig(durable_name="steal", filter_subject=topology.to_site("south"))
            )
        assert await refusals.saw(f"$JS.API.CONSUMER.DURABLE.CREATE.{topology.office_stream}.steal")

        # Its own consumer: delivered and acknowledged.
        mine = await site_js.pull_subscribe_bind(
            durable=topology.inbox_consumer("north"), stream=topology.office_stream
        )
        [note] = await mine.fetch(1, timeout=3)
        assert note.data == b"for north"
        await note.ack()
        await eventually(lambda: _acked(js, topology, "north"))

        # Head office may do all of it: read the south's note, publish on any site's subject.
        theirs = await js.pull_subscribe_bind(durable=topology.inbox_consumer("south"), stream=topology.office_stream)
        [read] = await theirs.fetch(1, timeout=3)
        assert read.data == b"for south"
        assert (await js.publish(topology.site_subject("south"), b"office test", timeout=3)).seq > 0
        assert site.is_connected
        await site.close()
        await head.close()

        # No key, or a key the server does not know: refused at connect.
        with pytest.raises(nats.errors.Error, match="Authorization Violation"):
            await nats.connect(url, allow_reconnect=False, connect_timeout=3)
        stranger = tmp_path / "stranger.nk"
        access.write_seed(stranger, access.new_user_seed())
        with pytest.raises(nats.errors.Error, match="Authorization Violation"):
            await nats.connect(url, nkeys_seed=str(stranger), allow_reconnect=False, connect_timeout=3)

    with own_server(config, tmp_path, port) as server:
        asyncio.run(asyncio.wait_for(scenario(server.url), 90))


async def _acked(js: nats.js.JetStreamContext, topology: wire.Topology, site: str) -> bool:
    info = await js.consumer_info(topology.office_stream, topology.inbox_consumer(site))
    return bool(info.num_ack_pending == 0 and info.ack_floor.stream_seq > 0)
