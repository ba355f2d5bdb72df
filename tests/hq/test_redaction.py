"""A payload a site redacts after shipping its entry is redacted at head office too, and the chain still verifies.

On a real NATS JetStream and a real PostgreSQL: the site's own publisher ships its record (an
SQLite ``EventLog``) and then its redactions (``EventLog.redact``, as retention makes them) on
its subject; head office's ingest takes both, in order, into its store.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

import pytest
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError
from sqlalchemy import select

from gatewatch.hq.ingest import Ingest, State
from gatewatch.hq.schema import hq_alerts, hq_entries, hq_marks
from gatewatch.hq.store import OfficeStore
from gatewatch.hq.streams import ensure_streams
from gatewatch.hq.verify import verify_site
from gatewatch.store.sync_cursor import SyncCursor
from gatewatch.sync import wire
from gatewatch.sync.publisher import REDACTIONS_TARGET, Publisher
from hq.conftest import SiteRecord
from hq.nats_support import NATS_URL, delete_streams, eventually, shared_nats

Make = Callable[[str], SiteRecord]


@pytest.fixture
def clean(topology: wire.Topology) -> Iterator[None]:
    """The shared NATS server's streams of this test's prefix, deleted after it."""
    yield
    asyncio.run(delete_streams(NATS_URL, topology))


def run(scenario: Callable[[], Coroutine[Any, Any, None]]) -> None:
    asyncio.run(asyncio.wait_for(scenario(), 120))


def quick(office: OfficeStore, js: JetStreamContext, topology: wire.Topology) -> Ingest:
    return Ingest(office, js, topology, sites_every_s=0.2, pending_every_s=0.3, back_off_most_s=0.5, linger_s=0.02)


def held(office: OfficeStore, site: str) -> dict[int, tuple[dict[str, Any] | None, bool]]:
    """Each entry head office holds of the site: its payload, and whether it is redacted."""
    with office.engine.connect() as connection:
        rows = connection.execute(
            select(hq_entries.c.seq, hq_entries.c.payload, hq_entries.c.redacted).where(hq_entries.c.site == site)
        ).fetchall()
    return {int(row.seq): (row.payload, bool(row.redacted)) for row in rows}


def marked(office: OfficeStore, site: str) -> list[int]:
    with office.engine.connect() as connection:
        rows = connection.execute(select(hq_marks.c.seq).where(hq_marks.c.site == site)).fetchall()
    return sorted(int(row.seq) for row in rows)


async def redactions_stored(
    js: JetStreamContext, topology: wire.Topology, site: str
) -> list[tuple[str, wire.Redaction]]:
    """The redaction messages the sites' stream holds on the site's subject: their message ids, read."""
    info = await js.stream_info(topology.sites_stream)
    found: list[tuple[str, wire.Redaction]] = []
    if not info.state.messages:
        return found
    for seq in range(info.state.first_seq, info.state.last_seq + 1):
        try:
            message = await js.get_msg(topology.sites_stream, seq)
        except NotFoundError:
            continue
        headers = message.headers or {}
        if message.subject == topology.site_subject(site) and headers.get(wire.KIND_HEADER) == wire.REDACTION_KIND:
            found.append((headers[wire.MSG_ID], wire.decode_redaction(message.data or b"")))
    return found


async def taken_all(js: JetStreamContext, topology: wire.Topology, site: str) -> bool:
    """Whether head office's consumer of the site has acknowledged every message of it."""
    info = await js.consumer_info(topology.sites_stream, topology.office_consumer(site))
    return not info.num_pending and not info.num_ack_pending


def publisher(client: Client, record: SiteRecord, topology: wire.Topology) -> Publisher:
    return Publisher(client, record.log, record.site, topology, country="FR")


def test_an_entry_redacted_after_it_was_shipped_is_redacted_at_head_office_and_the_chain_still_verifies(
    office: OfficeStore, site_record: Make, topology: wire.Topology, clean: None
) -> None:
    north = site_record("north")
    office.add_site("north", "North gate")
    north.identify("v1", "Jacques Mornard", "JX1940817")
    north.fill(3)
    north.identify("v2", "Vera Visitor", "L898902C3")

    async def scenario() -> None:
        client = await shared_nats()
        js = client.jetstream()
        await ensure_streams(js, topology)
        site = publisher(client, north, topology)
        try:
            async with quick(office, js, topology) as ingest:
                assert await site.run_once() == 5
                await eventually(lambda: office.heads()["north"][0] == 5)
                assert held(office, "north")[1][0] is not None and marked(office, "north") == [1, 5]

                north.log.redact([1])  # retention, a day later: the payload is dropped at the site
                assert await site.run_once() == 0  # no entry to ship, one redaction
                await eventually(lambda: held(office, "north")[1] == (None, True))
                assert marked(office, "north") == [5]  # the identifiers it presented are forgotten too
                assert held(office, "north")[5][0] is not None  # and nothing else is
                assert ingest.state("north") is State.RUNNING
                assert await site.run_once() == 0  # nothing again: the cursor moved over it
            assert await redactions_stored(js, topology, "north") == [
                ("redaction-1-1", wire.Redaction(site="north", seqs=(1,), at=_redacted_at(north, 1)))
            ]
            assert SyncCursor(north.log.engine).get(REDACTIONS_TARGET)[0] == 1
        finally:
            await client.close()

    run(scenario)
    verdict = verify_site(office, "north")
    assert verdict.ok and verdict.count == 5 and verdict.redacted == 1, verdict.message
    with office.engine.connect() as connection:
        assert connection.execute(select(hq_alerts)).fetchall() == []


