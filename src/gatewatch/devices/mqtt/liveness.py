"""Which controllers are heard from: each change reported once, offline and back online.

A controller is online while its heartbeats (or its retained ``online`` status) keep coming;
it is offline when its last will says so, or when nothing has come from it for
``heartbeat_s``. A controller not heard from since the driver started is offline after
``heartbeat_s`` too. Reports go out in the order of the changes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

from gatewatch.devices.base import DeviceStatus

Report = Callable[[str, DeviceStatus, str], None]
"""Told ``(controller, status, detail)`` for each change, in order, under the liveness lock
(it must not block: it queues the report)."""


class Liveness:
    def __init__(
        self,
        controllers: Iterable[str],
        heartbeat_s: float,
        report: Report,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.heartbeat_s = heartbeat_s
        self._report = report
        self._clock = clock
        self._lock = threading.Lock()
        now = clock()
        self._heard: dict[str, float | None] = dict.fromkeys(controllers, now)
        """When each was last heard from; None once reported offline by its last will."""
        self._status: dict[str, DeviceStatus | None] = dict.fromkeys(self._heard)

    def heard(self, controller: str) -> None:
        """A heartbeat or an ``online`` status."""
        with self._lock:
            self._heard[controller] = self._clock()
            self._change(controller, DeviceStatus.ONLINE, "")

    def gone(self, controller: str, detail: str) -> None:
        """Its last will (or its own ``offline``)."""
        with self._lock:
            self._heard[controller] = None
            self._change(controller, DeviceStatus.OFFLINE, detail)

    def check(self, why: str = "") -> None:
        """Report offline each controller not heard from for ``heartbeat_s``."""
        with self._lock:
            now = self._clock()
            for controller, heard in self._heard.items():
                if heard is not None and now - heard > self.heartbeat_s:
                    detail = f"no heartbeat for {self.heartbeat_s:g} s{why}"
                    self._change(controller, DeviceStatus.OFFLINE, detail)

    def status(self, controller: str) -> DeviceStatus | None:
        with self._lock:
            return self._status[controller]

    def _change(self, controller: str, status: DeviceStatus, detail: str) -> None:
        if self._status[controller] != status:
            self._status[controller] = status
            self._report(controller, status, detail)
