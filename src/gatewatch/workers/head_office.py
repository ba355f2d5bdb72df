"""Head office: while the server runs with a head office named, ship the record to it and take its inbox.

The worker takes the record's sync lock (one sync per record), connects to head office's NATS
with the site's key, then runs the publisher (woken by the desk after each write) and the inbox
side by side until the server stops. Nothing of this is on a door's path: the desk only pokes
the publisher (a call that never waits), and a head office that cannot be reached, a key it
refuses or a stream not yet made are logged and tried again, while the doors go on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from nats.aio.client import Client
from nats.js import JetStreamContext

from gatewatch.bootstrap import Services
from gatewatch.service.desk import Decided
from gatewatch.sync import nats_link
from gatewatch.sync.inbox import Inbox
from gatewatch.sync.lock import SyncLock, SyncLocked
from gatewatch.sync.marks import load_key
from gatewatch.sync.nats_link import HeadOfficeLink
from gatewatch.sync.publisher import Publisher

logger = logging.getLogger("gatewatch.workers")


def site_publisher(client: Client, services: Services, link: HeadOfficeLink, key: bytes | None) -> Publisher:
    """The site's publisher on ``client``: its record, shipped as ``link`` says (``key``: the identity key)."""
    site = services.site
    return Publisher(client, services.log, site.id, link.topology, country=site.country, key=key, private=link.private)


def site_inbox(js: JetStreamContext, services: Services, link: HeadOfficeLink) -> Inbox:
    """The site's inbox on ``js``: head office's links and watchlists, taken into the site's record."""
    return Inbox(
        js,
        services.desk,
        services.screener,
        services.site.id,
        link.topology,
        link.data,
        services.zone,
        clock=lambda: services.clock(),
    )


async def keep_syncing(services: Services, link: HeadOfficeLink) -> None:
    """Connect (trying until it can), then ship the record and take the inbox until cancelled."""
    site = services.site
    key = await asyncio.to_thread(load_key, link.identity_key) if link.identity_key is not None else None
    client = await nats_link.connect(link, site.id)
    try:
        publisher = site_publisher(client, services, link, key)
        inbox = site_inbox(client.jetstream(), services, link)

        def recorded(_: Decided) -> None:
            publisher.poke()

        services.desk.listeners.append(recorded)
        try:
            async with asyncio.TaskGroup() as group:
                group.create_task(publisher.run())
                group.create_task(inbox.run())
        finally:
            services.desk.listeners.remove(recorded)
    finally:
        await nats_link.close(client)


async def _sync_logged(services: Services, link: HeadOfficeLink) -> None:
    try:
        await keep_syncing(services, link)
    except asyncio.CancelledError:
        raise
    except Exception:  # the site's server goes on without head office
        logger.exception("head office: the sync stopped; the site goes on without it until restarted")


@asynccontextmanager
async def syncing(services: Services) -> AsyncIterator[None]:
    """Sync with head office while the server runs (when ``services.head_office`` names one)."""
    link = services.head_office
    if link is None:
        yield
        return
    lock = SyncLock(link.data)
    try:
        await asyncio.to_thread(lock.acquire)
    except (SyncLocked, OSError) as error:
        logger.error("head office: not syncing: %s", error)
        yield
        return
    logger.warning("head office: syncing site %s with %s", services.site.id, link.describe())
    task = asyncio.create_task(_sync_logged(services, link))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        lock.release()
