"""How failed passwords slow further attempts, without letting anyone lock the desk out.

Three limits, each a progressive delay counted over ``WINDOW`` (never a hard lock):

- **By name** (sign-ins): the first ``FREE_FAILURES`` failures for one name from one address cost
  nothing; then the next attempt for that name from that address must wait ``NAME_FIRST_DELAY``
  after the last failure, doubling with each further failure, up to ``WINDOW``. Counted from the
  record, so it holds across restarts: this is what stops a brute force on one name, and
  guesses from another address never keep the guard out at the desk.
- **By client** (sign-ins): after ``CLIENT_FREE_FAILURES`` failures from one address (a spray over
  many names), each attempt from it waits a delay that doubles from one second but never exceeds
  ``CLIENT_LONGEST_DELAY``: a lead signing in at the same desk waits seconds, not a quarter hour.
- **Approvals** (an override's lead signing with a password): a ledger of their own, in memory,
  per approver and per submitter (the signed-in user asking, else the client address). Sign-in
  failures never count here, so an attacker's failures at the desk's address cannot stop a lead's
  correct approval; a guard guessing a lead's password through overrides is slowed after
  ``APPROVAL_FREE_FAILURES`` failures, up to ``APPROVAL_LONGEST_DELAY``.

An attempt refused by a delay is not a password check: it is logged, not counted, so that
hammering a closed door does not keep it closed longer.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

WINDOW = timedelta(minutes=15)
FREE_FAILURES = 5
NAME_FIRST_DELAY = timedelta(seconds=30)
CLIENT_FREE_FAILURES = 20
CLIENT_FIRST_DELAY = timedelta(seconds=1)
CLIENT_LONGEST_DELAY = timedelta(seconds=10)
APPROVAL_FREE_FAILURES = 5
APPROVAL_FIRST_DELAY = timedelta(seconds=2)
APPROVAL_LONGEST_DELAY = timedelta(seconds=60)
LEDGER_SIZE = 10_000


@dataclass(frozen=True, slots=True)
class Limit:
    """After ``free`` failures, wait ``first``, doubling with each failure, up to ``longest``."""

    free: int
    first: timedelta
    longest: timedelta

    def delay(self, failures: int) -> timedelta:
        if failures < self.free:
            return timedelta(0)
        doubled: timedelta = self.first * 2 ** min(failures - self.free, 30)
        return min(doubled, self.longest)

    def wait(self, failures: int, last_failure: datetime | None, now: datetime) -> int:
        """Whole seconds still to wait before the next attempt (0: it may be tried now)."""
        if last_failure is None:
            return 0
        left = last_failure + self.delay(failures) - now
        return max(0, int(-(-left.total_seconds() // 1)))


BY_NAME = Limit(FREE_FAILURES, NAME_FIRST_DELAY, WINDOW)
BY_CLIENT = Limit(CLIENT_FREE_FAILURES, CLIENT_FIRST_DELAY, CLIENT_LONGEST_DELAY)
APPROVALS = Limit(APPROVAL_FREE_FAILURES, APPROVAL_FIRST_DELAY, APPROVAL_LONGEST_DELAY)


class ApprovalLedger:
    """Failed approval signatures in the last ``WINDOW``, per (approver, submitter); thread-safe."""

    def __init__(self, limit: Limit = APPROVALS, size: int = LEDGER_SIZE) -> None:
        self.limit = limit
        self.size = size
        self._failures: dict[tuple[str, str], list[datetime]] = {}
        self._lock = threading.Lock()

    def wait(self, approver: str, submitter: str, now: datetime) -> int:
        """Seconds this submitter must wait before signing for this approver again."""
        with self._lock:
            recent = self._recent((approver, submitter), now)
        return self.limit.wait(len(recent), recent[-1] if recent else None, now)

    def failed(self, approver: str, submitter: str, now: datetime) -> None:
        with self._lock:
            key = (approver, submitter)
            self._failures[key] = [*self._recent(key, now), now]
            while len(self._failures) > self.size:
                del self._failures[next(iter(self._failures))]

    def _recent(self, key: tuple[str, str], now: datetime) -> list[datetime]:
        kept = [at for at in self._failures.get(key, ()) if at > now - WINDOW]
        if not kept:
            self._failures.pop(key, None)
        return kept
