"""What head office sends the sites, on a real NATS JetStream: link notes from the outbox, watchlists in parts;
and head office's server, whose lifespan runs the ingest and the sender together."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.errors import NoStreamResponseError
from sqlalchemy import select
from typer.testing import CliRunner

from gatewatch.cli.main import app as cli
from gatewatch.hq.lists import ListError, publish_list
from gatewatch.hq.outbox import OutboxSender
from gatewatch.hq.schema import hq_lists, hq_outbox
from gatewatch.hq.server import OfficeSettings, create_office_app
from gatewatch.hq.store import OfficeStore
from gatewatch.hq.streams import ensure_site, ensure_streams
from gatewatch.sync import wire
from hq.conftest import ARRIVED, SiteRecord
from hq.nats_support import NATS_URL, delete_streams, eventually, shared_nats, sites_stream_there

Make = Callable[[str], SiteRecord]


@pytest.fixture
def clean(topology: wire.Topology) -> object:
    yield
    asyncio.run(delete_streams(NATS_URL, topology))


async def take(js: JetStreamContext, topology: wire.Topology, durable: str, count: int) -> list[Msg]:
    """What a site's consumer on head office's stream delivers (acknowledged), ``count`` of them or fewer."""
    subscription = await js.pull_subscribe_bind(durable=durable, stream=topology.office_stream)
    taken: list[Msg] = []
    try:
        while len(taken) < count:
            taken += await subscription.fetch(count - len(taken), timeout=1)
    except TimeoutError:
        pass
    for message in taken:
        await message.ack()
    await subscription.unsubscribe()
    return taken


def linked(office: OfficeStore, north: SiteRecord, south: SiteRecord) -> int:
    """The same passport at two sites, ingested: the new link's id."""
    north.identify("n7", "Jan Kowalski", "JX1940817")
    office.ingest(north.shipped(), ARRIVED)
    south.fill(2)
    south.identify("s3", "John Smith", "JX1940817")
    [link] = office.ingest(south.shipped(), "2024-06-03T12:00:00+00:00")
    return link


@pytest.mark.slow
def test_a_links_notes_land_on_both_sites_subjects(
    office: OfficeStore, site_record: Make, topology: wire.Topology, clean: object
) -> None:
    office.add_site("north", "North gate")
    office.add_site("south", "South gate")
    link = linked(office, site_record("north"), site_record("south"))

    async def scenario() -> dict[str, list[Msg]]:
        client = await shared_nats()
        js = client.jetstream()
        await ensure_streams(js, topology)
        for site in ("north", "south"):
            await ensure_site(js, topology, site)
        sender = OutboxSender(office, js)
        assert await sender.send_once() == 2
        assert await sender.send_once() == 0
        taken = {site: await take(js, topology, topology.inbox_consumer(site), 2) for site in ("north", "south")}
        await client.close()
        return taken

    taken = asyncio.run(scenario())
    for here, there in (("north", "south"), ("south", "north")):
        [message] = taken[here]
        assert message.subject == topology.to_site(here)
        assert (message.headers or {}).get(wire.MSG_ID) == f"link-{link}-{here}"
        note = wire.decode_link(message.data)
        assert (note.link, note.kind, note.here.site, note.there.site) == (link, "document", here, there)
    north_note = wire.decode_link(taken["north"][0].data)
    assert (north_note.here.person, north_note.there.person, north_note.there.name) == ("n7", "s3", "John Smith")
    assert office.outbox_pending() == []
    with office.engine.connect() as connection:
        assert all(row.sent for row in connection.execute(select(hq_outbox.c.sent)))


def test_an_outbox_row_is_not_marked_sent_when_jetstream_did_not_take_it(
    office: OfficeStore, site_record: Make, topology: wire.Topology, clean: object
) -> None:
    """No stream for the subject yet (NATS answers no one): the rows stay pending, then go once it exists."""
    office.add_site("north", "North gate")
    office.add_site("south", "South gate")
    linked(office, site_record("north"), site_record("south"))

    async def scenario() -> None:
        client = await shared_nats()
        js = client.jetstream()
        sender = OutboxSender(office, js)
        with pytest.raises(NoStreamResponseError):
            await sender.send_once()
        assert len(await asyncio.to_thread(office.outbox_pending)) == 2
        await ensure_streams(js, topology)
        assert await sender.send_once() == 2
        await client.close()

    asyncio.run(scenario())
    assert office.outbox_pending() == []


def _watchlist(path: Path, rows: int) -> bytes:
    lines = ["name,birth_date,nationality"] + [f"Person Number {n:07d},1970-01-01,FR" for n in range(rows)]
    data = ("\n".join(lines) + "\n").encode()
    path.write_bytes(data)
    return data


