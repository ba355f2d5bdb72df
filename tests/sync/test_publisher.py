"""The publisher: a site's record shipped to head office's stream, in order, from the cursor."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
from collections.abc import Awaitable
from pathlib import Path
from typing import Any

import pytest
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError
from sqlalchemy import update
from sync_support import (
    NATS_SERVER,
    SyncSite,
    eventually,
    free_port,
    jetstream,
    make_streams,
    own_server,
    stored,
    with_client,
)

from gatewatch.store.chain import GENESIS, check
from gatewatch.store.schema import sync_cursor
from gatewatch.store.sync_cursor import SyncCursor
from gatewatch.sync import nats_link, wire
from gatewatch.sync import publisher as publishing
from gatewatch.sync.nats_link import TARGET, head_office_link
from gatewatch.sync.publisher import Publisher, ShipError


def _publisher(client: Client, site: SyncSite, topology: wire.Topology, **options: Any) -> Publisher:
    services = site.services
    return Publisher(
        client,
        services.log,
        site.id,
        topology,
        country=services.site.country,
        **options,
    )


def test_fifty_entries_arrive_in_order_with_their_hashes_as_message_ids(
    nats_url: str, office: wire.Topology, site: SyncSite
) -> None:
    site.weather(50)
    entries = list(site.services.log.entries())

    async def scenario(client: Client, js: JetStreamContext) -> None:
        publisher = _publisher(client, site, office)
        assert await publisher.run_once() == 50
        assert await publisher.run_once() == 0  # nothing new: nothing sent
        held = await stored(js, office, site.id)
        assert [s.shipped.seq for s in held] == list(range(1, 51))
        assert [s.msg_id for s in held] == [e.hash for e in entries]
        assert all(s.shipped.site == site.id and not s.shipped.withheld for s in held)
        assert check(s.shipped.entry() for s in held).ok  # the chain as head office receives it
        assert await publisher.shipped() == (50, entries[-1].hash)

    with_client(nats_url, scenario)


def test_a_cursor_set_back_ships_again_and_the_stream_keeps_each_entry_once(
    nats_url: str, office: wire.Topology, site: SyncSite
) -> None:
    site.weather(20)
    fifth = site.services.log.entries_at([5])[5]

    async def scenario(client: Client, js: JetStreamContext) -> None:
        publisher = _publisher(client, site, office)
        assert await publisher.run_once() == 20
        with site.services.log.engine.begin() as connection:  # as after a crash before the cursor was written
            connection.execute(update(sync_cursor).where(sync_cursor.c.target == TARGET).values(seq=5, hash=fifth.hash))
        assert await publisher.run_once() == 15  # shipped again …
        held = await stored(js, office, site.id)
        assert [s.shipped.seq for s in held] == list(range(1, 21))  # … and dropped as duplicates
        assert (await publisher.shipped())[0] == 20

    with_client(nats_url, scenario)


def test_the_cursor_never_moves_past_an_entry_the_stream_did_not_take(
    nats_url: str, topology: wire.Topology, site: SyncSite
) -> None:
    site.weather(50)
    entries = list(site.services.log.entries())

    async def scenario(client: Client, js: JetStreamContext) -> None:
        publisher = _publisher(client, site, topology, window=16)
        with pytest.raises(ShipError, match="entry 1 was not taken: no stream"):
            await publisher.run_once()
        assert await publisher.shipped() == (0, GENESIS)

        await make_streams(js, topology, [], most_entries=30)  # the stream refuses the 31st
        with pytest.raises(ShipError, match="entry 31 was not taken"):
            await publisher.run_once()
        assert await publisher.shipped() == (30, entries[29].hash)

        info = await js.stream_info(topology.sites_stream)
        info.config.max_msgs = -1
        await js.update_stream(info.config)
        assert await publisher.run_once() == 20
        held = await stored(js, topology, site.id)
        assert [s.shipped.seq for s in held] == list(range(1, 51))
        assert await publisher.shipped() == (50, entries[-1].hash)

    with_client(nats_url, scenario)


def test_a_stream_that_is_not_head_offices_takes_nothing(
    nats_url: str, topology: wire.Topology, site: SyncSite
) -> None:
    site.weather(3)

    async def scenario(client: Client, js: JetStreamContext) -> None:
        other = f"{topology.prefix.upper()}_OTHER"
        try:
            await js.add_stream(name=other, subjects=[topology.sites_subjects])
            with pytest.raises(
                ShipError, match="entry 1 was not taken: JetStream refused it: expected stream does not match"
            ):
                await _publisher(client, site, topology).run_once()
        finally:
            await js.delete_stream(other)

    with_client(nats_url, scenario)
    assert SyncCursor(site.services.log.engine).get(TARGET) == (0, GENESIS)


def test_a_record_changed_after_it_was_shipped_is_not_shipped_on_top(
    nats_url: str, office: wire.Topology, site: SyncSite
) -> None:
    site.weather(5)

    async def scenario(client: Client, js: JetStreamContext) -> None:
        publisher = _publisher(client, site, office)
        await publisher.run_once()
        site.weather(2)
        with site.services.log.engine.begin() as connection:  # the cursor names another entry 5
            connection.execute(update(sync_cursor).values(hash="e" * 64))
        with pytest.raises(ShipError, match=r"entry 6 .* does not follow entry 5 as it was shipped"):
            await publisher.run_once()
        assert len(await stored(js, office, site.id)) == 5

    with_client(nats_url, scenario)


def test_a_private_site_ships_identity_fields_only_as_keyed_hashes(
    nats_url: str, office: wire.Topology, site: SyncSite
) -> None:
    site.visitor("v1", "JX1940817", name="Viktor Visitor")
    key = secrets.token_bytes(32)

    async def scenario(client: Client, js: JetStreamContext) -> list[wire.Shipped]:
        assert await _publisher(client, site, office, key=key, private=True).run_once() == 2
        return [s.shipped for s in await stored(js, office, site.id)]

    invited, identified = with_client(nats_url, scenario)
    text = json.dumps(identified.payload)
    assert "JX1940817" not in text and "Viktor Visitor" in text
    assert identified.withheld and identified.payload is not None
    assert [(m.kind, m.mark[:2], m.person) for m in identified.marks] == [("document", "k:", "v1")]
    assert identified.entry().payload_digest == site.services.log.entries_at([2])[2].payload_digest
    assert not invited.marks


def test_a_site_that_shares_no_key_ships_its_identifiers_as_they_are_compared(
    nats_url: str, office: wire.Topology, site: SyncSite
) -> None:
    site.visitor("v1", "JX 1940817")

    async def scenario(client: Client, js: JetStreamContext) -> list[wire.Shipped]:
        await _publisher(client, site, office).run_once()
        return [s.shipped for s in await stored(js, office, site.id)]

    _, identified = with_client(nats_url, scenario)
    (mark,) = identified.marks
    assert mark.kind == "document" and "1940817" in mark.mark and not identified.withheld


def test_a_private_site_without_the_key_is_refused() -> None:
    with pytest.raises(ValueError, match="private site needs the identity key"):
        Publisher(None, None, "north", wire.Topology(), private=True)  # type: ignore[arg-type]


@pytest.mark.slow
def test_running_it_waits_for_the_stream_then_ships_at_each_poke(
    nats_url: str, topology: wire.Topology, site: SyncSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No stream yet: it backs off and tries again; once it is there the record arrives, and a poke
    ships a new entry at once (the idle look is made too slow to be what ships it)."""
    site.weather(10)
    monkeypatch.setattr(publishing, "IDLE_S", 60.0)

    async def scenario() -> None:
        client, js = await jetstream(nats_url)
        publisher = _publisher(client, site, topology)
        running = asyncio.create_task(publisher.run())

        async def arrived(count: int) -> bool:
            try:
                return len(await stored(js, topology, site.id)) == count
            except NotFoundError:
                return False

        try:
            await asyncio.sleep(1.0)  # two tries at least, each refused: no stream
            assert await publisher.shipped() == (0, GENESIS)
            await make_streams(js, topology, [site.id])
            await eventually(lambda: arrived(10), "the ten entries recorded before the stream was made")
            await asyncio.to_thread(site.weather, 1)
            publisher.poke()
            await eventually(lambda: arrived(11), "the entry shipped at the poke", timeout=3.0)
            await eventually(lambda: _shipped_to(publisher, 11), "the cursor moved over the new entry", timeout=3.0)
        finally:
            running.cancel()
            with pytest.raises(asyncio.CancelledError):
                await running
            await client.close()

    asyncio.run(scenario())


