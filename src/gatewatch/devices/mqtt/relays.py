"""The reference controller's lock relays: locked unless released, and locked again on time.

Every lock starts locked. ``release(door, s)`` opens it for ``s`` seconds (a later release
can only lengthen the time, never shorten it); one thread locks each door again when its time
is up. ``lock`` and ``lock_all`` lock at once. ``changed(door, locked)`` is told every change
(under the relays' lock, so changes are told in order; it must not block).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

Changed = Callable[[str, bool], None]


class Relays:
    def __init__(self, doors: Iterable[str], changed: Changed, clock: Callable[[], float] = time.monotonic) -> None:
        self._until: dict[str, float | None] = dict.fromkeys(doors)
        """When each door locks again; None while it is locked."""
        self._changed = changed
        self._clock = clock
        self._turn = threading.Condition()
        self._stopped = False
        self._thread = threading.Thread(target=self._relock, name="relays", daemon=True)

    def start(self) -> None:
        """Tell every door locked, then begin keeping time."""
        with self._turn:
            for door in self._until:
                self._changed(door, True)
        self._thread.start()

    def release(self, door: str, seconds: float) -> None:
        with self._turn:
            until = self._clock() + seconds
            was = self._until[door]
            self._until[door] = until if was is None else max(was, until)
            if was is None:
                self._changed(door, False)
            self._turn.notify()

    def lock(self, door: str) -> None:
        with self._turn:
            if self._until[door] is not None:
                self._until[door] = None
                self._changed(door, True)

    def lock_all(self) -> None:
        with self._turn:
            for door in self._until:
                self.lock(door)

    def locked(self) -> dict[str, bool]:
        with self._turn:
            return {door: until is None for door, until in self._until.items()}

    def stop(self) -> None:
        """Lock every door and stop keeping time."""
        with self._turn:
            self.lock_all()
            self._stopped = True
            self._turn.notify()
        if self._thread.is_alive():
            self._thread.join()

    def _relock(self) -> None:
        with self._turn:
            while not self._stopped:
                now = self._clock()
                for door, until in self._until.items():
                    if until is not None and until <= now:
                        self._until[door] = None
                        self._changed(door, True)
                pending = [until for until in self._until.values() if until is not None]
                self._turn.wait(min(pending) - now if pending else None)
