"""Lock outputs that release for a time and lock again by themselves.

Every lock starts locked. ``release(door, seconds)`` unlocks a door until ``seconds`` from now
(a later release while it is open extends it), between ``start`` and ``stop`` only; one thread
locks each door again when its time is up, and ``lock_all`` locks every door at once. Each
change is told to ``changed(door, locked)`` in the order it happened (a change and its telling
are one step).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

logger = logging.getLogger("gatewatch.devices")

Changed = Callable[[str, bool], None]


class Locks:
    def __init__(self, doors: Iterable[str], changed: Changed, *, name: str = "gatewatch-simulated-locks") -> None:
        self._until: dict[str, float | None] = dict.fromkeys(doors)
        """Each door: when its release ends (monotonic), or None while it is locked."""
        self._changed = changed
        self._told = threading.RLock()
        """Held while a change is made and told, so that changes are told in their order."""
        self._condition = threading.Condition()
        self._running = False
        self._name = name
        self._thread: threading.Thread | None = None

    def doors(self) -> frozenset[str]:
        return frozenset(self._until)

    def locked(self, door: str) -> bool:
        with self._condition:
            return self._until[door] is None

    def start(self) -> None:
        """Lock every door, say so for each, and start the thread that locks doors again when
        their time is up."""
        with self._told:
            self.lock_all()
            self._tell(sorted(self._until), locked=True)
        with self._condition:
            if self._running:
                return
            self._running = True
            self._thread = threading.Thread(target=self._relock, name=self._name, daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Lock every door and let the thread end."""
        with self._condition:
            self._running = False
            self._condition.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=2)
        self.lock_all()

    def release(self, door: str, seconds: float) -> None:
        """Unlock ``door`` until ``seconds`` from now (nothing for 0 or less, nor while stopped:
        no lock is left open with nobody to close it)."""
        if seconds <= 0:
            return
        with self._told:
            with self._condition:
                if not self._running:
                    return
                was_locked = self._until[door] is None
                until = time.monotonic() + seconds
                self._until[door] = max(until, self._until[door] or until)
                self._condition.notify_all()
            if was_locked:
                self._tell([door], locked=False)

    def lock_all(self) -> None:
        with self._told:
            with self._condition:
                opened = [door for door, until in self._until.items() if until is not None]
                self._until = dict.fromkeys(self._until)
                self._condition.notify_all()
            self._tell(opened, locked=True)

    def wait(self, door: str, locked: bool, timeout: float | None = None) -> bool:
        """Wait until ``door`` is locked (or unlocked); False if it is not within ``timeout``."""
        with self._condition:
            return self._condition.wait_for(lambda: (self._until[door] is None) == locked, timeout)

    def _relock(self) -> None:
        while True:
            with self._told:
                with self._condition:
                    if not self._running:
                        return
                    now = time.monotonic()
                    due = [door for door, until in self._until.items() if until is not None and until <= now]
                    for door in due:
                        self._until[door] = None
                    if due:
                        self._condition.notify_all()
                self._tell(due, locked=True)
            with self._condition:
                waiting = [until for until in self._until.values() if until is not None]
                now = time.monotonic()
                if self._running and all(until > now for until in waiting):
                    self._condition.wait(min(waiting) - now if waiting else None)

    def _tell(self, doors: list[str], *, locked: bool) -> None:
        for door in sorted(doors):
            try:
                self._changed(door, locked)
            except Exception:  # whoever listens, the lock itself has changed
                logger.exception("simulated locks: telling %s %s failed", door, "locked" if locked else "unlocked")
