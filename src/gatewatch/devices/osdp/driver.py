"""The OSDP driver: gatewatch as the control panel of OSDP readers (IEC 60839-11-5), via libosdp.

Threads, so that nothing waits on what it must not:

- one **bus** thread per line runs libosdp's refresh loop (``bus.Bus``); it hands card reads
  and keys to the input queue and status changes to the reporter, and never waits on either;
- the **input** thread turns reads and keys into presentations (``keypad.Keypad``: a card, a
  card and its PIN, a PIN credential), prompts for PINs, and hands each presentation to
- an **answer** thread, which asks the desk (within ``deadline_s``, ``reporter.Badges``) and
  then signals the reader and pulses the door's lock: green and one short beep and the lock
  released for ``unlock_s`` for a recorded grant (a duress grant is the same in every way),
  red and two long beeps otherwise (``signals``);
- the **status** thread tells the desk of readers going offline, online, tampered, faulty.

Failing secure: a lock output's permanent state is off (locked), set again whenever its reader
comes online and at a stop; a grant only ever pulses it, timed by the reader itself. A desk
that raises, stalls past ``deadline_s`` or answers for another door, a read from a reader
without a secure channel, an unreadable card: each is a denial, and the lock stays locked.
One presentation per reader is decided at a time; a read while one is being decided is
dropped (the person presents again).
"""

from __future__ import annotations

import contextlib
import logging
import math
import queue
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

from gatewatch.devices.base import Answer, Command, DeviceStatus, DoorDesk, LockAll, Unlock
from gatewatch.devices.osdp import signals
from gatewatch.devices.osdp.bus import Bus, CardEvent, KeysEvent, ReaderEvent
from gatewatch.devices.osdp.cards import credential_of
from gatewatch.devices.osdp.config import OsdpReaderConfig, line_key
from gatewatch.devices.osdp.fields import OsdpConfigError, hint
from gatewatch.devices.osdp.keypad import Keypad, Outcome, Presented, Refused, Waiting
from gatewatch.devices.osdp.links import link_for
from gatewatch.devices.osdp.reporter import Badges, StatusReporter
from gatewatch.devices.osdp.signals import OsdpCommand

log = logging.getLogger(__name__)

DEADLINE_S = 3.0
"""How long a badge waits for the desk (which answers within its own 2 s) before it is denied."""

ONLINE_GRACE_S = 10.0
"""How long after the start a reader may take to come online before it is reported."""

RECONNECT_S = 10.0
"""How often the session with a reader that is not online is started again."""

READS_WAITING_MOST = 256
"""Reads and keys waiting for the input thread; past this they are dropped (and logged)."""

INPUT_TICK_S = 0.5

THREADS_MOST = 256
"""Badges decided at once (one per reader at most); threads are made only as badges need them."""


