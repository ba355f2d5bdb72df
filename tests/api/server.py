"""A real ``gatewatch serve`` process on a free loopback port, for tests that need one."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

GATEWATCH = str(Path(sys.executable).parent / "gatewatch")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def add_user(data: Path, name: str, role: str, person: str | None, password: str) -> None:
    command = [GATEWATCH, "user", "add", name, "--role", role, "--data", str(data)]
    if person:
        command += ["--person", person]
    subprocess.run(command, input=f"{password}\n", text=True, check=True, capture_output=True)


@dataclass
class Server:
    site: Path
    data: Path
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> Server:
        self.port = free_port()
        self.process = subprocess.Popen(
            [GATEWATCH, "serve", "--site", str(self.site), "--data", str(self.data), "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the server stopped: {self.process.stderr.read().decode() if self.process.stderr else ''}"
                )
            try:
                if httpx.get(f"{self.url}/v1/health", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("the server did not answer in time")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush; what was acknowledged must already be on disk."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def login(self, name: str, password: str) -> dict[str, str]:
        answer = httpx.post(f"{self.url}/v1/login", json={"name": name, "password": password}, timeout=10)
        answer.raise_for_status()
        return {"Authorization": f"Bearer {answer.json()['token']}"}


def serving_test_site(directory: Path) -> Iterator[Server]:
    """A server on the test site with one guard, ``gus`` (person g1, password ``gus-password``)."""
    from api.conftest import write_site

    data = directory / "data"
    add_user(data, "gus", "guard", "g1", "gus-password")
    running = Server(write_site(directory), data).start()
    yield running
    running.stop()
