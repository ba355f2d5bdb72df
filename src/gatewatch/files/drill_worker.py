"""Play an uploaded drill in a process of its own, with a wall-clock limit, apart from the desk.

Reading and playing a drill is work for the processor alone. Done in the desk's own process (on
its event loop, or in a thread, which holds the interpreter's lock just the same) it stops every
answer, door decisions included, until it ends. Here each drill is read and played in a fresh
worker process, one at a time; the desk only waits for the answer, and a worker still busy when
its time is up is killed. The worker is a fresh interpreter started on this module (not a fork
of the desk, and not depending on how the desk itself was started).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from typing import Any
from zoneinfo import ZoneInfo

from gatewatch.core import events as ev
from gatewatch.core.drill import CheckResult, play
from gatewatch.core.limits import DRILL_SECONDS
from gatewatch.core.outcome import Outcome
from gatewatch.core.site import Site
from gatewatch.core.wording import describe
from gatewatch.files.loader import DRILL_LIMITS, DrillLimits, FileError, drill_on_site

WORKER_NICENESS = 10
"""How much lower than the desk's the worker's processor priority is."""

STEPS_A_MESSAGE = 500
"""Steps sent back together: the desk unpacks each batch in a few milliseconds, so a drill of
20,000 steps never holds its interpreter for long at a time."""

_one_at_a_time = threading.Lock()


@dataclass(frozen=True, slots=True)
class DrillHeading:
    """What the page names a drill by."""

    id: str


@dataclass(frozen=True, slots=True)
class PlayedDrill:
    """A drill as played, as the Drills page shows it: every step said in words, and the checks."""

    drill: DrillHeading
    passed: bool
    checks: tuple[CheckResult, ...]
    steps: tuple[tuple[ev.Event, str, Outcome], ...]


@dataclass(frozen=True, slots=True)
class NotPlayed:
    """Why a drill was not played: the file's name and the problem, as the page says it."""

    problem: str


def play_bytes(name: str, content: bytes, site: Site, zone: ZoneInfo, limits: DrillLimits) -> PlayedDrill:
    """Read and play a drill's bytes on ``site``, here (the worker's whole work)."""
    result = play(drill_on_site(name, content, site, zone, limits))
    steps = tuple(
        (event, describe(event), outcome) for event, outcome in zip(result.drill.events, result.steps, strict=True)
    )
    return PlayedDrill(DrillHeading(result.drill.id), result.passed, result.checks, steps)


def _work(answer: Connection, name: str, content: bytes, site: Site, zone: ZoneInfo, limits: DrillLimits) -> None:
    """In the worker: play, and send back the played drill or the problem."""
    try:
        played = play_bytes(name, content, site, zone, limits)
    except FileError as error:
        answer.send(NotPlayed(str(error)))
    except Exception as error:  # any failure is reported to the page, not lost
        answer.send(NotPlayed(f"{name}: the drill could not be played ({error.__class__.__name__}: {error})"))
    else:
        answer.send(replace(played, steps=()))
        for first in range(0, len(played.steps), STEPS_A_MESSAGE):
            answer.send(played.steps[first : first + STEPS_A_MESSAGE])
        answer.send(())
    finally:
        answer.close()


def play_apart(
    name: str,
    content: bytes,
    site: Site,
    zone: ZoneInfo,
    *,
    seconds: float = DRILL_SECONDS,
    limits: DrillLimits = DRILL_LIMITS,
) -> PlayedDrill | NotPlayed:
    """Play a drill in a worker process and wait for it at most ``seconds`` (this call blocks:
    run it in a thread off the event loop). One drill at a time: a second is refused at once
    rather than queued, so that waiting drills never hold the server's worker threads."""
    if not _one_at_a_time.acquire(blocking=False):
        return NotPlayed(f"{name}: not run: another drill is being played; try again when it has ended")
    try:
        return _in_worker(name, content, site, zone, seconds, limits)
    finally:
        _one_at_a_time.release()


def _in_worker(
    name: str, content: bytes, site: Site, zone: ZoneInfo, seconds: float, limits: DrillLimits
) -> PlayedDrill | NotPlayed:
    """Start a fresh interpreter on this module, hand it the drill, read its answer, and kill it
    if it is still running when the time is up."""
    deadline = time.monotonic() + seconds
    job_read, job_write = os.pipe()
    answer_read, answer_write = os.pipe()
    worker = subprocess.Popen(
        [sys.executable, "-m", __name__, str(job_read), str(answer_write)],
        pass_fds=(job_read, answer_write),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
    )
    os.close(job_read)
    os.close(answer_write)
    job, answers = Connection(job_write, readable=False), Connection(answer_read, writable=False)
    try:
        job.send((name, content, site, zone, limits))
        job.close()
        return _answer(answers, deadline)
    except TimeoutError:
        return NotPlayed(f"{name}: stopped after {seconds:g} s, the time a drill may take; it was not finished")
    except (EOFError, OSError):
        pass
    finally:
        job.close()
        answers.close()
        if worker.poll() is None:
            worker.kill()
        worker.wait()
    return NotPlayed(f"{name}: the drill's worker ended without an answer (exit code {worker.returncode})")


def _answer(reading: Connection, deadline: float) -> PlayedDrill | NotPlayed:
    """The worker's answer: the played drill and its steps, batch by batch, until an empty one."""
    first: PlayedDrill | NotPlayed = _next(reading, deadline)
    if isinstance(first, NotPlayed):
        return first
    steps: list[tuple[ev.Event, str, Outcome]] = []
    while batch := _next(reading, deadline):
        steps.extend(batch)
    return replace(first, steps=tuple(steps))


def _next(reading: Connection, deadline: float) -> Any:
    """The next message, or TimeoutError when the deadline passes first."""
    if not reading.poll(max(0.0, deadline - time.monotonic())):
        raise TimeoutError
    return reading.recv()


def main(job_fd: int, answer_fd: int) -> None:
    """The worker's side: read one drill from ``job_fd``, answer on ``answer_fd``, and end. It
    runs at a lower priority, so that on a busy machine the desk's doors come first."""
    os.nice(WORKER_NICENESS)
    with Connection(job_fd, writable=False) as job:
        name, content, site, zone, limits = job.recv()
    _work(Connection(answer_fd, readable=False), name, content, site, zone, limits)


if __name__ == "__main__":  # run by its own name, so that what it sends back unpickles as this module's
    from gatewatch.files import drill_worker

    drill_worker.main(int(sys.argv[1]), int(sys.argv[2]))
