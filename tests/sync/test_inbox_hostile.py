"""The inbox against what a hostile head office (or anyone who may publish on its stream) could send.

Each message that can never be taken is set aside (terminated) with its problem logged; the
messages after it are taken as ever, and nothing unreadable reaches the site's record.
"""

from __future__ import annotations

import asyncio
import hashlib
import json

import msgspec
from nats.js import JetStreamContext
from sync_support import SyncSite, jetstream, link_note, publish_link, site_inbox, take

from gatewatch.sync import wire


def _altered(note: wire.LinkNote, *, here: dict[str, object] | None = None, there: dict[str, object]) -> wire.LinkNote:
    return msgspec.structs.replace(
        note,
        here=msgspec.structs.replace(note.here, **(here or {})),
        there=msgspec.structs.replace(note.there, **there),
    )


def test_links_with_times_out_of_range_or_unreadable_names_are_set_aside_and_the_next_is_taken(
    nats_url: str, office: wire.Topology, site: SyncSite
) -> None:
    site.visitor("v1", "JX1940817")
    hostile = [
        _altered(link_note(21, site.id, "v1"), there={"at": "9999-12-31T23:59:59-14:00"}),  # past the calendar here
        _altered(link_note(22, site.id, "v1"), there={"at": "0001-01-01T00:00:00+14:00"}),
        _altered(link_note(23, site.id, "v1"), there={"name": "Evil\x1b[31m name\x07"}),  # a terminal's escapes
        _altered(link_note(24, site.id, "v1"), there={"person": "v77\u202egpj"}),  # writing turned around
        _altered(link_note(25, site.id, "v1"), here={"person": "v1\nforged log line"}, there={}),
        _altered(link_note(26, site.id, "v1"), here={"person": " v1 "}, there={}),
    ]

    async def send(js: JetStreamContext) -> None:
        for note in hostile:
            await publish_link(js, office, note, f"link-{note.link}-north")
        await publish_link(js, office, link_note(27, site.id, "v1"), "link-27-north")

    assert take(nats_url, site, office, send).links == 1
    assert take(nats_url, site, office).links == 0  # the hostile ones were terminated: not sent again
    linked = [e.event_id for e in site.services.log.entries() if e.type == "site_link"]
    assert linked == ["hq-link-27"]


def test_a_watchlist_whose_name_is_not_printable_is_set_aside(
    nats_url: str, office: wire.Topology, site: SyncSite
) -> None:
    content = b'{"id": "hq-1", "schema": "Person", "properties": {"name": ["Fyodor Testperson"]}}\n'
    names = ["denied\n[alert] forged", "denied\x1b[2J", " denied"]

    async def send(js: JetStreamContext) -> None:
        for number, name in enumerate(names):
            header = wire.ListPart(
                list=name,
                version=1,
                format="ftm",
                part=0,
                parts=1,
                size=len(content),
                digest=hashlib.sha256(content).hexdigest(),
                published="2024-06-03",
                source="test",
            )
            headers = {wire.LIST_PART_HEADER: wire.encode(header).decode(), wire.MSG_ID: f"odd-{number}"}
            await js.publish(office.lists_subject, content, headers=headers)

    assert take(nats_url, site, office, send).lists == 0
    assert site.services.screener.book.history() == ()
    assert take(nats_url, site, office).lists == 0  # set aside, not sent again


def test_parts_held_for_a_version_not_yet_whole_keep_no_bytes_in_memory(
    nats_url: str, office: wire.Topology, site: SyncSite
) -> None:
    """A version of many parts is held until its last part comes: on disk, not in the site's memory."""
    size = 3 * wire.LIST_PART_BYTES
    header = {
        "list": "denied",
        "version": 1,
        "format": "ftm",
        "parts": 3,
        "size": size,
        "digest": "0" * 64,
        "published": "2024-06-03",
        "source": "test",
    }

    async def scenario() -> list[bytes]:
        client, js = await jetstream(nats_url)
        try:
            for index in (0, 1):
                part = wire.ListPart(part=index, **header)  # type: ignore[arg-type]
                await js.publish(
                    office.lists_subject,
                    bytes([index]) * wire.LIST_PART_BYTES,
                    headers={wire.LIST_PART_HEADER: wire.encode(part).decode(), wire.MSG_ID: f"part-{index}"},
                )
            inbox = site_inbox(js, site, office)
            subscription = await js.pull_subscribe_bind(
                durable=office.lists_consumer(site.id), stream=office.office_stream
            )
            try:
                for message in await subscription.fetch(2, timeout=5):
                    assert not await inbox.take_list_part(message)
                (gathering,) = inbox._gathering.values()
                assert gathering.parts == {0, 1}
                return [message.data for message in gathering.messages]
            finally:
                await inbox._let_go_all()
                await subscription.unsubscribe()
        finally:
            await client.close()

    assert asyncio.run(scenario()) == [b"", b""]


def test_a_link_note_is_checked_as_json_before_anything_else(
    nats_url: str, office: wire.Topology, site: SyncSite
) -> None:
    """Not JSON, or JSON that is not a link, is set aside with the rest taken."""
    site.visitor("v1", "JX1940817")

    async def send(js: JetStreamContext) -> None:
        await js.publish(office.to_site(site.id), json.dumps({"link": 1}).encode(), headers={wire.MSG_ID: "bad-1"})
        await js.publish(office.to_site(site.id), b"\xff\xfe", headers={wire.MSG_ID: "bad-2"})
        await publish_link(js, office, link_note(31, site.id, "v1"), "link-31-north")

    assert take(nats_url, site, office, send).links == 1
