"""The desk's side of the doors: what door drivers tell the desk, and what the desk tells them.

``Doors`` is the ``DoorDesk`` every driver calls (``gatewatch.devices.base``). What a driver says
becomes an event submitted through the same path as every other client's
(``service.intake.submit``), as the actor ``device:<driver>`` with the device role, each event
with an id of its own:

- ``badge``: a card or PIN at a reader is decided and recorded before it is answered. It fails
  secure: an error of any kind, or no answer within the deadline (``DEADLINE_S``), answers
  ``Answer.refused`` and the lock stays locked; the reader's ``fault`` is then reported (below).
- ``contact``, ``exit_pressed``, ``device_status``: ``open``/``close``, ``exit`` and ``device``
  events, queued in order and sent until the record holds them (``door_reports``): no door
  waits for the record, and nothing is lost while the process lives.
- ``lock_state``: kept in memory for the Board (``doors_status``).

The desk tells the drivers, through its listeners: a guard's grant at the console (a granted
``request``, an approved ``override``) at a door a driver works unlocks that door for the
policy's ``unlock_s`` (a badge's grant is answered directly, never unlocked twice); a lockdown
locks every door of every driver, as soon as it is decided (even before it is on disk).

No grant opens a lock after its holder was told no: a console grant recorded after its guard
was answered "not recorded" (``Decided.answered``) opens nothing, a grant's unlock is sent
before a lockdown decided after it, and an entry badge granted just before a lockdown is
answered no (and voided on the record).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime, tzinfo
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from gatewatch.core.errors import InvalidInput
from gatewatch.devices.base import Answer, Command, DeviceStatus, Driver, LockAll, Unlock
from gatewatch.service.desk import Decided, Desk, NotRecorded, OutOfOrder
from gatewatch.service.door_board import DoorStatus, doors_status
from gatewatch.service.door_reports import MAX_REPORTS, Outbox, Report, Sent, cut
from gatewatch.service.intake import submit
from gatewatch.service.permissions import Actor, Refused, UserRole
from gatewatch.store.log import IdConflict

logger = logging.getLogger("gatewatch.doors")

DEADLINE_S = 1.5
"""How long a reader waits for the desk's answer to a badge before it shows a refusal."""
BADGE_WORKERS = 8
"""Badges decided at once; more wait their turn, and those that wait past the deadline are refused."""
SHARED = "doors"
"""The sender named for a report no driver claims (a device or door no driver says it works)."""
CONSOLE_GRANTS = frozenset({"request", "override"})
NEVER_TAKEN = (InvalidInput, Refused, IdConflict, OutOfOrder)
"""What the desk will refuse again however often a report is sent."""


def device_actor(driver: str) -> Actor:
    """How a driver (or the door ticker) submits: a device, acting for no person."""
    return Actor(name=f"device:{driver}", role=UserRole.DEVICE, person=None)


class BadgeTooLate(TimeoutError):
    """The desk did not answer a badge within the reader's deadline."""


