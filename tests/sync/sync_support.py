"""What the site-side sync tests share: a guarded site with its record, and head office's side of NATS.

Head office's own code is not used here: the tests make the two streams and the site's three
consumers themselves, as the design says head office does, and read the streams directly.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import math
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import nats
import yaml
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, DiscardPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from gatewatch.bootstrap import Services, build
from gatewatch.core.parse import parse_event
from gatewatch.service.desk import Decided
from gatewatch.store.log import database_url
from gatewatch.sync import wire
from gatewatch.sync.inbox import Inbox, Taken
from support import SITE_YAML

T = TypeVar("T")
CONNECT_S = 5.0
DUPLICATE_WINDOW_S = 600.0


# --- head office's side of NATS ------------------------------------------------------------------


async def jetstream(url: str) -> tuple[Client, JetStreamContext]:
    """A connection with every right (as head office has), for the test's own asking and sending."""
    client = await nats.connect(url, connect_timeout=CONNECT_S, max_reconnect_attempts=0, allow_reconnect=False)
    return client, client.jetstream()


def with_client(url: str, work: Callable[[Client, JetStreamContext], Awaitable[T]]) -> T:
    """``work`` done on a connection of its own (opened and closed here), given the client and its JetStream."""

    async def session() -> T:
        client, js = await jetstream(url)
        try:
            return await work(client, js)
        finally:
            await client.close()

    return asyncio.run(session())


def with_jetstream(url: str, work: Callable[[JetStreamContext], Awaitable[T]]) -> T:
    """``work`` done on a connection of its own (opened and closed here)."""
    return with_client(url, lambda _client, js: work(js))


async def make_streams(
    js: JetStreamContext, topology: wire.Topology, sites: list[str], *, most_entries: int | None = None
) -> None:
    """The sites' stream and head office's stream, and each site's three consumers, as head office makes them.

    ``most_entries``: the sites' stream refuses new messages past this many (to make a publish fail).
    """
    limits: dict[str, Any] = {}
    if most_entries is not None:
        limits = {"max_msgs": most_entries, "discard": DiscardPolicy.NEW}
    await js.add_stream(
        StreamConfig(
            name=topology.sites_stream,
            subjects=[topology.sites_subjects],
            storage=StorageType.FILE,
            duplicate_window=DUPLICATE_WINDOW_S,
            **limits,
        )
    )
    await js.add_stream(
        StreamConfig(
            name=topology.office_stream,
            subjects=[topology.to_subjects, topology.lists_subject],
            storage=StorageType.FILE,
            duplicate_window=DUPLICATE_WINDOW_S,
        )
    )
    for site in sites:
        await make_consumers(js, topology, site)


async def make_consumers(js: JetStreamContext, topology: wire.Topology, site: str) -> None:
    explicit: dict[str, Any] = {"ack_policy": AckPolicy.EXPLICIT, "deliver_policy": DeliverPolicy.ALL}
    await js.add_consumer(
        topology.sites_stream,
        ConsumerConfig(
            durable_name=topology.office_consumer(site),
            filter_subject=topology.site_subject(site),
            max_ack_pending=2000,
            ack_wait=300,
            **explicit,
        ),
    )
    await js.add_consumer(
        topology.office_stream,
        ConsumerConfig(durable_name=topology.inbox_consumer(site), filter_subject=topology.to_site(site), **explicit),
    )
    await js.add_consumer(
        topology.office_stream,
        ConsumerConfig(durable_name=topology.lists_consumer(site), filter_subject=topology.lists_subject, **explicit),
    )


async def delete_streams(js: JetStreamContext, topology: wire.Topology) -> None:
    for stream in (topology.sites_stream, topology.office_stream):
        with contextlib.suppress(NotFoundError):
            await js.delete_stream(stream)


@dataclass(frozen=True)
class Stored:
    """One message as the sites' stream holds it."""

    stream_seq: int
    msg_id: str | None
    shipped: wire.Shipped


