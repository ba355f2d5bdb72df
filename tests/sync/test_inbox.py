"""The inbox: what head office sends a site (links, watchlist versions) taken into the site's record."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from nats.js import JetStreamContext
from sync_support import SyncSite, jetstream, link_note, make_streams, publish_link, publish_list, site_inbox, take

from gatewatch.files.watchlist_files import Reading
from gatewatch.service.watchlist_import import import_list
from gatewatch.sync import wire
from gatewatch.sync.inbox import LISTS_FOLDER, InboxError, list_source


@pytest.mark.slow
def test_a_link_becomes_a_site_link_event_once_even_when_sent_twice(
    nats_url: str, office: wire.Topology, site: SyncSite
) -> None:
    site.visitor("v1", "JX1940817")
    note = link_note(7, site.id, "v1")

    async def twice(js: JetStreamContext) -> None:
        await publish_link(js, office, note, "link-7-north")
        await publish_link(js, office, note, "link-7-north-again")  # past deduplication: a second copy

    assert take(nats_url, site, office, twice).links == 2
    site.close()  # everything the desk decided is on disk
    linked = [e for e in site.services.log.entries() if e.type == "site_link"]
    assert [(e.event_id, e.submitted_by) for e in linked] == [("hq-link-7", "head-office")]
    (entry,) = linked
    assert entry.payload is not None
    assert (entry.payload["person"], entry.payload["other_site"], entry.payload["other_person"]) == (
        "v1",
        "south",
        "v77",
    )
    assert (entry.payload["kind"], entry.payload["link"], entry.payload["other_name"]) == (
        "document",
        7,
        "Someone Else",
    )
    assert "SITE_LINK" in json.dumps(entry.outcome)
    assert take(nats_url, site, office).links == 0  # both copies were acknowledged


def test_a_link_addressed_to_another_site_is_set_aside(nats_url: str, office: wire.Topology, site: SyncSite) -> None:
    misaddressed = link_note(8, "south", "v1", there_site="east")

    async def send(js: JetStreamContext) -> None:
        await js.publish(office.to_site(site.id), wire.encode(misaddressed), headers={wire.MSG_ID: "x-8"})
        await js.publish(office.to_site(site.id), b"{not json", headers={wire.MSG_ID: "x-9"})

    assert take(nats_url, site, office, send).links == 0
    assert take(nats_url, site, office).links == 0  # terminated: not sent again
    assert not any(e.type == "site_link" for e in site.services.log.entries())


def _watchlist(count: int) -> bytes:
    """FollowTheMoney lines of ``count`` people (about 600 bytes each)."""
    lines = []
    for n in range(count):
        person = {
            "id": f"hq-{n}",
            "schema": "Person",
            "properties": {
                "name": [f"Fyodor Testperson{n:05d}"],
                "alias": [f"Theodore Listed {n:05d}"],
                "birthDate": ["1961-04-12"],
                "notes": [f"published by head office for every site, entry {n}: " + "a long note. " * 30],
            },
        }
        lines.append(json.dumps(person) + "\n")
    return "".join(lines).encode()


@pytest.mark.slow
def test_a_watchlist_sent_in_three_parts_becomes_the_lists_next_version(
    nats_url: str, office: wire.Topology, site: SyncSite, tmp_path: Path
) -> None:
    local = tmp_path / "court.jsonl"
    local.write_bytes(_watchlist(3))
    screener = site.services.screener
    import_list(
        screener, local, "ftm", "denied", Reading(local, date.today()), source="court.jsonl", by="ada", at="2024-06-03"
    )
    content = _watchlist(2_200)
    assert 2 * wire.LIST_PART_BYTES < len(content) <= 3 * wire.LIST_PART_BYTES

    async def send(js: JetStreamContext) -> None:
        assert await publish_list(js, office, content, name="denied", version=4, order=[2, 0, 1]) == 3

    assert take(nats_url, site, office, send).lists == 1
    (current,) = screener.book.current()
    assert (current.list, current.version, current.entries) == ("denied", 2, 2_200)
    assert (current.source, current.imported_by) == (list_source("denied", 4), "head-office")
    (held,) = screener.current()  # the screener holds the new version's index: screenings use it at once
    assert (held.version, held.index.size) == (current, 2_200)
    assert not list((site.data / LISTS_FOLDER).glob("*"))  # the gathered file is gone

    async def again(js: JetStreamContext) -> None:  # the same version sent again, and an older one
        await publish_list(js, office, content, name="denied", version=4, tag="-again")
        await publish_list(js, office, content[:1000], name="denied", version=3)

    assert take(nats_url, site, office, again).lists == 0
    assert [v.version for v in screener.book.history("denied")] == [1, 2]


def test_a_watchlist_whose_digest_does_not_check_is_not_imported(
    nats_url: str, office: wire.Topology, site: SyncSite
) -> None:
    content = _watchlist(10)

    async def send(js: JetStreamContext) -> None:
        await publish_list(js, office, content, name="denied", version=1, digest="0" * 64)

    assert take(nats_url, site, office, send).lists == 0
    assert site.services.screener.book.history() == ()
    assert take(nats_url, site, office).lists == 0  # set aside, not sent again


@pytest.mark.slow
def test_a_part_missing_leaves_the_list_as_it_was_and_is_taken_when_it_comes(
    nats_url: str, office: wire.Topology, site: SyncSite
) -> None:
    content = _watchlist(1_000)  # two parts

    async def first_part(js: JetStreamContext) -> None:
        await publish_list(js, office, content, name="denied", version=1, order=[0])

    async def second_part(js: JetStreamContext) -> None:
        await publish_list(js, office, content, name="denied", version=1, order=[1])

    assert take(nats_url, site, office, first_part).lists == 0
    assert site.services.screener.book.history() == ()
    assert take(nats_url, site, office, second_part).lists == 1  # the first part, let go, came again
    (version,) = site.services.screener.book.current()
    assert version.entries == 1_000


def test_without_its_consumers_the_inbox_says_head_office_has_not_set_it_up(
    nats_url: str, topology: wire.Topology, site: SyncSite
) -> None:
    async def scenario() -> None:
        client, js = await jetstream(nats_url)
        try:
            await make_streams(js, topology, [])
            with pytest.raises(
                InboxError, match=f"has not set up consumer to_north on stream {topology.office_stream}"
            ):
                await site_inbox(js, site, topology).take_once()
        finally:
            await client.close()

    asyncio.run(scenario())


@pytest.mark.slow
def test_the_servers_worker_ships_each_write_and_records_what_head_office_sends(
    nats_url: str, office: wire.Topology, site: SyncSite
) -> None:
    """``gatewatch serve --head-office``: the worker ships what the desk records, and takes links."""
    from sync_support import eventually, stored

    from gatewatch.sync.nats_link import head_office_link
    from gatewatch.workers.head_office import syncing

    services = site.services
    services.head_office = head_office_link(nats_url, site.data, prefix=office.prefix)
    site.weather(3)

    async def scenario() -> None:
        client, js = await jetstream(nats_url)
        try:
            async with syncing(services):
                await eventually(lambda: _count(js, office, site.id, 3), "the entries recorded before the start")
                await asyncio.to_thread(site.visitor, "v1", "JX1940817")
                await eventually(lambda: _count(js, office, site.id, 5), "the entries recorded while running", 3.0)
                await publish_link(js, office, link_note(11, site.id, "v1"), "link-11-north")
                await eventually(
                    lambda: asyncio.to_thread(lambda: services.log.find("hq-link-11") is not None),
                    "the link recorded as a site_link event",
                )
                await eventually(lambda: _count(js, office, site.id, 6), "the site_link entry shipped in turn")
            held = await stored(js, office, site.id)
            assert [s.shipped.type for s in held][-1] == "site_link"
        finally:
            await client.close()

    asyncio.run(scenario())


async def _count(js: JetStreamContext, topology: wire.Topology, site: str, count: int) -> bool:
    from sync_support import stored

    return len(await stored(js, topology, site)) == count


def test_a_link_is_dated_by_the_sites_clock(nats_url: str, office: wire.Topology, site: SyncSite) -> None:
    """The event is dated now at the site (never before the record's last event), not when head office found it."""
    site.visitor("v1", "JX1940817")
    before = datetime.now(UTC)

    async def send(js: JetStreamContext) -> None:
        await publish_link(js, office, link_note(9, site.id, "v1"), "link-9-north")

    take(nats_url, site, office, send)
    entry = site.services.log.find("hq-link-9")
    assert entry is not None and datetime.fromisoformat(entry.at) >= site.clock
    assert datetime.fromisoformat(entry.received) >= before
