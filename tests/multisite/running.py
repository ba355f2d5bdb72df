"""Processes the multi-site tests start (``gatewatch sync``, ``gatewatch hq serve``), and a bounded wait.

Each process writes its output to a log file of its own (a pipe nobody reads would block it once
full); a failing test shows the end of each log. ``kill`` is SIGKILL: no shutdown, no flush.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

GATEWATCH = str(Path(sys.executable).parent / "gatewatch")
T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(
    check: Callable[[], T | None],
    timeout: float,
    what: str,
    every: float = 0.2,
    show: Callable[[], str] | None = None,
) -> T:
    """Ask ``check`` every ``every`` seconds until it answers something true; fail after ``timeout`` s.

    The failure says what was awaited, the last answer, and ``show()`` (the processes' logs).
    """
    deadline = time.monotonic() + timeout
    answer: T | None = None
    while True:
        answer = check()
        if answer:
            return answer
        if time.monotonic() >= deadline:
            told = f"\n{show()}" if show is not None else ""
            raise AssertionError(f"waited {timeout:.0f} s for {what}; last answer: {answer!r}{told}")
        time.sleep(every)


def run(
    command: Sequence[str], env: dict[str, str] | None = None, timeout: float = 120.0
) -> subprocess.CompletedProcess[str]:
    """A ``gatewatch`` command to its end: its exit code and output (never raises on failure)."""
    return subprocess.run(
        [GATEWATCH, *command],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
    )


def must(command: Sequence[str], env: dict[str, str] | None = None, timeout: float = 120.0) -> str:
    """A ``gatewatch`` command that must succeed: its output, or a failure showing what it said."""
    done = run(command, env, timeout)
    assert done.returncode == 0, (
        f"gatewatch {' '.join(command)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    )
    return done.stdout


@dataclass
class Process:
    """A ``gatewatch`` command running in the background, restartable, its output kept in ``logs``."""

    name: str
    command: list[str]
    logs: Path
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def log_file(self) -> Path:
        return self.logs / f"{self.name}-{self.starts}.log"

    def start(self) -> Process:
        assert not self.alive(), f"{self.name} is already running"
        self.starts += 1
        self.logs.mkdir(parents=True, exist_ok=True)
        with self.log_file.open("wb") as out:
            self.process = subprocess.Popen(
                [GATEWATCH, *self.command],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env={**os.environ, **self.env},
            )
        return self

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: whatever it had not committed or acknowledged is lost with it."""
        if self.alive():
            assert self.process is not None
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self, timeout: float = 20.0) -> int | None:
        """SIGTERM, as an operator stops it; SIGKILL if it has not ended in ``timeout`` s. Its exit code."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.process.returncode

    def output(self, tail: int = 4_000) -> str:
        """The end of every run's log, newest last."""
        parts = []
        for run_number in range(1, self.starts + 1):
            path = self.logs / f"{self.name}-{run_number}.log"
            text = path.read_text(errors="replace") if path.exists() else ""
            parts.append(f"--- {self.name} run {run_number} ---\n{text[-tail:]}")
        return "\n".join(parts)


def logs_of(processes: Sequence[Process]) -> Callable[[], str]:
    """What a failed wait shows: the end of each process's logs."""
    return lambda: "\n".join(p.output() for p in processes)