async def _shipped_to(publisher: Publisher, seq: int) -> bool:
    return (await publisher.shipped())[0] == seq


@pytest.mark.slow
def test_a_site_cut_off_keeps_its_record_and_catches_up_in_order_when_the_link_returns(
    tmp_path: Path, site: SyncSite
) -> None:
    """Head office's NATS goes away while the site records; when it is back the entries follow, each once."""
    if not Path(NATS_SERVER).exists():
        if os.environ.get("CI"):
            pytest.fail(f"no {NATS_SERVER}")
        pytest.skip(f"no {NATS_SERVER}")
    topology = wire.Topology(prefix="gw")
    port = free_port()
    link = head_office_link(f"nats://127.0.0.1:{port}", site.data, prefix=topology.prefix)
    site.weather(5)

    async def seqs(url: str) -> list[int]:
        client, js = await jetstream(url)
        try:
            return [s.shipped.seq for s in await stored(js, topology, site.id)]
        finally:
            await client.close()

    async def scenario() -> None:
        with own_server(tmp_path / "nats", port=port) as url:
            client, js = await jetstream(url)
            await make_streams(js, topology, [site.id])
            await client.close()
            linked = await nats_link.connect(link, site.id)
            publisher = _publisher(linked, site, topology)
            running = asyncio.create_task(publisher.run())
            await eventually(lambda: _has(seqs(url), 5), "the first five entries")
        try:
            await asyncio.to_thread(site.weather, 20)  # cut off: the site goes on deciding
            await asyncio.sleep(1.0)
            assert (await publisher.shipped())[0] == 5
            with own_server(tmp_path / "nats", port=port) as url:  # back, with the stream it kept
                await eventually(lambda: _has(seqs(url), 25), "the entries recorded while cut off", timeout=40.0)
                assert await seqs(url) == list(range(1, 26))
                await eventually(lambda: _shipped_to(publisher, 25), "the cursor at the last entry", timeout=5.0)
        finally:
            running.cancel()
            with pytest.raises(asyncio.CancelledError):
                await running
            await nats_link.close(linked)

    asyncio.run(scenario())


async def _has(found: Awaitable[list[int]], count: int) -> bool:
    try:
        return len(await found) == count
    except Exception:  # the server is still starting
        return False
