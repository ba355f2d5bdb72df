"""Calls on the desk made for the driver, off libosdp's thread: badges within a deadline, and
device statuses in the order they happened."""

from __future__ import annotations

import logging
import queue
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FuturesTimeout

from gatewatch.devices.base import Answer, DeviceStatus, DoorDesk

log = logging.getLogger(__name__)

STATUSES_WAITING_MOST = 1_024
"""Status changes waiting for the desk: more means the desk has stopped taking them, and the
newest are dropped (and logged) rather than held without bound."""


class Badges:
    """Asks the desk about badges, each answered within ``deadline_s`` or not at all.

    A call still running at its deadline is left to finish on its own thread (the desk records
    what it decided); its answer is never used, so a late grant never opens a door.
    """

    def __init__(self, desk: DoorDesk, deadline_s: float, threads: int) -> None:
        self.desk = desk
        self.deadline_s = deadline_s
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="osdp-desk")

    def ask(self, reader: str, credential: str, pin: str | None) -> Answer | None:
        """The desk's answer, or None when it raised or did not answer in time."""
        future = self.pool.submit(self.desk.badge, reader, credential, pin)
        try:
            return future.result(timeout=self.deadline_s)
        except FuturesTimeout:
            future.cancel()
            log.warning("osdp: %s: no answer from the desk within %g s: denied", reader, self.deadline_s)
        except Exception:
            log.exception("osdp: %s: the desk failed on a badge: denied", reader)
        return None

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


class StatusReporter:
    """Tells the desk of device statuses, one at a time, in order, from a thread of its own."""

    _STOP = ("", DeviceStatus.ONLINE, "")

    def __init__(self, desk: DoorDesk) -> None:
        self.desk = desk
        self.waiting: queue.Queue[tuple[str, DeviceStatus, str]] = queue.Queue(maxsize=STATUSES_WAITING_MOST)
        self.thread = threading.Thread(target=self._run, name="osdp-status", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def report(self, device: str, status: DeviceStatus, detail: str) -> None:
        """Queue a status change; returns at once."""
        log.info("osdp: %s: %s %s", device, status.value, detail)
        try:
            self.waiting.put_nowait((device, status, detail))
        except queue.Full:
            log.error("osdp: %s: status %s dropped: the desk is not taking statuses", device, status.value)

    def stop(self, wait_s: float = 2.0) -> None:
        try:
            self.waiting.put(self._STOP, timeout=wait_s)
        except queue.Full:
            return
        self.thread.join(timeout=wait_s)

    def _run(self) -> None:
        while True:
            item = self.waiting.get()
            if item is self._STOP:
                return
            device, status, detail = item
            try:
                self.desk.device_status(device, status, detail)
            except Exception:
                log.exception("osdp: %s: the desk failed on status %s", device, status.value)