def test_a_watchlist_is_published_in_parts_as_the_lists_next_version(
    office: OfficeStore, topology: wire.Topology, tmp_path: Path, clean: object
) -> None:
    office.add_site("north", "North gate")
    file = tmp_path / "denied.csv"
    data = _watchlist(file, 35_000)  # about 1.3 MB: three parts
    parts = -(-len(data) // wire.LIST_PART_BYTES)
    assert parts == 3

    async def scenario() -> list[Msg]:
        client = await shared_nats()
        js = client.jetstream()
        await ensure_streams(js, topology)
        await ensure_site(js, topology, "north")
        first = await publish_list(js, office, topology, file, " denied persons ", None, "ministry export")
        assert (first.list, first.version, first.format, first.parts, first.size) == (
            "denied persons",
            1,
            "csv",
            3,
            len(data),
        )
        second = await publish_list(js, office, topology, file, "denied persons", "csv", "ministry export")
        assert second.version == 2
        taken = await take(js, topology, topology.lists_consumer("north"), 10)
        with pytest.raises(ListError, match="empty"):
            (tmp_path / "empty.csv").write_bytes(b"")
            await publish_list(js, office, topology, tmp_path / "empty.csv", "x", None, "s")
        with pytest.raises(ListError, match='--format "xml"'):
            await publish_list(js, office, topology, file, "x", "xml", "s")
        with pytest.raises(ListError, match="give the list a name"):
            await publish_list(js, office, topology, file, "  ", None, "s")
        await client.close()
        return taken

    taken = asyncio.run(scenario())
    assert len(taken) == 6
    digest = hashlib.sha256(data).hexdigest()
    for version in (1, 2):
        mine = [m for m in taken if wire.decode_list_part((m.headers or {})[wire.LIST_PART_HEADER]).version == version]
        headers = [wire.decode_list_part((m.headers or {})[wire.LIST_PART_HEADER]) for m in mine]
        assert [h.part for h in headers] == [0, 1, 2]
        assert {(h.list, h.format, h.parts, h.size, h.digest, h.source) for h in headers} == {
            ("denied persons", "csv", 3, len(data), digest, "ministry export")
        }
        assert [(m.headers or {})[wire.MSG_ID] for m in mine] == [
            f"list-denied persons-{version}-{n}" for n in range(3)
        ]
        assert all(m.subject == topology.lists_subject for m in mine)
        assert b"".join(m.data for m in mine) == data
    with office.engine.connect() as connection:
        rows = connection.execute(select(hq_lists).order_by(hq_lists.c.version)).fetchall()
    assert [(r.list, r.version, r.format, r.digest, r.size, r.parts) for r in rows] == [
        ("denied persons", v, "csv", digest, len(data), 3) for v in (1, 2)
    ]


def test_the_watchlist_command_publishes_the_next_version(
    office: OfficeStore, office_url: str, topology: wire.Topology, tmp_path: Path, clean: object
) -> None:
    asyncio.run(shared_nats_answers())
    file = tmp_path / "court.csv"
    _watchlist(file, 10)
    command = ["hq", "watchlist", "publish", str(file), "--list", "court orders", "--db", office_url]
    command += ["--nats", NATS_URL, "--prefix", topology.prefix]
    done = CliRunner().invoke(cli, command)
    assert done.exit_code == 2 and "no head office stream" in done.output  # hq serve has not been there
    assert office.next_list_version("court orders") == 1  # no version spent on nobody
    asyncio.run(_make_streams(topology))
    done = CliRunner().invoke(cli, command)
    assert done.exit_code == 0, done.output
    assert "court orders version 1 (csv" in done.output and "1 part(s)" in done.output
    assert office.next_list_version("court orders") == 2
    done = CliRunner().invoke(cli, [*command[:4], "--list", "x", "--db", office_url, "--format", "xml"])
    assert done.exit_code == 2 and '--format "xml"' in done.output


async def _make_streams(topology: wire.Topology) -> None:
    from gatewatch.hq.streams import ensure_streams

    client = await shared_nats()
    await ensure_streams(client.jetstream(), topology)
    await client.close()


async def shared_nats_answers() -> None:
    client = await shared_nats()
    await client.close()


def test_the_head_office_server_runs_the_ingest_and_the_sender(
    office_url: str, site_record: Make, topology: wire.Topology, tmp_path: Path, clean: object
) -> None:
    """Entries published by two sites, the same passport at both: stored, and a note lands on each site's subject."""
    asyncio.run(shared_nats_answers())
    store = OfficeStore.open(office_url, topology)
    store.add_site("north", "North gate")
    store.add_site("south", "South gate")
    north, south = site_record("north"), site_record("south")
    north.identify("n7", "Jan Kowalski", "JX1940817")
    south.fill(3)
    south.identify("s3", "John Smith", "JX1940817")
    settings = OfficeSettings(NATS_URL, topology, tmp_path / "console.token")
    application = create_office_app(store, settings)

    async def publish() -> None:
        client = await shared_nats()
        js = client.jetstream()
        await eventually(lambda: sites_stream_there(js, topology), timeout=15)
        for shipped in north.shipped() + south.shipped():
            await js.publish(
                topology.site_subject(shipped.site), wire.encode(shipped), headers={wire.MSG_ID: shipped.hash}
            )
        await client.close()

    async def notes() -> dict[str, list[Msg]]:
        """Each site's note, taken as it comes (head office makes the consumers, then sends)."""
        client = await shared_nats()
        js = client.jetstream()
        taken: dict[str, list[Msg]] = {"north": [], "south": []}
        while not all(taken.values()):
            for site, got in taken.items():
                if not got and await _consumer_there(js, topology, topology.inbox_consumer(site)):
                    got += await take(js, topology, topology.inbox_consumer(site), 1)
            await asyncio.sleep(0.1)
        await client.close()
        return taken

    with TestClient(application) as browser:
        assert browser.get("/", follow_redirects=False).status_code == 303  # the console asks for the token
        asyncio.run(publish())
        taken = asyncio.run(asyncio.wait_for(notes(), 60))
    for site, [message] in taken.items():
        assert wire.decode_link(message.data).here.site == site
    check = OfficeStore.open(office_url, topology)
    try:
        assert check.heads()["north"][0] == 1 and check.heads()["south"][0] == 4
        assert check.outbox_pending() == []
    finally:
        check.close()


async def _consumer_there(js: JetStreamContext, topology: wire.Topology, durable: str) -> bool:
    try:
        await js.consumer_info(topology.office_stream, durable)
    except Exception:
        return False
    return True