async def stored(js: JetStreamContext, topology: wire.Topology, site: str) -> list[Stored]:
    """Every message the sites' stream holds on the site's subject, in the stream's order."""
    info = await js.stream_info(topology.sites_stream)
    found: list[Stored] = []
    subject = topology.site_subject(site)
    if not info.state.messages:
        return found
    for seq in range(info.state.first_seq, info.state.last_seq + 1):
        try:
            message = await js.get_msg(topology.sites_stream, seq)
        except NotFoundError:
            continue
        if message.subject == subject:
            msg_id = (message.headers or {}).get(wire.MSG_ID)
            found.append(Stored(seq, msg_id, wire.decode_shipped(message.data or b"")))
    return found


async def publish_link(js: JetStreamContext, topology: wire.Topology, note: wire.LinkNote, msg_id: str) -> None:
    await js.publish(topology.to_site(note.here.site), wire.encode(note), headers={wire.MSG_ID: msg_id})


async def publish_list(
    js: JetStreamContext,
    topology: wire.Topology,
    content: bytes,
    *,
    name: str,
    version: int,
    kind: str = "ftm",
    order: list[int] | None = None,
    digest: str | None = None,
    tag: str = "",
) -> int:
    """A watchlist file's parts on the lists' subject, as head office sends them (``order``: which part when)."""
    size = len(content)
    parts = max(1, math.ceil(size / wire.LIST_PART_BYTES))
    header: dict[str, Any] = {
        "list": name,
        "version": version,
        "format": kind,
        "parts": parts,
        "size": size,
        "digest": digest or hashlib.sha256(content).hexdigest(),
        "published": datetime.now(UTC).date().isoformat(),
        "source": "test",
    }
    for index in order if order is not None else range(parts):
        part = wire.decode_list_part(wire.encode(wire.ListPart(part=index, **header)))  # checked as a site reads it
        body = content[index * wire.LIST_PART_BYTES : (index + 1) * wire.LIST_PART_BYTES]
        await js.publish(
            topology.lists_subject,
            body,
            headers={
                wire.LIST_PART_HEADER: wire.encode(part).decode(),
                wire.MSG_ID: f"list-{name}-{version}-{index}{tag}",
            },
        )
    return parts


def link_note(link: int, here_site: str, here_person: str, *, there_site: str = "south") -> wire.LinkNote:
    moment = datetime(2024, 6, 3, 9, 30, tzinfo=UTC).isoformat()
    return wire.LinkNote(
        link=link,
        kind="document",
        here=wire.Party(site=here_site, person=here_person, seq=4, at=moment, name="Visitor here"),
        there=wire.Party(site=there_site, person="v77", seq=12, at=moment, name="Someone Else"),
        found=datetime.now(UTC).isoformat(),
    )


async def eventually(check: Callable[[], Awaitable[bool]], what: str, timeout: float = 15.0) -> None:
    """Wait until ``check`` holds, or fail saying ``what`` did not happen."""
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout:g} s")
        await asyncio.sleep(0.05)


def site_inbox(js: JetStreamContext, site: SyncSite, topology: wire.Topology) -> Inbox:
    """The site's inbox on ``js``, as its server makes it."""
    services = site.services
    return Inbox(js, services.desk, services.screener, site.id, topology, site.data, services.zone)


def take(
    url: str, site: SyncSite, topology: wire.Topology, *sends: Callable[[JetStreamContext], Awaitable[object]]
) -> Taken:
    """Connect, let each ``send(js)`` publish as head office would, then take what waits once."""

    async def work(js: JetStreamContext) -> Taken:
        for send in sends:
            await send(js)
        return await site_inbox(js, site, topology).take_once()

    return with_jetstream(url, work)


# --- a guarded site --------------------------------------------------------------------------------


def site_yaml(site: str, country: str | None = None) -> str:
    raw = yaml.safe_load(SITE_YAML)
    raw["site"] = site
    raw["name"] = f"Test house {site}"
    if country is not None:
        raw["country"] = country
    return yaml.safe_dump(raw, sort_keys=False)