class Doors:
    """The ``DoorDesk`` over the desk, and the drivers' commands from it. Build it before the
    drivers start (it listens to the desk at once); ``close`` it after they stopped."""

    def __init__(
        self,
        desk: Desk,
        zone: tzinfo,
        drivers: Sequence[Driver] = (),
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        deadline_s: float = DEADLINE_S,
        max_reports: int = MAX_REPORTS,
    ) -> None:
        self.desk = desk
        self.site = desk.site
        self.zone = zone
        self.clock = clock
        self.deadline_s = deadline_s
        self.drivers = tuple(drivers)
        self._driver_of = {door: driver for driver in self.drivers for door in driver.doors()}
        self._sender_of = {device: driver.name for driver in self.drivers for device in driver.devices()}
        self._locks: dict[str, bool] = {}
        self._lockdown: str | None = None
        self._guard = threading.Lock()
        self._badges = ThreadPoolExecutor(BADGE_WORKERS, thread_name_prefix="gatewatch-door-badge")
        self._commands = ThreadPoolExecutor(1, thread_name_prefix="gatewatch-door-commands")
        self.reports = Outbox(self._send, max_reports)
        desk.listeners.append(self._heard)
        desk.unrecorded.append(self._heard_unrecorded)

    # --- what drivers tell the desk ------------------------------------------------------------

    def badge(self, reader: str, credential: str, pin: str | None = None) -> Answer:
        """Decided, recorded, then answered; any failure or a deadline passed answers refused."""
        door = self._door_of_reader(reader)
        sender = self._sender(reader=reader)
        badge_id = _new_id(sender)

        def void() -> None:  # the desk decided it after all: the grant of a door kept shut is void
            if door:
                self._queue(Report(_new_id(sender), {"type": "unanswered", "badge": badge_id, "door": door}, sender))

        try:
            fields: dict[str, Any] = {"type": "badge", "reader": reader, "credential": credential}
            if pin:
                fields["pin"] = pin
            decided = self._decide_in_time(Report(badge_id, fields, sender), void)
        except Exception as error:
            problem = str(error).replace(pin, "****") if pin else str(error)
            if not isinstance(error, BadgeTooLate):  # a late one is voided once its decision is made
                void()
            self._report_device(reader, DeviceStatus.FAULT, f"a badge was refused unanswered: {problem}")
            logger.warning("doors: a badge at %s was refused (fail secure): %s", reader, problem)
            return Answer.refused(door)
        if decided.outcome.get("decision") != "grant" or not decided.recorded:
            return Answer(door=door, granted=False, unlock_s=0.0, recorded=decided.recorded)
        if self._locked_down_since(reader):
            void()
            logger.warning("doors: a badge at %s granted just before the lockdown is answered no", reader)
            return Answer(door=door, granted=False, unlock_s=0.0, recorded=True)
        self._unlock_elsewhere(reader, door)
        return Answer(door=door, granted=True, unlock_s=float(self.site.policy.unlock_s), recorded=True)

    def _locked_down_since(self, reader: str) -> bool:
        """An entry granted, and the site in lockdown now: the lockdown came after the grant (it
        denies entries), and has locked every door; the grant opens nothing."""
        found = self.site.readers.get(reader)
        return found is not None and found.inward and self.desk.state.lockdown is not None

    def _unlock_elsewhere(self, reader: str, door: str) -> None:
        """A reader on one driver at a door whose lock another driver works (an OSDP reader wired
        to a controller's relay): that driver opens the lock."""
        lock = self._driver_of.get(door)
        if lock is not None and reader not in lock.devices():
            self._commands.submit(_command, lock, Unlock(door, float(self.site.policy.unlock_s)))

    def contact(self, door: str, is_open: bool) -> None:
        self._queue(Report(_new_id(sender := self._sender(door=door)), _door_event(is_open, door), sender))

    def exit_pressed(self, door: str) -> None:
        self._queue(Report(_new_id(sender := self._sender(door=door)), {"type": "exit", "door": door}, sender))

    def lock_state(self, door: str, locked: bool) -> None:
        with self._guard:
            self._locks[door] = locked

    def device_status(self, device: str, status: DeviceStatus, detail: str = "") -> None:
        self._report_device(device, status, detail)

    # --- the Board ---------------------------------------------------------------------------

    def doors_status(self) -> tuple[DoorStatus, ...]:
        """Every door: its lock, its readers' last status, open or held, and its driver."""
        with self._guard:
            locks = dict(self._locks)
        drivers = {door: driver.name for door, driver in self._driver_of.items()}
        return doors_status(self.desk.state, locks, drivers)

    # --- lifetime ----------------------------------------------------------------------------

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every report made so far is recorded (or refused); False if not in ``timeout``."""
        return self.reports.flush(timeout)

    def close(self, timeout: float = 5.0) -> None:
        """Stop listening to the desk, send what waits for up to ``timeout``, and let the threads end."""
        for listeners, listener in ((self.desk.listeners, self._heard), (self.desk.unrecorded, self._heard_unrecorded)):
            if listener in listeners:
                listeners.remove(listener)
        self.reports.close(timeout)
        self._badges.shutdown(wait=False, cancel_futures=True)
        self._commands.shutdown(wait=True)

    # --- badges ------------------------------------------------------------------------------

    def _decide_in_time(self, report: Report, void: Callable[[], None]) -> Decided:
        """The decision within the deadline, or ``BadgeTooLate``; a badge still being decided
        when the reader gives up is voided (``void``) only once its decision is made, so that the
        void always follows it on the record."""
        until = time.monotonic() + self.deadline_s
        future: Future[Decided] = self._badges.submit(self._submit_before, report, until)
        try:
            return future.result(timeout=max(until - time.monotonic(), 0.0))
        except TimeoutError:
            if not future.cancel():  # one not yet started never is: a late badge is never decided
                future.add_done_callback(lambda _: void())
            raise BadgeTooLate(f"the desk did not answer within {self.deadline_s:g} s") from None

    def _submit_before(self, report: Report, until: float) -> Decided:
        if time.monotonic() >= until:
            raise BadgeTooLate("it waited for a free worker past the deadline")
        return submit(self.desk, self.zone, device_actor(report.sender), report.event(), self.clock())

    def _door_of_reader(self, reader: str) -> str:
        found = self.site.readers.get(reader)
        return found.door if found is not None else ""

    # --- reports -----------------------------------------------------------------------------

    def _report_device(self, device: str, status: DeviceStatus, detail: str) -> None:
        fields: dict[str, Any] = {"type": "device", "device": device, "status": str(status)}
        if detail:
            fields["detail"] = cut(detail)
        sender = self._sender(reader=device) if device in self.site.readers else self._sender(device=device)
        self._queue(Report(_new_id(sender), fields, sender, device=device))

    def _queue(self, report: Report) -> None:
        try:
            self.reports.put(report)
        except Exception:  # a driver's call never raises
            logger.exception("doors: could not queue %s", report.fields)

    def _send(self, report: Report) -> Sent:
        try:
            submit(self.desk, self.zone, device_actor(report.sender), report.event(), self.clock())
        except (NotRecorded, SQLAlchemyError, OSError) as error:
            logger.info("doors: report %s not recorded yet: %s", report.id, error)
            return Sent.AGAIN
        except NEVER_TAKEN as error:
            logger.error("doors: the desk refused report %s %s: %s", report.id, report.fields, error)
            return Sent.REFUSED
        except Exception:
            logger.exception("doors: the desk failed on report %s %s; it is not sent again", report.id, report.fields)
            return Sent.REFUSED
        return Sent.RECORDED

    def _sender(self, *, door: str | None = None, reader: str | None = None, device: str | None = None) -> str:
        """The driver that works a device (a reader), else the one that works the door (the reader's
        door): an OSDP reader at a door whose lock a controller works is the OSDP driver's."""
        if reader is not None:
            found = self.site.readers.get(reader)
            door = found.door if found is not None else None
            device = device or reader
        if device is not None and device in self._sender_of:
            return self._sender_of[device]
        driver = self._driver_of.get(door) if door is not None else None
        return driver.name if driver is not None else SHARED

    # --- what the desk tells drivers ---------------------------------------------------------

    def _heard(self, decided: Decided) -> None:
        """A recorded event (from the desk's writer: nothing here waits). A grant's unlock goes
        before any lockdown seen now, which may have been decided after it: the lock-all comes
        last. A grant recorded after its guard was told it was not opens nothing."""
        outcome = decided.outcome
        if outcome.get("type") in CONSOLE_GRANTS and _granted(outcome):
            if decided.answered:
                self._commands.submit(self._unlock_for, str(outcome.get("event")))
            else:
                logger.warning(
                    "doors: grant %s was recorded after its guard was told the door stays shut: it does",
                    outcome.get("event"),
                )
        self._watch_lockdown()

    def _heard_unrecorded(self, _: Decided) -> None:
        """An event that raised alerts and is not on disk yet: a lockdown locks the doors now."""
        self._watch_lockdown()

    def _watch_lockdown(self) -> None:
        lockdown = self.desk.state.lockdown
        with self._guard:
            fresh = lockdown is not None and lockdown != self._lockdown
            self._lockdown = lockdown
        if fresh:
            logger.warning("doors: lockdown (%s): every door is locked", lockdown)
            for driver in self.drivers:
                self._commands.submit(_command, driver, LockAll())

    def _unlock_for(self, event_id: str) -> None:
        """A guard's grant at the console opens the lock of its door, if a driver works it."""
        try:
            door = self._door_of_grant(event_id)
        except Exception:  # the record could not say: the door stays locked
            logger.exception("doors: could not find the door of grant %s; it stays locked", event_id)
            return
        driver = self._driver_of.get(door) if door is not None else None
        if door is not None and driver is not None:
            _command(driver, Unlock(door, float(self.site.policy.unlock_s)))

    def _door_of_grant(self, event_id: str) -> str | None:
        """The door a recorded ``request`` asked for, or the door of the request an ``override`` overrode."""
        entry = self.desk.log.find(event_id)
        payload = entry.payload if entry is not None else None
        if payload is None:
            return None
        if payload.get("type") == "override":
            request = self.desk.log.find(str(payload.get("request")))
            payload = request.payload if request is not None else None
            if payload is None:
                return None
        if payload.get("type") == "badge":
            return self._door_of_reader(str(payload.get("reader"))) or None
        door = payload.get("door")
        return door if isinstance(door, str) else None


def _granted(outcome: dict[str, Any]) -> bool:
    """A request granted, or an override approved (an override's outcome says so by its alert)."""
    if outcome.get("type") == "request":
        return outcome.get("decision") == "grant"
    return any(isinstance(a, dict) and a.get("code") == "OVERRIDE" for a in outcome.get("alerts") or ())


def _command(driver: Driver, command: Command) -> None:
    try:
        driver.command(command)
    except Exception:  # a driver's command never raises; if one does, the others still get theirs
        logger.exception("doors: the %s driver failed on %r", driver.name, command)


def _door_event(is_open: bool, door: str) -> dict[str, Any]:
    return {"type": "open" if is_open else "close", "door": door}


def _new_id(sender: str) -> str:
    return f"{sender}-{uuid.uuid4().hex}"
