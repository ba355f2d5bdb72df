"""Lanes: one controller's work done in the order it came, on a thread of its own.

Paho calls back on its network thread, which must never wait on the desk (a badge may take
the desk's whole deadline). Each message becomes a piece of work put on its controller's lane:
reads, contacts and exits from one controller are told to the desk in the order they happened,
and a slow answer at one controller holds up no other. A lane holds at most ``DEPTH`` pieces:
a controller that floods it loses what does not fit (said in the log), never the driver.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

logger = logging.getLogger("gatewatch.devices.mqtt")

DEPTH = 256
"""Pieces of work waiting on one controller's lane: far more than its readers and doors make."""

Work = Callable[[], None]


class Lane:
    def __init__(self, name: str, depth: int = DEPTH) -> None:
        self.name = name
        self._work: queue.Queue[Work | None] = queue.Queue(maxsize=depth)
        self._thread = threading.Thread(target=self._run, name=f"mqtt-lane-{name}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def put(self, work: Work) -> bool:
        """Queue ``work``; False (and nothing queued) when the lane is full."""
        try:
            self._work.put_nowait(work)
        except queue.Full:
            logger.error("mqtt: controller %s sends more than its lane holds (%d); dropped", self.name, DEPTH)
            return False
        return True

    def stop(self, timeout: float) -> None:
        """Let the work queued so far finish, then end the thread (waiting at most ``timeout``)."""
        if not self._thread.is_alive():
            return
        try:
            self._work.put(None, timeout=timeout)
        except queue.Full:
            logger.error("mqtt: controller %s's lane did not empty in %.0f s", self.name, timeout)
            return
        self._thread.join(timeout)

    def _run(self) -> None:
        while (work := self._work.get()) is not None:
            try:
                work()
            except Exception:  # one bad message must not end the controller's lane
                logger.exception("mqtt: work on controller %s's lane failed", self.name)
