"""Head office's ingest on a real NATS JetStream and a real PostgreSQL.

Sites' entries are made in a site record on SQLite and published as a site publishes them (one
subject per site, the entry's hash as the message id); the ingest must take them in order, each
chain checked, acknowledging only what is committed; a forged entry stops its site (and only
that site) until it is resumed past the forged message; NATS and PostgreSQL going away for a
while lose nothing.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import msgspec
import pytest
from nats.js import JetStreamContext
from sqlalchemy import create_engine, select, text

from gatewatch.hq.ingest import Ingest, State
from gatewatch.hq.schema import hq_alerts, hq_entries
from gatewatch.hq.store import OfficeStore
from gatewatch.hq.streams import ensure_streams
from gatewatch.hq.verify import verify_site
from gatewatch.store.chain import expected_hash
from gatewatch.sync import wire
from hq.conftest import SiteRecord
from hq.nats_support import (
    NATS_URL,
    connect,
    delete_streams,
    eventually,
    free_port,
    own_server,
    shared_nats,
    sites_stream_there,
)

Make = Callable[[str], SiteRecord]


async def publish(js: JetStreamContext, topology: wire.Topology, shipped: wire.Shipped, msg_id: str = "") -> int:
    """Publish one entry as its site does; the stream sequence JetStream gave it."""
    ack = await js.publish(
        topology.site_subject(shipped.site), wire.encode(shipped), headers={wire.MSG_ID: msg_id or shipped.hash}
    )
    return int(ack.seq)


def held(office: OfficeStore, site: str) -> list[tuple[int, str]]:
    with office.engine.connect() as connection:
        rows = connection.execute(
            select(hq_entries.c.seq, hq_entries.c.hash).where(hq_entries.c.site == site).order_by(hq_entries.c.seq)
        ).fetchall()
    return [(int(row.seq), str(row.hash)) for row in rows]


def alerts(office: OfficeStore) -> list[tuple[str, str, str, int | None]]:
    with office.engine.connect() as connection:
        rows = connection.execute(select(hq_alerts).order_by(hq_alerts.c.id)).fetchall()
    return [(row.site, row.severity, row.message, row.seq) for row in rows]


def head(office: OfficeStore, site: str) -> int:
    return office.heads()[site][0]


def forged(shipped: wire.Shipped, **changes: object) -> wire.Shipped:
    return msgspec.structs.replace(shipped, **changes)


def quick(office: OfficeStore, js: JetStreamContext, topology: wire.Topology) -> Ingest:
    """An ingest that reads the sites and waits after an error for fractions of a second (tests need not wait)."""
    return Ingest(office, js, topology, sites_every_s=0.2, pending_every_s=0.3, back_off_most_s=0.5, linger_s=0.02)


def run(scenario: Callable[[], Coroutine[Any, Any, None]]) -> None:
    asyncio.run(asyncio.wait_for(scenario(), 120))


@pytest.fixture
def clean(topology: wire.Topology) -> object:
    """The shared NATS server's streams of this test's prefix, deleted after it."""
    yield
    asyncio.run(delete_streams(NATS_URL, topology))


def test_two_sites_arrive_in_order_and_verified(
    office: OfficeStore, site_record: Make, topology: wire.Topology, clean: object
) -> None:
    north, south = site_record("north"), site_record("south")
    office.add_site("north", "North gate")
    office.add_site("south", "South gate")
    north.fill(40)
    south.fill(25)

    async def scenario() -> None:
        client = await shared_nats()
        js = client.jetstream()
        await ensure_streams(js, topology)
        for shipped in north.shipped()[:30] + south.shipped():
            await publish(js, topology, shipped)
        async with quick(office, js, topology) as ingest:
            await eventually(lambda: head(office, "north") == 30 and head(office, "south") == 25)
            for shipped in north.shipped(30):  # and what a site sends while head office runs
                await publish(js, topology, shipped)
            for shipped in north.shipped()[:5]:  # a resend (a site whose cursor went back): dropped
                await publish(js, topology, shipped, msg_id=f"again-{shipped.hash}")
            await eventually(lambda: head(office, "north") == 40)
            await eventually(lambda: getattr(office.site("north"), "pending", None) == 0)
            assert ingest.state("north") is State.RUNNING
            assert ingest.committed == 65
        await client.close()

    run(scenario)
    assert held(office, "north") == [(entry.seq, entry.hash) for entry in north.entries()]
    assert held(office, "south") == [(entry.seq, entry.hash) for entry in south.entries()]
    assert verify_site(office, "north").ok and verify_site(office, "south").ok
    assert alerts(office) == []


def test_a_forged_entry_stops_its_site_alone_and_resume_skips_it(
    office: OfficeStore, site_record: Make, topology: wire.Topology, clean: object
) -> None:
    north, south = site_record("north"), site_record("south")
    office.add_site("north", "North gate")
    office.add_site("south", "South gate")
    north.fill(15)
    south.fill(30)
    shipped_north = north.shipped()

    async def scenario() -> None:
        client = await shared_nats()
        js = client.jetstream()
        await ensure_streams(js, topology)
        for shipped in shipped_north[:10] + south.shipped()[:10]:
            await publish(js, topology, shipped)
        async with quick(office, js, topology) as ingest:
            await eventually(lambda: head(office, "north") == 10 and head(office, "south") == 10)
            # Someone with the site's key publishes entry 11 with another payload, under an id of its own.
            altered = dict(shipped_north[10].payload or {}, door="inner")
            forged_seq = await publish(js, topology, forged(shipped_north[10], payload=altered), "forged-11")
            for shipped in shipped_north[10:]:
                await publish(js, topology, shipped)
            await eventually(lambda: ingest.state("north") is State.STOPPED)
            for shipped in south.shipped(10):  # the other site goes on
                await publish(js, topology, shipped)
            await eventually(lambda: head(office, "south") == 30)
            row = office.site("north")
            assert row is not None and row.stopped
            assert (row.stopped_seq, row.stopped_stream_seq, row.head_seq) == (11, forged_seq, 10)
            assert "payload altered" in (row.stopped_problem or "")
            await asyncio.sleep(0.5)
            assert head(office, "north") == 10  # nothing past the break
            assert await ingest.resume("north") == forged_seq
            await eventually(lambda: head(office, "north") == 15)
            assert ingest.state("north") is State.RUNNING
        await client.close()

    run(scenario)
    assert held(office, "north") == [(entry.seq, entry.hash) for entry in north.entries()]
    assert verify_site(office, "north").ok
    site, severity, message, seq = alerts(office)[0]
    assert (site, severity, seq) == ("north", "critical", 11)
    assert message.startswith("site north stopped at entry 11") and "payload altered" in message
    assert [code for (_s, _v, code, _q) in alerts(office)][1].startswith("site north resumed")


def test_an_entry_arriving_again_altered_stops_the_site_until_resumed_elsewhere(
    office: OfficeStore, site_record: Make, topology: wire.Topology, clean: object
) -> None:
    """A stored entry sent again, altered and rehashed; resumed as `gatewatch hq resume` does (another process)."""
    north = site_record("north")
    office.add_site("north", "North gate")
    north.fill(8)
    shipped_north = north.shipped()

    async def scenario() -> None:
        client = await shared_nats()
        js = client.jetstream()
        await ensure_streams(js, topology)
        for shipped in shipped_north[:5]:
            await publish(js, topology, shipped)
        async with quick(office, js, topology) as ingest:
            await eventually(lambda: head(office, "north") == 5)
            other = forged(shipped_north[2], outcome={**shipped_north[2].outcome, "decision": "admit"})
            other = forged(other, hash=expected_hash(other.entry()))  # rehashed: consistent in itself
            await publish(js, topology, other, "forged-3")
            await eventually(lambda: ingest.state("north") is State.STOPPED)
            row = office.site("north")
            assert row is not None and row.stopped_seq == 3
            assert "entry 3" in (row.stopped_problem or "") and "arrived again, altered" in (row.stopped_problem or "")
            for shipped in shipped_north[5:]:
                await publish(js, topology, shipped)
            await asyncio.sleep(0.5)
            assert head(office, "north") == 5
            await asyncio.to_thread(office.resume_site, "north")  # what `gatewatch hq resume` does
            await eventually(lambda: head(office, "north") == 8)
        await client.close()

    run(scenario)
    assert verify_site(office, "north").ok


def test_a_gap_is_held_until_it_fills(
    office: OfficeStore, site_record: Make, topology: wire.Topology, clean: object
) -> None:
    north = site_record("north")
    office.add_site("north", "North gate")
    north.fill(12)
    shipped_north = north.shipped()

    async def scenario() -> None:
        client = await shared_nats()
        js = client.jetstream()
        await ensure_streams(js, topology)
        for shipped in shipped_north[:4] + shipped_north[6:]:  # 5 and 6 are late
            await publish(js, topology, shipped)
        async with quick(office, js, topology):
            await eventually(lambda: head(office, "north") == 4)
            await asyncio.sleep(0.5)
            assert head(office, "north") == 4
            info = await js.consumer_info(topology.sites_stream, topology.office_consumer("north"))
            assert info.num_ack_pending == 6  # held, not acknowledged
            for shipped in shipped_north[4:6]:
                await publish(js, topology, shipped)
            await eventually(lambda: head(office, "north") == 12)
            await eventually(lambda: _ack_pending(js, topology, "north", 0))
        await client.close()

    run(scenario)
    assert held(office, "north") == [(entry.seq, entry.hash) for entry in north.entries()]


def test_later_entries_heavier_than_a_site_may_hold_give_the_missing_one_up(
    office: OfficeStore, site_record: Make, topology: wire.Topology, clean: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gatewatch.hq import ingest

    north = site_record("north")
    office.add_site("north", "North gate")
    north.fill(12)
    shipped_north = north.shipped()
    weight = sum(len(wire.encode(shipped)) for shipped in shipped_north[6:9])
    monkeypatch.setattr(ingest, "HELD_BYTES_MOST", weight)  # three later entries fit, the fourth does not

    async def scenario() -> None:
        client = await shared_nats()
        js = client.jetstream()
        await ensure_streams(js, topology)
        for shipped in shipped_north[:4] + shipped_north[6:]:  # 5 and 6 never come
            await publish(js, topology, shipped)
        async with quick(office, js, topology) as running:
            await eventually(lambda: running.state("north") is State.STOPPED)
        await client.close()

    run(scenario)
    assert head(office, "north") == 4
    [(site, severity, message, seq)] = alerts(office)
    assert (site, severity, seq) == ("north", "critical", 5)
    assert "entry 5 is missing" in message and "MiB" in message


async def _ack_pending(js: JetStreamContext, topology: wire.Topology, site: str, count: int) -> bool:
    info = await js.consumer_info(topology.sites_stream, topology.office_consumer(site))
    return bool(info.num_ack_pending == count and info.num_pending == 0)


def test_a_site_added_while_running_is_taken_up(
    office: OfficeStore, site_record: Make, topology: wire.Topology, clean: object
) -> None:
    east = site_record("east")
    east.fill(6)

    async def scenario() -> None:
        client = await shared_nats()
        js = client.jetstream()
        async with quick(office, js, topology) as ingest:
            await eventually(lambda: sites_stream_there(js, topology))
            await asyncio.to_thread(office.add_site, "east", "East gate")
            await eventually(lambda: ingest.state("east") is State.RUNNING)
            for shipped in east.shipped():
                await publish(js, topology, shipped)
            await eventually(lambda: head(office, "east") == 6)
        await client.close()

    run(scenario)


@pytest.mark.slow
def test_nothing_is_acknowledged_before_postgresql_commits_it(
    office: OfficeStore, office_url: str, site_record: Make, topology: wire.Topology, clean: object
) -> None:
    """PostgreSQL refuses (the sites' rows locked elsewhere: every commit runs into its lock timeout) for a while."""
    north = site_record("north")
    office.add_site("north", "North gate")
    north.fill(10)
    shipped_north = north.shipped()
    blocker = create_engine(office_url)

    async def scenario() -> None:
        client = await shared_nats()
        js = client.jetstream()
        await ensure_streams(js, topology)
        for shipped in shipped_north[:4]:
            await publish(js, topology, shipped)
        async with quick(office, js, topology):
            await eventually(lambda: head(office, "north") == 4)
            with blocker.connect() as connection:
                transaction = connection.begin()
                connection.execute(text("SELECT * FROM hq_sites FOR UPDATE"))
                for shipped in shipped_north[4:]:
                    await publish(js, topology, shipped)
                await asyncio.sleep(5)  # beyond the lock timeout (2 s): at least one commit refused
                assert head(office, "north") == 4
                assert await _ack_pending(js, topology, "north", 6)  # taken, none acknowledged
                transaction.rollback()
            await eventually(lambda: head(office, "north") == 10, timeout=20)
            await eventually(lambda: _ack_pending(js, topology, "north", 0))
        await client.close()

    try:
        run(scenario)
    finally:
        blocker.dispose()
    assert held(office, "north") == [(entry.seq, entry.hash) for entry in north.entries()]


@pytest.mark.slow
def test_nats_going_away_and_coming_back_loses_nothing(office: OfficeStore, site_record: Make, tmp_path: Path) -> None:
    north = site_record("north")
    office.add_site("north", "North gate")
    north.fill(20)
    shipped_north = north.shipped()
    topology = wire.Topology(prefix=f"t{uuid.uuid4().hex[:10]}")
    port = free_port()
    store = tmp_path / "jetstream"
    config = f'listen: "127.0.0.1:{port}"\njetstream {{ store_dir: "{store}" }}\n'

    async def scenario(server_stop: Callable[[], None], server_start: Callable[[], None], url: str) -> None:
        office_client = await connect(url)
        site_client = await connect(url)
        js, site_js = office_client.jetstream(), site_client.jetstream()
        await ensure_streams(js, topology)
        for shipped in shipped_north[:8]:
            await publish(site_js, topology, shipped)
        async with quick(office, js, topology):
            await eventually(lambda: head(office, "north") == 8)
            await asyncio.to_thread(server_stop)
            await asyncio.sleep(1.5)  # head office's loops meet a server that is gone
            await asyncio.to_thread(server_start)
            await eventually(lambda: site_client.is_connected and office_client.is_connected, timeout=20)
            for shipped in shipped_north[8:]:
                await publish(site_js, topology, shipped)
            await eventually(lambda: head(office, "north") == 20, timeout=30)
        await site_client.close()
        await office_client.close()

    with own_server(config, tmp_path, port) as server:
        asyncio.run(asyncio.wait_for(scenario(server.stop, server.start, server.url), 120))
    assert held(office, "north") == [(entry.seq, entry.hash) for entry in north.entries()]
    assert verify_site(office, "north").ok
