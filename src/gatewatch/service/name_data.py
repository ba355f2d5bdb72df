"""The name-data process: rigour's name tagger built and asked in a process of its own.

rigour builds its name tagger (an automaton over its name-equivalence data, about 430 MB) on
first use, in about six seconds during which it holds the interpreter: in the server's own
process every request, the event loop and the doors would wait. So the server starts one child
process at start-up (``spawn``: a fresh interpreter, never a fork of a process with threads)
that builds the tagger with an interpreter of its own, says it is ready, and then answers
batches of name parts with their symbols over a pipe, each part exactly as
``gatewatch.core.name_symbols.looked_up_here`` answers it in the server.

Procedure of ``NameData``:

- ``start`` launches the child (at a lower priority: the server's requests and doors go first
  when the machine is busy) and a keeper thread, and returns at once;
- ``lookup`` (installed with ``name_symbols.install``) waits until the child is ready (at most
  ``wait_within_s``, then refuses), sends the parts (in batches of at most ``BATCH_MOST``) and
  returns the answers; one caller at a time talks on the pipe, and a child that fails or is late
  while answering is given up before the next caller's turn, so that no caller reads another's
  answer;
- the keeper waits for the child to say it is ready (``ready_within_s``); a child that ends, or
  that is not ready in time, is replaced. After ``attempts`` children in a row that never became
  ready, names are looked up in the server's own process instead, with a logged warning of
  what that costs;
- ``stop`` ends the child and the keeper. The child also ends by itself when the server's end of
  the pipe closes (a server killed outright leaves no child behind once the tagger is built).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Mapping, Sequence
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Literal

from gatewatch.core.name_symbols import NOTHING, PartSymbols, looked_up_here

logger = logging.getLogger("gatewatch.names")

READY_WITHIN_S = 120.0
"""How long a child may take to build the tagger and say so (it takes about six seconds)."""
ANSWER_WITHIN_S = 30.0
"""How long a ready child may take to answer one batch (a batch takes milliseconds)."""
ATTEMPTS = 3
"""Children in a row that never become ready before names are looked up in this process."""
BATCH_MOST = 5_000
"""Parts sent in one message."""
PART_CHARS_MOST = 200
"""The longest part sent. A name of at most 200 characters can still give a longer part once
transliterated (``щ`` is written ``shch``); no name in rigour's data is one word that long, so a
longer part is answered as known as nothing, without asking."""
NICENESS = 5
"""How much lower the child's priority is: on a busy machine the server's requests and doors go first."""
WAIT_WITHIN_S = READY_WITHIN_S * ATTEMPTS + 10.0
"""How long a lookup waits for a ready child before it is refused (the keeper gives way to this
process sooner, after ``attempts`` children that were not ready in time)."""
ENDING_S = 5.0
"""How long a terminated (then killed) child is waited for."""
READY = "ready"
COST_HERE = (
    "names are looked up in this process instead: the first name comparison holds the interpreter for "
    "about six seconds (requests, the event loop and the doors wait) and the server grows by about 430 MB"
)

State = Literal["starting", "ready", "here", "stopped"]
Answer = dict[str, tuple[tuple[str, ...], tuple[str, ...]]]
"""What the child sends back: each part's name identities and nickname groups, sorted."""


class NameDataUnavailable(RuntimeError):
    """The name data cannot answer: it has stopped, or its process failed while answering."""


