"""NATS for head office's tests: the shared server on loopback, or a server of a test's own.

``GATEWATCH_TEST_NATS`` (default ``nats://127.0.0.1:4222``) names a server with JetStream and no
authentication; each test uses a prefix of its own and deletes its streams afterwards. A test
that needs a config of its own (users, permissions) starts ``/usr/sbin/nats-server``
(``GATEWATCH_NATS_SERVER``) on a free port with a store directory in its temporary directory.
Where neither is here the tests are skipped, except under CI, where they fail.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import nats
import pytest
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from gatewatch.sync.wire import Topology

NATS_URL = os.environ.get("GATEWATCH_TEST_NATS", "nats://127.0.0.1:4222")
NATS_SERVER = os.environ.get("GATEWATCH_NATS_SERVER", "/usr/sbin/nats-server")


def missing(what: str) -> None:
    """Skip the test for want of a service, or fail it under CI."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} (CI: the service must be there)")
    pytest.skip(what)


def unique_topology() -> Topology:
    return Topology(prefix=f"t{uuid.uuid4().hex[:12]}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def answers(port: int, host: str = "127.0.0.1") -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.2):
        return True
    return False


async def connect(url: str = NATS_URL, *, patient: bool = True, **options: object) -> Client:
    """A client as head office's: it reconnects for ever (``patient``), or gives up after a second try.

    (nats-py tries for ever at connect unless ``max_reconnect_attempts`` is 1 or more, even
    without ``allow_reconnect``.)
    """
    return await nats.connect(
        url,
        connect_timeout=2,
        allow_reconnect=patient,
        max_reconnect_attempts=-1 if patient else 1,
        reconnect_time_wait=0.2,
        **options,  # type: ignore[arg-type]
    )


async def shared_nats() -> Client:
    """A client of the shared server, or the test skipped (failed under CI) where none answers."""
    try:
        return await connect(patient=False)
    except Exception as error:  # no server there
        missing(f"no NATS at {NATS_URL}: {error.__class__.__name__}")
        raise


async def delete_streams(url: str, topology: Topology, **options: object) -> None:
    """Delete a test's two streams (and with them their consumers); nothing to do where no server answers."""
    try:
        client = await connect(url, patient=False, **options)
    except Exception:  # no server: the test was skipped (or failed) before it made any
        return
    try:
        js = client.jetstream()
        for stream in (topology.sites_stream, topology.office_stream):
            with contextlib.suppress(NotFoundError):
                await js.delete_stream(stream)
    finally:
        await client.close()


async def sites_stream_there(js: JetStreamContext, topology: Topology) -> bool:
    """Whether the sites' stream of ``topology`` is there yet (made by head office)."""
    try:
        await js.stream_info(topology.sites_stream)
    except Exception:  # not found, or the server not answering yet
        return False
    return True


@contextlib.asynccontextmanager
async def topology_on_shared() -> AsyncIterator[Topology]:
    """A prefix of the test's own on the shared server, its streams deleted afterwards."""
    client = await shared_nats()
    await client.close()
    topology = unique_topology()
    try:
        yield topology
    finally:
        await delete_streams(NATS_URL, topology)


class OwnServer:
    """A nats-server of the test's own, started from a config file, stopped and started again at will."""

    def __init__(self, config: Path, port: int, log: Path) -> None:
        self.config, self.port, self.log = config, port, log
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> None:
        if not Path(NATS_SERVER).is_file() and shutil.which("nats-server") is None:
            missing(f"no nats-server at {NATS_SERVER}")
        binary = NATS_SERVER if Path(NATS_SERVER).is_file() else str(shutil.which("nats-server"))
        with self.log.open("ab") as out:
            self.process = subprocess.Popen([binary, "-c", str(self.config)], stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while not answers(self.port):
            if self.process.poll() is not None:
                raise RuntimeError(f"nats-server stopped at start: {self.log.read_text()[-2000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"nats-server did not answer on {self.port}: {self.log.read_text()[-2000:]}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


@contextlib.contextmanager
def own_server(config_text: str, directory: Path, port: int) -> Iterator[OwnServer]:
    """Start a nats-server with ``config_text`` (written to ``directory``); stop it afterwards."""
    config = directory / "nats.conf"
    config.write_text(config_text)
    server = OwnServer(config, port, directory / "nats.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


async def eventually(check: object, timeout: float = 10.0, every: float = 0.05) -> None:
    """Wait until ``check()`` (a callable, maybe async) is true; fail after ``timeout`` seconds."""
    assert callable(check)
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"not true after {timeout} s: {getattr(check, '__name__', check)}")
        await asyncio.sleep(every)
