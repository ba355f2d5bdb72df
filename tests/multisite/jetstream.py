"""What the multi-site tests ask NATS JetStream directly: a stream's messages, a consumer's progress.

Each call connects, asks, and closes (``asyncio.run``): the tests themselves are synchronous.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import TypeVar

import nats
from nats.js import JetStreamContext
from nats.js.api import ConsumerInfo
from nats.js.errors import NotFoundError

from gatewatch.sync.wire import MSG_ID, Topology

T = TypeVar("T")
CONNECT_S = 5.0


def _with_jetstream(url: str, work: Callable[[JetStreamContext], Awaitable[T]]) -> T:
    async def session() -> T:
        client = await nats.connect(url, connect_timeout=CONNECT_S, max_reconnect_attempts=0, allow_reconnect=False)
        try:
            return await work(client.jetstream())
        finally:
            await client.close()

    return asyncio.run(session())


def answers(url: str) -> str | None:
    """None if a NATS server with JetStream answers at ``url``, else what went wrong."""

    async def ask(js: JetStreamContext) -> None:
        await js.account_info()

    try:
        _with_jetstream(url, ask)
    except Exception as error:
        return f"{error.__class__.__name__}: {error}"
    return None


def delete_streams(url: str, topology: Topology) -> None:
    """The deployment's two streams (and so their consumers) gone, if they were made."""

    async def delete(js: JetStreamContext) -> None:
        for stream in (topology.sites_stream, topology.office_stream):
            with contextlib.suppress(NotFoundError):
                await js.delete_stream(stream)

    _with_jetstream(url, delete)


def consumers_ready(url: str, topology: Topology, sites: list[str]) -> bool:
    """Head office has made, for every site, its consumer of the site's entries and the site's two."""

    async def ask(js: JetStreamContext) -> bool:
        try:
            for site in sites:
                await js.consumer_info(topology.sites_stream, topology.office_consumer(site))
                await js.consumer_info(topology.office_stream, topology.inbox_consumer(site))
                await js.consumer_info(topology.office_stream, topology.lists_consumer(site))
        except NotFoundError:
            return False
        return True

    return _with_jetstream(url, ask)


def messages_on(url: str, topology: Topology, site: str) -> int:
    """How many messages the sites' stream holds on the site's subject (resends dropped or not)."""

    async def ask(js: JetStreamContext) -> int:
        subject = topology.site_subject(site)
        info = await js.stream_info(topology.sites_stream, subjects_filter=subject)
        return int((info.state.subjects or {}).get(subject, 0))

    return _with_jetstream(url, ask)


def office_consumer(url: str, topology: Topology, site: str) -> ConsumerInfo:
    """Head office's consumer of the site's entries: what it has acknowledged, what waits."""

    async def ask(js: JetStreamContext) -> ConsumerInfo:
        info: ConsumerInfo = await js.consumer_info(topology.sites_stream, topology.office_consumer(site))
        return info

    return _with_jetstream(url, ask)


def publish(url: str, topology: Topology, site: str, body: bytes, msg_id: str) -> int:
    """One message on the site's subject, as if the site sent it: its sequence in the stream."""

    async def send(js: JetStreamContext) -> int:
        ack = await js.publish(topology.site_subject(site), body, headers={MSG_ID: msg_id})
        return int(ack.seq)

    return _with_jetstream(url, send)


def kill_in_flight(
    url: str, topology: Topology, sites: list[str], kill: Callable[[], None], timeout: float, least: int = 1
) -> bool:
    """``kill()`` the moment head office holds at least ``least`` of a site's entries delivered and
    not yet acknowledged (so that it dies with them in flight), or after ``timeout`` s if it never
    does; whether it did."""

    async def watch(js: JetStreamContext) -> bool:
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            for site in sites:
                info = await js.consumer_info(topology.sites_stream, topology.office_consumer(site))
                if (info.num_ack_pending or 0) >= least:
                    kill()
                    return True
            await asyncio.sleep(0.002)
        kill()
        return False

    return _with_jetstream(url, watch)
