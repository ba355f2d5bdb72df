"""Head office's composition root: the one module that builds head office's server.

It makes the FastAPI application, mounts the console (``gatewatch.hq.console``) on it, and owns
the lifespan: at start it connects to NATS (trying again until the server answers, without
holding the console up), then runs the ingest (``hq/ingest.py``) and the outbox sender
(``hq/outbox.py``); at stop it ends the ingest first (what was taken is committed and
acknowledged), then the sender, then closes the NATS connection and the store.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import nats
from fastapi import FastAPI
from nats.aio.client import Client

from gatewatch.hq import console
from gatewatch.hq.ingest import Ingest
from gatewatch.hq.outbox import OutboxSender
from gatewatch.hq.store import OfficeStore
from gatewatch.sync.wire import Topology

logger = logging.getLogger("gatewatch.hq")

CONNECT_TIMEOUT_S = 5.0
RECONNECT_WAIT_S = 2.0
BACK_OFF_FIRST_S = 1.0
BACK_OFF_MOST_S = 30.0
CLOSE_WAIT_S = 3
Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


@dataclass(frozen=True, slots=True)
class OfficeSettings:
    """Where head office's NATS server is, the key it connects with, its deployment's names, its console token."""

    nats_url: str
    topology: Topology
    token_file: Path
    nats_seed: Path | None = None


async def connect_nats(url: str, seed: Path | None, name: str = "gatewatch head office") -> Client:
    """One connection to NATS that reconnects by itself for ever (each loss and return logged).

    It returns once NATS answers: nats-py keeps trying the first connection too.
    """

    made: list[Client] = []

    async def disconnected() -> None:
        if made and made[0].is_closed:
            return  # closed by head office itself, at stop
        logger.warning("NATS: disconnected from %s; reconnecting", url)

    async def reconnected() -> None:
        logger.warning("NATS: reconnected to %s", url)

    said: list[str] = [""]

    async def error(problem: Exception) -> None:
        text = f"{problem.__class__.__name__}: {problem}"
        logger.log(logging.DEBUG if text == said[0] else logging.WARNING, "NATS: %s", text)  # once while it lasts
        said[0] = text

    client = await nats.connect(
        url,
        name=name,
        nkeys_seed=str(seed) if seed is not None else None,
        connect_timeout=CONNECT_TIMEOUT_S,
        allow_reconnect=True,
        max_reconnect_attempts=-1,
        reconnect_time_wait=RECONNECT_WAIT_S,
        disconnected_cb=disconnected,
        reconnected_cb=reconnected,
        error_cb=error,
    )
    made.append(client)
    return client


class OfficeLink:
    """Head office's work over NATS: connect (patiently), then the ingest and the outbox sender."""

    def __init__(self, store: OfficeStore, settings: OfficeSettings) -> None:
        self.store, self.settings = store, settings
        self.client: Client | None = None
        self.ingest: Ingest | None = None
        self.sender: OutboxSender | None = None
        self._task: asyncio.Task[None] | None = None
        self._sending: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Begin connecting; the ingest and sender start once NATS answers (returns at once)."""
        self._task = asyncio.create_task(self._begin(), name="hq-link")

    async def _begin(self) -> None:
        back_off = BACK_OFF_FIRST_S
        while True:
            try:
                self.client = await connect_nats(self.settings.nats_url, self.settings.nats_seed)
                break
            except asyncio.CancelledError:
                raise
            except Exception as error:
                logger.warning(
                    "NATS: cannot connect to %s (%s); again in %.0f s", self.settings.nats_url, error, back_off
                )
                await asyncio.sleep(back_off)
                back_off = min(back_off * 2, BACK_OFF_MOST_S)
        logger.info("NATS: connected to %s", self.settings.nats_url)
        js = self.client.jetstream()
        self.sender = OutboxSender(self.store, js)
        self.ingest = Ingest(self.store, js, self.settings.topology, on_links=lambda _links: self._poke())
        await self.ingest.start()
        self._sending = asyncio.create_task(self.sender.run(), name="hq-outbox")

    def _poke(self) -> None:
        if self.sender is not None:
            self.sender.poke()

    async def stop(self) -> None:
        """Stop in order: the connecting, the ingest (drained), the sender, the connection."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        if self.ingest is not None:
            await self.ingest.stop()
        if self._sending is not None:
            self._sending.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sending
        if self.client is not None:
            with contextlib.suppress(Exception):
                await self.client.flush(timeout=CLOSE_WAIT_S)  # the last acknowledgements and hand-backs
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.client.close(), CLOSE_WAIT_S)


def create_office_app(store: OfficeStore, settings: OfficeSettings) -> FastAPI:
    """Head office's server: the console, and the NATS work as its lifespan (the store is closed at stop)."""
    link = OfficeLink(store, settings)
    app = FastAPI(
        title="gatewatch head office",
        version="1",
        summary="Every site's record, verified, in one place.",
        lifespan=_lifespan(store, link),
        docs_url=None,  # Swagger UI and ReDoc load their code from a CDN: head office stays offline
        redoc_url=None,
        openapi_url=None,
    )
    app.state.store = store
    app.state.link = link
    console.attach(app, store, settings.token_file)
    return app


def _lifespan(store: OfficeStore, link: OfficeLink) -> Lifespan:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await link.start()
        try:
            yield
        finally:
            await link.stop()
            await asyncio.to_thread(store.close)

    return lifespan