class OsdpDriver:
    """The ``osdp`` driver for the readers configured (``config.osdp_readers``) at their doors."""

    name = "osdp"

    def __init__(
        self,
        readers: Sequence[OsdpReaderConfig],
        doors: Mapping[str, str],
        *,
        deadline_s: float = DEADLINE_S,
        online_grace_s: float = ONLINE_GRACE_S,
        reconnect_s: float = RECONNECT_S,
    ) -> None:
        """``doors`` maps the site file's reader ids to their doors (``readers: [{id, door, side}]``)."""
        for reader in readers:
            if reader.id not in doors:
                raise OsdpConfigError(reader.id, "id", f"is not a reader in the site file{hint(reader.id, doors)}")
        self.readers = {reader.id: reader for reader in readers}
        self.door_of = {reader.id: doors[reader.id] for reader in readers}
        self.locks = _locks_by_door(readers, self.door_of)
        self.deadline_s = deadline_s
        self.online_grace_s = online_grace_s
        self.reconnect_s = reconnect_s
        self.buses: dict[str, Bus] = {}
        self.keypads = {reader.id: Keypad(reader.pin_wait_s, reader.keypad_prefix) for reader in readers}
        self.inbox: queue.Queue[ReaderEvent | None] = queue.Queue(maxsize=READS_WAITING_MOST)
        self.deciding: set[str] = set()
        self.guard = threading.Lock()
        self.closing = False
        self.stopping = threading.Event()
        self.input_thread: threading.Thread | None = None
        self.badges: Badges | None = None
        self.answers: ThreadPoolExecutor | None = None
        self.reporter: StatusReporter | None = None
        for door in sorted(set(self.door_of.values()) - set(self.locks)):
            log.info("osdp: no reader at door %s has a lock_output: its lock is another driver's", door)

    def doors(self) -> frozenset[str]:
        """The doors whose lock this driver works (a reader at them drives a lock output)."""
        return frozenset(self.locks)

    def devices(self) -> frozenset[str]:
        return frozenset(self.readers)

    # --- start and stop --------------------------------------------------------------------

    def start(self, desk: DoorDesk) -> None:
        threads = max(2, min(THREADS_MOST, len(self.readers)))
        self.badges = Badges(desk, self.deadline_s, threads)
        self.answers = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="osdp-answer")
        self.reporter = StatusReporter(desk)
        self.reporter.start()
        for group in _by_line(self.readers.values()):
            bus = Bus(
                group,
                link_for(group[0].channel),
                self,
                online_grace_s=self.online_grace_s,
                reconnect_s=self.reconnect_s,
            )
            for reader in group:
                self.buses[reader.id] = bus
        self.input_thread = threading.Thread(target=self._take_input, name="osdp-input", daemon=True)
        self.input_thread.start()
        for bus in self._each_bus():
            bus.start()

    def stop(self) -> None:
        with self.guard:
            self.closing = True
        self.stopping.set()
        with contextlib.suppress(queue.Full):
            self.inbox.put_nowait(None)
        if self.input_thread is not None:
            self.input_thread.join(timeout=5)
        for bus in self._each_bus():
            last = [(reader, signals.lock(output)) for reader, output in self._locks_on(bus)]
            bus.stop(last)
        if self.answers is not None:
            self.answers.shutdown(wait=False, cancel_futures=True)
        if self.badges is not None:
            self.badges.close()
        if self.reporter is not None:
            self.reporter.stop()

    def _each_bus(self) -> list[Bus]:
        return list({id(bus): bus for bus in self.buses.values()}.values())

    def _locks_on(self, bus: Bus) -> list[tuple[str, int]]:
        return [pair for pairs in self.locks.values() for pair in pairs if self.buses.get(pair[0]) is bus]

    # --- what the desk asks ----------------------------------------------------------------

    def command(self, command: Command) -> None:
        try:
            if isinstance(command, Unlock):
                if command.door not in self.locks:
                    log.warning("osdp: cannot unlock door %s: none of its readers here drives a lock", command.door)
                self._open(command.door, command.seconds)
            elif isinstance(command, LockAll):
                for pairs in self.locks.values():
                    for reader, output in pairs:
                        self._send(reader, (signals.lock(output),))
        except Exception:
            log.exception("osdp: command %r failed", command)

    # --- what the buses hear (BusSink: called on a bus's thread, returns at once) ----------

    def event(self, event: ReaderEvent) -> None:
        try:
            self.inbox.put_nowait(event)
        except queue.Full:
            log.error("osdp: %s: read dropped: %d reads are waiting", event.reader, READS_WAITING_MOST)

    def status(self, reader: str, status: DeviceStatus, detail: str) -> None:
        if self.reporter is not None:
            self.reporter.report(reader, status, detail)

    # --- the input thread ------------------------------------------------------------------

    def _take_input(self) -> None:
        while not self.stopping.is_set():
            try:
                event = self.inbox.get(timeout=self._wait())
            except queue.Empty:
                event = None
            now = time.monotonic()
            try:
                if event is not None:
                    self._take(event, now)
                for reader, keypad in self.keypads.items():
                    outcome = keypad.expire(now)
                    if outcome is not None:
                        self._act(reader, outcome, now)
            except Exception:
                log.exception("osdp: input failed on %r", event)

    def _wait(self) -> float:
        deadlines = [due for due in (keypad.deadline() for keypad in self.keypads.values()) if due is not None]
        if not deadlines:
            return INPUT_TICK_S
        return max(0.0, min(INPUT_TICK_S, min(deadlines) - time.monotonic()))

    def _take(self, event: ReaderEvent, now: float) -> None:
        reader = self.readers[event.reader]
        if not event.secure:
            log.warning("osdp: %s: read refused: the reader has no secure channel", reader.id)
            self._send(reader.id, signals.denied())
            return
        keypad = self.keypads[reader.id]
        if isinstance(event, CardEvent):
            credential = credential_of(event.read, reader.card_number, reader.card_prefix)
            if credential is None:
                log.warning("osdp: %s: unreadable card (%d bits) as %s", reader.id, event.read.bits, reader.card_number)
                self._send(reader.id, signals.denied())
                return
            self._act(reader.id, keypad.present_card(credential, now), now)
        elif isinstance(event, KeysEvent):
            outcomes = keypad.press(event.keys, now)
            for n, outcome in enumerate(outcomes):
                if isinstance(outcome, Waiting) and n + 1 < len(outcomes):
                    continue  # a later key of the same read follows: prompt once, not per key
                self._act(reader.id, outcome, now)

    def _act(self, reader: str, outcome: Outcome, now: float) -> None:
        if isinstance(outcome, Waiting):
            self._send(reader, signals.prompt(outcome.until - now))
        elif isinstance(outcome, Refused):
            log.info("osdp: %s: entry refused: %s", reader, outcome.why)
            self._send(reader, signals.denied())
        else:
            self._decide(reader, outcome)

    def _decide(self, reader: str, presented: Presented) -> None:
        with self.guard:
            if reader in self.deciding or self.answers is None or self.closing:
                log.warning("osdp: %s: read dropped: the last one is still being decided", reader)
                return
            self.deciding.add(reader)
        self.answers.submit(self._answer, reader, presented)

    # --- an answer thread ------------------------------------------------------------------

    def _answer(self, reader: str, presented: Presented) -> None:
        try:
            assert self.badges is not None
            answer = self.badges.ask(reader, presented.credential, presented.pin)
            door = self.door_of[reader]
            if _opens(answer, door):
                assert answer is not None
                self._open(door, answer.unlock_s)
                self._send(reader, signals.granted(answer.unlock_s))
            else:
                if answer is not None and answer.door != door:
                    log.error("osdp: %s: the desk answered for door %s, not %s: denied", reader, answer.door, door)
                self._send(reader, signals.denied())
        except Exception:
            log.exception("osdp: %s: answering failed", reader)
        finally:
            with self.guard:
                self.deciding.discard(reader)

    def _open(self, door: str, seconds: float) -> None:
        if not math.isfinite(seconds) or seconds <= 0 or door not in self.locks:
            return  # nothing to pulse: another driver works this door's lock
        if seconds > signals.LONGEST_S:
            log.warning(
                "osdp: door %s: unlock cut from %g s to %g s (libosdp's longest timer)",
                door,
                seconds,
                signals.LONGEST_S,
            )
        with self.guard:
            if self.closing:
                return
            for reader, output in self.locks.get(door, ()):
                self._send(reader, (signals.pulse(output, seconds),))

    def _send(self, reader: str, commands: Sequence[OsdpCommand]) -> None:
        bus = self.buses.get(reader)
        if bus is None or not bus.submit(reader, commands):
            log.info("osdp: %s: not online: %d command(s) not sent", reader, len(commands))


def _opens(answer: Answer | None, door: str) -> bool:
    return answer is not None and answer.granted and answer.recorded and answer.door == door


def _locks_by_door(
    readers: Sequence[OsdpReaderConfig], door_of: Mapping[str, str]
) -> dict[str, tuple[tuple[str, int], ...]]:
    """Each door's lock outputs: (reader, output) for every reader at it that drives one."""
    locks: dict[str, list[tuple[str, int]]] = {}
    for reader in readers:
        if reader.lock_output is not None:
            locks.setdefault(door_of[reader.id], []).append((reader.id, reader.lock_output))
    return {door: tuple(pairs) for door, pairs in locks.items()}


def _by_line(readers: Iterable[OsdpReaderConfig]) -> list[list[OsdpReaderConfig]]:
    """The readers grouped by the line they share (one control panel per line)."""
    groups: dict[tuple[str, str], list[OsdpReaderConfig]] = {}
    for reader in readers:
        groups.setdefault(line_key(reader.channel), []).append(reader)
    return list(groups.values())