class SyncSite:
    """A guarded site in a folder: its file, its data directory (SQLite record), its services."""

    def __init__(self, root: Path, site: str, country: str | None = None) -> None:
        self.id = site
        self.root = root / site
        self.data.mkdir(parents=True, exist_ok=True)
        self.file.write_text(site_yaml(site, country), encoding="utf-8")
        self.clock = datetime(2024, 6, 3, 8, 0, tzinfo=UTC)
        self.number = 0
        self._services: Services | None = None

    @property
    def file(self) -> Path:
        return self.root / "site.yaml"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def url(self) -> str:
        return database_url(self.data)

    @property
    def services(self) -> Services:
        if self._services is None:
            self._services = build(self.file, self.url, cache=self.data)
        return self._services

    def close(self) -> None:
        if self._services is not None:
            self._services.close()
            self._services = None

    def submit(self, raw: dict[str, Any]) -> Decided:
        """One event, a minute after the last one (its id numbered), decided and recorded by the desk."""
        services = self.services
        self.number += 1
        self.clock += timedelta(minutes=1)
        moment = self.clock.replace(tzinfo=None).isoformat(timespec="seconds")
        event = parse_event(
            {"at": moment, **raw}, services.site, services.zone, self.clock, default_id=f"{self.id}-{self.number}"
        )
        return services.desk.submit(event, "sync-test", datetime.now(UTC))

    def weather(self, count: int) -> list[Decided]:
        """``count`` ordinary entries (the weather, as a post reports it)."""
        return [self.submit({"type": "weather", "temp_c": 10 + n % 20}) for n in range(count)]

    def visitor(self, person: str, number: str, name: str = "Visitor Here") -> Decided:
        """A visitor invited, then identified on a passport (the entry head office links by)."""
        self.submit({"type": "invite", "by": "res", "person": person})
        document = {"kind": "passport", "country": "GB", "number": number}
        return self.submit({"type": "identify", "person": person, "name": name, "document": document})


# --- a NATS server of the test's own, with the site's rights only -------------------------------

NATS_SERVER = "/usr/sbin/nats-server"


def site_rights(topology: wire.Topology, site: str) -> str:
    """The site's permissions as the design gives them (its own subject, its two consumers, its inbox)."""
    stream = topology.office_stream
    consumers = (topology.inbox_consumer(site), topology.lists_consumer(site))
    publish = [topology.site_subject(site)]
    publish += [f"$JS.API.CONSUMER.MSG.NEXT.{stream}.{c}" for c in consumers]
    publish += [f"$JS.API.CONSUMER.INFO.{stream}.{c}" for c in consumers]
    publish += [f"$JS.ACK.{stream}.{c}.>" for c in consumers]
    quoted = ", ".join(f'"{subject}"' for subject in publish)
    return f'publish: {{ allow: [{quoted}] }}, subscribe: {{ allow: ["{topology.inbox_prefix(site)}.>"] }}'


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def site_only(topology: wire.Topology, site: str, site_key: str, office_key: str) -> str:
    """The server's users: head office with every right, the site with the design's rights only."""
    return (
        "authorization { users: [\n"
        f'  {{ nkey: "{office_key}" }}\n'
        f'  {{ nkey: "{site_key}", permissions: {{ {site_rights(topology, site)} }} }}\n'
        "] }\n"
    )


@contextlib.contextmanager
def own_server(root: Path, authorization: str = "", port: int | None = None) -> Iterator[str]:
    """A nats-server with JetStream of the test's own (its store in ``root``), on a free port or ``port``."""
    import socket
    import subprocess

    port = port or free_port()
    root.mkdir(parents=True, exist_ok=True)
    config = root / "nats.conf"
    config.write_text(f'listen: 127.0.0.1:{port}\njetstream {{ store_dir: "{root / "jetstream"}" }}\n{authorization}')
    server = subprocess.Popen([NATS_SERVER, "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while True:
            with socket.socket() as attempt:
                if attempt.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if server.poll() is not None or time.monotonic() > deadline:
                said = server.stderr.read().decode(errors="replace") if server.stderr else ""
                raise AssertionError(f"nats-server did not start: {said}")
            time.sleep(0.05)
        yield f"nats://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(10)