class NameData:
    """rigour's name tagger in a child process, asked for parts' symbols in batches."""

    def __init__(
        self,
        *,
        ready_within_s: float = READY_WITHIN_S,
        answer_within_s: float = ANSWER_WITHIN_S,
        attempts: int = ATTEMPTS,
        wait_within_s: float = WAIT_WITHIN_S,
        context: Literal["spawn", "forkserver"] = "spawn",
    ) -> None:
        if attempts < 1:
            raise ValueError(f"attempts: at least 1, not {attempts}")
        self.ready_within_s = ready_within_s
        self.answer_within_s = answer_within_s
        self.attempts = attempts
        self.wait_within_s = wait_within_s
        self.restarts = 0
        """Children started after the first (one ended, or was not ready in time)."""
        self.ready_once = threading.Event()
        """Set when a child is ready for the first time, or names are looked up here instead."""
        self._context = (
            multiprocessing.get_context("spawn") if context == "spawn" else multiprocessing.get_context("forkserver")
        )
        self._changed = threading.Condition()
        self._asking = threading.Lock()
        self._state: State = "starting"
        self._process: BaseProcess | None = None
        self._pipe: Connection | None = None
        self._keeper: threading.Thread | None = None
        self._stopping = False
        self._waiting = 0

    # --- what others see ---------------------------------------------------------------------

    @property
    def state(self) -> State:
        """``starting`` (a child is building the tagger), ``ready``, ``here`` (in this process) or ``stopped``."""
        return self._state

    @property
    def pid(self) -> int | None:
        """The current child's process id (none before the start, after the stop, or when looking up here)."""
        process = self._process
        return process.pid if process is not None and self._state != "here" else None

    @property
    def waiting(self) -> int:
        """How many lookups are waiting for a child to be ready."""
        return self._waiting

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Wait until lookups are answered at once (a ready child, or this process); False if not in ``timeout``."""
        with self._changed:
            return self._changed.wait_for(lambda: self._state in ("ready", "here", "stopped"), timeout)

    # --- starting and stopping ----------------------------------------------------------------

    def start(self) -> None:
        """Launch the child and the keeper that watches it; return at once."""
        with self._changed:
            if self._keeper is not None:
                raise RuntimeError("the name data is already started")
            self._stopping = False
            self._launch()
            self._keeper = threading.Thread(target=self._keep, name="gatewatch-name-data", daemon=True)
        self._keeper.start()

    def stop(self, timeout: float = ENDING_S) -> None:
        """End the child (asked first, then terminated, then killed) and the keeper; lookups then fail."""
        with self._changed:
            was_ready = self._state == "ready"
            self._stopping = True
            self._state = "stopped"
            process, pipe, keeper = self._process, self._pipe, self._keeper
            self._changed.notify_all()
        if pipe is not None:
            pipe.close()  # a ready child reads the end of the pipe and leaves
        if process is not None:
            _end(process, timeout if was_ready else 0.0)  # a child still building is terminated at once
        if keeper is not None:
            keeper.join(timeout)
        with self._changed:
            self._process, self._pipe, self._keeper = None, None, None

    def _launch(self) -> None:
        """A new child with its own end of a new pipe (called with ``_changed`` held)."""
        ours, theirs = self._context.Pipe(duplex=True)
        process = self._context.Process(target=serve, args=(theirs,), name="gatewatch-name-data", daemon=True)
        process.start()
        theirs.close()  # only the child holds its end: the pipe ends when either side does
        self._process, self._pipe, self._state = process, ours, "starting"

    # --- the keeper --------------------------------------------------------------------------

    def _keep(self) -> None:
        """Wait for each child to be ready, then for it to end; replace it until stopped."""
        failures = 0
        while True:
            with self._changed:
                process, pipe = self._process, self._pipe
            if process is None or pipe is None:
                return
            became_ready = self._await_ready(process, pipe)
            if became_ready:
                failures = 0
                wait([process.sentinel])
            with self._changed:
                if self._stopping:
                    return
                self._state = "starting"
            how = _ended(process, self.ready_within_s)
            _end(process, 1.0)
            pipe.close()
            if not became_ready:
                failures += 1
                logger.warning(
                    "name data: the name-data process was not ready (%s; try %d of %d)", how, failures, self.attempts
                )
                if failures >= self.attempts:
                    self._fall_back()
                    return
            else:
                logger.warning("name data: the name-data process ended (%s): starting another", how)
            with self._changed:
                if self._stopping:
                    return
                self.restarts += 1
                self._launch()

    def _await_ready(self, process: BaseProcess, pipe: Connection) -> bool:
        """Whether the child says it is ready within ``ready_within_s`` (False if it ends first)."""
        deadline = time.monotonic() + self.ready_within_s
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            try:
                found = wait([pipe, process.sentinel], timeout=left)
                if pipe not in found:
                    return False  # not in time, or the child ended
                said = pipe.recv()
            except (EOFError, OSError):  # the pipe closed: the child ended, or the name data stopped
                return False
            if said == READY:
                with self._changed:
                    if self._stopping:
                        return False
                    self._state = "ready"
                    self.ready_once.set()
                    self._changed.notify_all()
                return True

    def _fall_back(self) -> None:
        logger.warning("name data: the name-data process could not start %d times: %s", self.attempts, COST_HERE)
        with self._changed:
            self._state = "here"
            self._process, self._pipe = None, None
            self.ready_once.set()
            self._changed.notify_all()

    # --- asking ------------------------------------------------------------------------------

    def lookup(self, parts: Sequence[str]) -> Mapping[str, PartSymbols]:
        """The parts' symbols, from the child (waiting until it is ready), or from this process after a fall-back."""
        asked = list(dict.fromkeys(parts))
        for part in asked:
            if not isinstance(part, str):
                raise ValueError(f"a name part is a string, not {part!r:.60}")
        found: dict[str, PartSymbols] = {part: NOTHING for part in asked if len(part) > PART_CHARS_MOST}
        asked = [part for part in asked if part not in found]
        for start in range(0, len(asked), BATCH_MOST):
            found.update(self._batch(asked[start : start + BATCH_MOST]))
        return found

    def _batch(self, parts: list[str]) -> dict[str, PartSymbols]:
        """One batch, asked again of the next child if the current one ends while answering."""
        for _ in range(self.attempts + 1):
            pipe = self._when_ready()
            if pipe is None:
                return looked_up_here(parts)
            with self._asking:
                if not self._is_current(pipe):
                    continue  # lost while this caller waited its turn: ask the next child
                try:
                    answer = self._asked(pipe, parts)
                except (EOFError, OSError, NameDataUnavailable) as error:  # a timeout is an OSError too
                    self._lost(pipe, error)  # before the next caller's turn: no one reads a late answer
                    continue
            return {part: _symbols(answer[part]) for part in parts}
        raise NameDataUnavailable(f"the name-data process failed {self.attempts + 1} times while answering")

    def _when_ready(self) -> Connection | None:
        """The pipe to a ready child (waiting for one), or None when names are looked up here."""
        with self._changed:
            self._waiting += 1
            try:
                ready = self._changed.wait_for(lambda: self._state != "starting", self.wait_within_s)
            finally:
                self._waiting -= 1
            if not ready:
                raise NameDataUnavailable(f"the name-data process was not ready in {self.wait_within_s:g} s")
            if self._state == "stopped":
                raise NameDataUnavailable("the name data has stopped")
            return self._pipe if self._state == "ready" else None

    def _is_current(self, pipe: Connection) -> bool:
        """Whether ``pipe`` still leads to the ready child."""
        with self._changed:
            return self._pipe is pipe and self._state == "ready"

    def _asked(self, pipe: Connection, parts: list[str]) -> Answer:
        pipe.send(parts)
        if not pipe.poll(self.answer_within_s):
            raise TimeoutError(f"the name-data process did not answer {len(parts)} parts in {self.answer_within_s} s")
        answer = pipe.recv()
        if not isinstance(answer, dict) or any(part not in answer for part in parts):
            raise NameDataUnavailable("the name-data process answered something other than the parts asked")
        return answer

    def _lost(self, pipe: Connection, error: Exception) -> None:
        """The child ended, or stopped answering, while asked: end it and wait for the keeper's next one."""
        with self._changed:
            if self._pipe is not pipe or self._state != "ready":
                return
            self._state = "starting"
            process = self._process
        logger.warning("name data: the name-data process failed while answering (%r)", error)
        if process is not None and process.is_alive():
            process.terminate()  # the keeper sees it end and starts another


