"""For ``card_to_unlock.py``: the site, its credentials, the reads presented, and the desk behind a driver.

The site is a small office: the street, a lobby, an office and a lab behind three doors, with a
reader outside each door and one inside the front and office doors. Twenty-four staff hold
credentials issued by the lead before the run: cards, cards with a PIN (most with a duress PIN
too), four cards valid in the lobby only, and a card and a card with PIN that are revoked.

A card's credential id is its number as an OSDP reader gives it by default: 32 bits in
lower-case hex (``5a3c1f07``); an MQTT controller sends the same text. The reads mix, by weight:
a card where it is valid (40), a card and its PIN (22), a card at an inside reader to go out
(13), a wrong PIN (8), an unknown card (7), a revoked card (5), a card where it is not valid (5):
three in four are granted.
"""

from __future__ import annotations

import random
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from gatewatch.bootstrap import Services, build
from gatewatch.devices.base import Answer, DeviceStatus, Driver
from gatewatch.service.doors import Doors
from gatewatch.service.intake import submit
from gatewatch.service.permissions import Actor, UserRole

UNLOCK_S = 5
DOORS = {"front-out": "front", "office-out": "office-door", "lab-out": "lab-door", "front-in": "front",
         "office-in": "office-door"}  # fmt: skip
"""Each reader's door."""
OUTSIDE = ("front-out", "office-out", "lab-out")
"""Readers into a zone: the credential, its PIN and where it is valid are judged (and, at OSDP, a PIN is awaited)."""
INSIDE = ("front-in", "office-in")
"""Readers to go out: any credential issued and not revoked opens."""
STAFF = 24
LEAD = Actor("lead", UserRole.LEAD, "lead")

SITE_YAML = """
site: bench-cards
name: Card reader benchmark office
timezone: UTC
zones:
  - {id: street, level: 0}
  - {id: lobby, level: 1}
  - {id: office, level: 2}
  - {id: lab, level: 3}
doors:
  - {id: front, between: [street, lobby]}
  - {id: office-door, between: [lobby, office]}
  - {id: lab-door, between: [office, lab]}
readers:
  - {id: front-out, door: front, side: outside}
  - {id: office-out, door: office-door, side: outside}
  - {id: lab-out, door: lab-door, side: outside}
  - {id: front-in, door: front, side: inside}
  - {id: office-in, door: office-door, side: inside}
people:
  - {id: lead, name: Lena Lead, role: guard, lead: true}
%s
policy:
  unlock_s: %d
"""


@dataclass(frozen=True, slots=True)
class Holder:
    """A staff member's credential as issued."""

    person: str
    credential: str
    kind: str
    pin: str | None = None
    duress_pin: str | None = None
    zones: tuple[str, ...] = ()
    revoked: bool = False

    @property
    def wrong_pin(self) -> str:
        """A PIN that is neither theirs nor their duress PIN (theirs never starts with 0)."""
        assert self.pin is not None
        return "0" + self.pin[1:]


def holders() -> tuple[Holder, ...]:
    out = []
    for n in range(STAFF):
        number = 0x5A000000 + n * 7_919_371 % 0x00FFFFFF
        pin = str(1000 + n * 7_331 % 9_000)
        kind = "card+pin" if 14 <= n <= 21 or n == 23 else "card"
        out.append(
            Holder(
                person=f"s{n:02d}",
                credential=f"{number:08x}",
                kind=kind,
                pin=pin if kind == "card+pin" else None,
                duress_pin=pin[:-1] + str((int(pin[-1]) + 1) % 10) if 14 <= n <= 19 else None,
                zones=("lobby",) if 10 <= n <= 13 else (),
                revoked=n >= 22,
            )
        )
    return tuple(out)


HOLDERS = holders()


def site_text() -> str:
    people = "\n".join(f"  - {{id: {h.person}, name: Staff {h.person[1:]}, role: staff, clearance: known}}"
                       for h in HOLDERS)  # fmt: skip
    return SITE_YAML % (people, UNLOCK_S)


# --- the reads ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CardRead:
    """A card (and PIN) presented at a reader, and whether the desk is to grant it."""

    reader: str
    credential: str
    pin: str | None
    kind: str
    granted: bool

    @property
    def door(self) -> str:
        return DOORS[self.reader]

    @property
    def card(self) -> bytes:
        """The card's 32 bits as an OSDP reader sends them."""
        return bytes.fromhex(self.credential)


KINDS = (
    ("card", 40),
    ("card+pin", 22),
    ("exit", 13),
    ("wrong pin", 8),
    ("unknown card", 7),
    ("revoked", 5),
    ("not valid here", 5),
)
"""What a read is, by weight."""

READERS_OF = {
    "card": OUTSIDE,
    "card+pin": OUTSIDE,
    "exit": INSIDE,
    "wrong pin": OUTSIDE,
    "unknown card": OUTSIDE + INSIDE,
    "revoked": OUTSIDE,
    "not valid here": ("office-out", "lab-out"),
}


LIVE = tuple(h for h in HOLDERS if not h.revoked)
CARDS = tuple(h for h in LIVE if h.kind == "card")
CARDS_ANYWHERE = tuple(h for h in CARDS if not h.zones)
PINNED = tuple(h for h in LIVE if h.kind == "card+pin")
REVOKED = tuple(h for h in HOLDERS if h.revoked)
LOBBY_ONLY = tuple(h for h in HOLDERS if h.zones)