def test_an_entry_redacted_before_it_was_shipped_arrives_redacted(
    office: OfficeStore, site_record: Make, topology: wire.Topology, clean: None
) -> None:
    north = site_record("north")
    office.add_site("north", "North gate")
    north.fill(2)
    north.identify("v1", "Jacques Mornard", "JX1940817")
    north.fill(2)
    north.log.redact([3])

    async def scenario() -> None:
        client = await shared_nats()
        js = client.jetstream()
        await ensure_streams(js, topology)
        site = publisher(client, north, topology)
        try:
            assert await site.ship_redactions(shipped_to=2) == 0  # it waits for its entry to be shipped
            assert await redactions_stored(js, topology, "north") == []
            async with quick(office, js, topology):
                assert await site.run_once() == 5
                await eventually(lambda: office.heads()["north"][0] == 5)
                await eventually(lambda: SyncCursor(north.log.engine).get(REDACTIONS_TARGET)[0] == 1)
                await eventually(lambda: taken_all(js, topology, "north"))  # the redaction after it, taken too
            message = await js.get_msg(topology.sites_stream, 3)
            shipped = wire.decode_shipped(message.data or b"")
            assert (shipped.seq, shipped.redacted, shipped.payload, shipped.marks) == (3, True, None, ())
        finally:
            await client.close()

    run(scenario)
    entries = held(office, "north")
    assert entries[3] == (None, True) and marked(office, "north") == []
    assert all(payload is not None and not redacted for seq, (payload, redacted) in entries.items() if seq != 3)
    verdict = verify_site(office, "north")
    assert verdict.ok and verdict.redacted == 1, verdict.message


@pytest.mark.slow
def test_a_redaction_delivered_before_its_entry_waits_for_it(
    office: OfficeStore, site_record: Make, topology: wire.Topology, clean: None
) -> None:
    """Out of order (a message delivered again): the entry shipped whole comes after the redaction of it."""
    north = site_record("north")
    office.add_site("north", "North gate")
    north.identify("v1", "Jacques Mornard", "JX1940817")
    north.fill(1)
    north.identify("v2", "Vera Visitor", "L898902C3")
    whole = north.shipped()  # as shipped before the site redacted them

    async def scenario() -> None:
        client = await shared_nats()
        js = client.jetstream()
        await ensure_streams(js, topology)
        subject = topology.site_subject("north")
        for shipped in whole[:2]:
            await js.publish(subject, wire.encode(shipped), headers={wire.MSG_ID: shipped.hash})
        redaction = wire.Redaction(site="north", seqs=(1, 3), at="2024-06-04T00:00:00+00:00")
        headers = {wire.MSG_ID: wire.redaction_msg_id(1, 2), wire.KIND_HEADER: wire.REDACTION_KIND}
        await js.publish(subject, wire.encode(redaction), headers=headers)
        try:
            async with quick(office, js, topology) as ingest:
                await eventually(lambda: office.heads()["north"][0] == 2)
                await asyncio.sleep(0.5)
                assert held(office, "north")[1][1] is False  # not redacted while entry 3 has not come
                await js.publish(subject, wire.encode(whole[2]), headers={wire.MSG_ID: whole[2].hash})
                await eventually(lambda: held(office, "north").get(3) == (None, True))
                assert held(office, "north")[1] == (None, True) and held(office, "north")[2][1] is False
                assert ingest.state("north") is State.RUNNING
        finally:
            await client.close()

    run(scenario)
    assert verify_site(office, "north").ok


def test_a_redaction_that_names_another_site_stops_the_site(
    office: OfficeStore, site_record: Make, topology: wire.Topology, clean: None
) -> None:
    north = site_record("north")
    office.add_site("north", "North gate")
    office.add_site("south", "South gate")
    north.fill(2)

    async def scenario() -> None:
        client = await shared_nats()
        js = client.jetstream()
        await ensure_streams(js, topology)
        subject = topology.site_subject("north")
        for shipped in north.shipped():
            await js.publish(subject, wire.encode(shipped), headers={wire.MSG_ID: shipped.hash})
        forged = wire.Redaction(site="south", seqs=(1,), at="2024-06-04T00:00:00+00:00")
        headers = {wire.MSG_ID: "redaction-forged", wire.KIND_HEADER: wire.REDACTION_KIND}
        await js.publish(subject, wire.encode(forged), headers=headers)
        try:
            async with quick(office, js, topology) as ingest:
                await eventually(lambda: ingest.state("north") is State.STOPPED)
        finally:
            await client.close()

    run(scenario)
    row = office.site("north")
    assert row is not None and row.stopped_seq == 3 and "redacts entries of site south" in (row.stopped_problem or "")
    assert office.heads()["north"][0] == 2 and all(not redacted for _, redacted in held(office, "north").values())


def _redacted_at(record: SiteRecord, position: int) -> str:
    from gatewatch.store import links

    (row,) = [row for row in links.links(record.log.engine, links.REDACTIONS) if row.key == position]
    return str(row.fields["at"])