def _symbols(answer: tuple[tuple[str, ...], tuple[str, ...]]) -> PartSymbols:
    names, nicknames = answer
    if not names and not nicknames:
        return NOTHING
    return PartSymbols(frozenset(names), frozenset(nicknames))


def _end(process: BaseProcess, patience: float) -> None:
    """End a child: wait ``patience`` seconds for it to leave, then terminate it, then kill it."""
    process.join(patience)
    if process.exitcode is None:
        process.terminate()
        process.join(ENDING_S)
    if process.exitcode is None:
        process.kill()
        process.join(ENDING_S)


def _ended(process: BaseProcess, waited_s: float) -> str:
    """How a child came to an end, in words (still running: it was not ready in time)."""
    code = process.exitcode
    if code is None:
        return f"not ready after {waited_s:g} s"
    return f"exit code {code}"


# --- in the child ---------------------------------------------------------------------------


def serve(pipe: Connection) -> None:
    """In the child: build the tagger, say ready, then answer each batch until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C at a terminal is the server's to handle
    os.nice(NICENESS)
    looked_up_here(["natalia"])  # builds the tagger
    try:
        pipe.send(READY)
        while True:
            parts = pipe.recv()
            pipe.send(_answer(parts))
    except (EOFError, OSError):
        return  # the server has gone


def _answer(parts: object) -> Answer:
    if not isinstance(parts, list) or len(parts) > BATCH_MOST or not all(isinstance(p, str) for p in parts):
        raise ValueError(f"a batch is a list of at most {BATCH_MOST} name parts")
    return {
        part: (tuple(sorted(symbols.names)), tuple(sorted(symbols.nicknames)))
        for part, symbols in looked_up_here(parts).items()
    }