def one_read(kind: str, reader: str, rng: random.Random) -> CardRead:
    if kind == "card":
        chosen = rng.choice(CARDS if reader == "front-out" else CARDS_ANYWHERE)
        return CardRead(reader, chosen.credential, None, kind, True)
    if kind in ("card+pin", "wrong pin"):
        chosen = rng.choice(PINNED)
        pin = chosen.pin if kind == "card+pin" else chosen.wrong_pin
        return CardRead(reader, chosen.credential, pin, kind, kind == "card+pin")
    if kind == "exit":
        return CardRead(reader, rng.choice(LIVE).credential, None, kind, True)
    if kind == "revoked":
        chosen = rng.choice(REVOKED)
        return CardRead(reader, chosen.credential, chosen.pin, kind, False)
    if kind == "not valid here":
        return CardRead(reader, rng.choice(LOBBY_ONLY).credential, None, kind, False)
    return CardRead(reader, f"{0xC0000000 + rng.randrange(0x3FFFFFFF):08x}", None, kind, False)


def plan(count: int, seed: int, readers: Sequence[str] = OUTSIDE + INSIDE) -> list[CardRead]:
    """``count`` reads at these readers, mixed by ``KINDS``' weights (of the kinds they take)."""
    rng = random.Random(seed)
    kinds = [(kind, weight) for kind, weight in KINDS if set(READERS_OF[kind]) & set(readers)]
    out = []
    for _ in range(count):
        kind = rng.choices([k for k, _ in kinds], [w for _, w in kinds])[0]
        reader = rng.choice([r for r in readers if r in READERS_OF[kind]])
        out.append(one_read(kind, reader, rng))
    return out


# --- what a rig answers --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Answered:
    """How long the reader waited for the answer to a read, and whether it was an unlock."""

    seconds: float
    unlocked: bool


class Rig(Protocol):
    """A reader (or controller) in front of a panel: presents a read and waits for its answer."""

    def present(self, read: CardRead) -> Answered | None:
        """The answer to ``read`` (None: none came in time). One read per reader at a time."""
        ...


class Waiter:
    """One answer awaited: set once, from another thread, with the moment it arrived."""

    def __init__(self) -> None:
        self._done = threading.Event()
        self.at = 0.0
        self.unlocked = False

    def answer(self, unlocked: bool) -> None:
        if not self._done.is_set():
            self.at, self.unlocked = time.perf_counter(), unlocked
            self._done.set()

    def wait(self, began: float, timeout: float) -> Answered | None:
        if not self._done.wait(timeout):
            return None
        return Answered(self.at - began, self.unlocked)


ANSWER_WAIT_S = 5.0
"""How long a read waits for its answer before it counts as unanswered (the desk's deadline is 1.5 s)."""


# --- gatewatch behind a driver ---------------------------------------------------------------------


class TimedDoors:
    """The doors' ``DoorDesk``, timing each badge from the driver's call to the desk's answer."""

    def __init__(self, doors: Doors) -> None:
        self.doors = doors
        self.badges: list[tuple[str, float]] = []
        """(the badge's PIN given or not, seconds) per badge."""

    def badge(self, reader: str, credential: str, pin: str | None = None) -> Answer:
        began = time.perf_counter()
        answer = self.doors.badge(reader, credential, pin)
        self.badges.append(("pin" if pin else "card", time.perf_counter() - began))
        return answer

    def contact(self, door: str, is_open: bool) -> None:
        self.doors.contact(door, is_open)

    def exit_pressed(self, door: str) -> None:
        self.doors.exit_pressed(door)

    def lock_state(self, door: str, locked: bool) -> None:
        self.doors.lock_state(door, locked)

    def device_status(self, device: str, status: DeviceStatus, detail: str = "") -> None:
        self.doors.device_status(device, status, detail)


def issue_credentials(services: Services) -> None:
    """Every holder's credential issued by the lead (PINs sealed by the desk), then the revocations."""
    for holder in HOLDERS:
        event: dict[str, object] = {"id": f"issue-{holder.person}", "type": "credential", "person": holder.person,
                                    "credential": holder.credential, "kind": holder.kind, "by": "lead"}  # fmt: skip
        for key, value in (("pin", holder.pin), ("duress_pin", holder.duress_pin)):
            if value is not None:
                event[key] = value
        if holder.zones:
            event["zones"] = list(holder.zones)
        _accepted(submit(services.desk, services.zone, LEAD, event, datetime.now(UTC)).outcome)
    for holder in HOLDERS:
        if holder.revoked:
            event = {"id": f"revoke-{holder.person}", "type": "revoke", "credential": holder.credential,
                     "by": "lead", "reason": "reported lost"}  # fmt: skip
            _accepted(submit(services.desk, services.zone, LEAD, event, datetime.now(UTC)).outcome)


def _accepted(outcome: dict[str, object]) -> None:
    if outcome.get("alerts") or outcome.get("decision") == "deny":
        raise RuntimeError(f"the site's set-up was refused: {outcome}")


@contextmanager
def gatewatch_behind(driver: Driver, url: str) -> Iterator[TimedDoors]:
    """The site on the record at ``url``, its credentials issued, and ``driver`` started with the
    desk's doors (as ``gatewatch serve`` wires them); everything stopped and closed after."""
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "bench-cards.yaml"
        site.write_text(site_text(), encoding="utf-8")
        services = build(site, url)
        try:
            issue_credentials(services)
            doors = Doors(services.desk, services.zone, [driver])
            timed = TimedDoors(doors)
            driver.start(timed)
            try:
                yield timed
            finally:
                driver.stop()
                doors.close()
        finally:
            services.close()
