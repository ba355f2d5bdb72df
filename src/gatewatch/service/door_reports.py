"""What the doors report besides badges, kept in order and sent until the record holds it.

Doors opening and closing, exit buttons and devices' health are reported by drivers as they
happen; none of them may wait for the record, and none may be lost because the record could
not take it at that moment (a full disk, a lost database). Each report becomes a ``Report``
with its own event id when it is made, and one thread sends the reports in the order they were
made (an exit button's egress is on the record before the opening it explains). A report the
desk did not confirm is sent again, with the same id, after a pause that doubles from
``RETRY_FIRST_S`` to ``RETRY_MOST_S``: the desk answers a resend of what it already decided
with the first outcome, so nothing is recorded twice.

The queue is bounded (``MAX_REPORTS``). A device's report that repeats the status of that
device's newest report still waiting is already said, and is not queued again. When the queue is
full, a device's report takes the place of that device's newest report not yet sent (its
status is the newest, and its detail names the statuses it stands for), so the last state of
every device is never lost while the process lives; any other report that finds the queue full
is dropped, logged and counted (``lost``).
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

logger = logging.getLogger("gatewatch.doors")

MAX_REPORTS = 10_000
"""Reports waiting for the record; hours of a busy site's doors while the store is down."""
RETRY_FIRST_S = 0.05
RETRY_MOST_S = 2.0
DETAIL_CHARS = 500
"""A device report's detail is cut to this many characters (the record bounds free text)."""


class Sent(Enum):
    """What became of one attempt to send a report."""

    RECORDED = "recorded"
    """The record holds it (or held it already)."""
    AGAIN = "again"
    """Not confirmed (the store cannot write, the desk is busy): send it again later."""
    REFUSED = "refused"
    """The desk will never take it (an unknown door, a refused role): dropped and logged."""


@dataclass(slots=True)
class Report:
    """One event a driver reported, as a client writes it, with its own id and its sender."""

    id: str
    fields: dict[str, Any]
    """The event's fields without its ``id`` (``type`` and the rest)."""
    sender: str
    """The driver that reported it (it submits as ``device:<sender>``)."""
    device: str | None = None
    """For a device's report: the device, so that repeats and merges find it."""
    attempted: bool = False
    """Sent at least once: the desk may hold it under its id, so it is never changed after."""
    merged: list[str] = field(default_factory=list)

    def event(self) -> dict[str, Any]:
        return {"id": self.id, **self.fields}

    @property
    def status(self) -> str | None:
        value = self.fields.get("status")
        return value if isinstance(value, str) else None

    def take_over(self, newer: Report) -> None:
        """Stand for ``newer`` too (a device report not yet sent, when the queue is full)."""
        if self.status is not None:
            self.merged.append(self.status)
        self.fields = dict(newer.fields)
        said = f"{newer.fields.get('detail') or ''}".strip()
        earlier = f"unrecorded before it: {', '.join(self.merged)}"
        self.fields["detail"] = cut(f"{said}; {earlier}" if said else earlier)


def cut(text: str, longest: int = DETAIL_CHARS) -> str:
    return text if len(text) <= longest else f"{text[: longest - 1]}…"


Sender = Callable[[Report], Sent]


class Outbox:
    """Reports in order, sent by one thread until recorded; ``put`` never waits for the record."""

    def __init__(self, send: Sender, max_reports: int = MAX_REPORTS, *, name: str = "gatewatch-door-reports") -> None:
        self._send = send
        self.max_reports = max_reports
        self.lost = 0
        """Reports dropped because the queue was full (each logged)."""
        self._queue: deque[Report] = deque()
        self._sending: Report | None = None
        self._changed = threading.Condition()
        self._closing = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    @property
    def pending(self) -> int:
        with self._changed:
            return len(self._queue)

    def put(self, report: Report) -> bool:
        """Queue a report (or let a waiting one stand for it); False if it had to be dropped."""
        with self._changed:
            if self._closing:
                logger.error("doors: a report came after the doors closed and was not sent: %s", report.fields)
                return False
            newest = self._newest_of(report.device)
            if newest is not None and newest.status == report.status:
                return True  # that device's status is already on its way to the record
            if len(self._queue) >= self.max_reports:
                return self._when_full(report, newest)
            self._queue.append(report)
            self._changed.notify_all()
            return True

    def _newest_of(self, device: str | None) -> Report | None:
        if device is None:
            return None
        return next((r for r in reversed(self._queue) if r.device == device), None)

    def _when_full(self, report: Report, newest: Report | None) -> bool:
        if newest is not None and not newest.attempted and newest is not self._sending:
            newest.take_over(report)
            return True
        self.lost += 1
        logger.error(
            "doors: %d reports wait for the record; this one is dropped: %s (%d dropped so far)",
            len(self._queue),
            report.fields,
            self.lost,
        )
        return False

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every report queued so far is recorded or refused; False if not in ``timeout``."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._queue, timeout)

    def close(self, timeout: float = 5.0) -> bool:
        """Try to send what waits for up to ``timeout``, then stop; False if reports were left unsent."""
        sent = self.flush(timeout)
        with self._changed:
            self._closing = True
            left = len(self._queue)
            self._changed.notify_all()
        self._thread.join(timeout=RETRY_MOST_S + 1)
        if left:
            logger.error("doors: %d reports were never recorded (the record could not take them)", left)
        return sent

    def _run(self) -> None:
        pause = RETRY_FIRST_S
        while True:
            with self._changed:
                self._changed.wait_for(lambda: bool(self._queue) or self._closing)
                if self._closing:
                    return
                report = self._sending = self._queue[0]
            verdict = self._attempt(report)
            with self._changed:
                self._sending = None
                if verdict is Sent.AGAIN:
                    self._changed.wait(pause)  # a close wakes it at once
                    pause = min(pause * 2, RETRY_MOST_S)
                    continue
                pause = RETRY_FIRST_S
                self._queue.popleft()
                self._changed.notify_all()

    def _attempt(self, report: Report) -> Sent:
        report.attempted = True
        try:
            return self._send(report)
        except Exception:  # a sender's own failure: the report is kept and tried again
            logger.exception("doors: sending report %s failed", report.id)
            return Sent.AGAIN
