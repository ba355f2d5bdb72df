"""A small site and a way to play a few events through the engine, for tests.

The test site is a house behind a double gate: street (0) → lobby (1, between the outer and
inner doors, which are interlocked) → yard (2) → house (3) → office (4, private), plus a
side gate from the street straight into the yard for deliveries. Times are in UTC.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import yaml

from gatewatch.core.alerts import Alert
from gatewatch.core.engine import run
from gatewatch.core.events import Event
from gatewatch.core.outcome import Outcome
from gatewatch.core.parse import build_site, parse_events
from gatewatch.core.site import PersonSpec, Site
from gatewatch.core.state import State, initial_state
from gatewatch.core.watchlist import WatchEntry

SITE_YAML = """
site: testhouse
name: Test house
timezone: UTC
night: {from: "20:00", to: "07:00"}
zones:
  - {id: street, level: 0}
  - {id: lobby, level: 1}
  - {id: yard, level: 2}
  - {id: house, level: 3}
  - {id: office, level: 4, private: true}
doors:
  - {id: outer, between: [street, lobby], controlled_by: gate}
  - {id: inner, between: [lobby, yard], controlled_by: gate, interlock: outer}
  - {id: side, between: [street, yard], controlled_by: gate}
  - {id: front, between: [yard, house]}
  - {id: office-door, between: [house, office]}
posts:
  - {id: gate, zone: lobby, staff: 1, staff_at_night: 2}
  - {id: tower, zone: yard, staff: 1, staff_at_night: 1}
people:
  - {id: boss, name: Anna Principal, role: principal, in: office}
  - {id: res, name: Ruth Resident, role: resident, in: house}
  - {id: lead, name: Lena Lead, role: guard, lead: true, in: yard}
  - {id: g1, name: Gus Guard, role: guard}
  - {id: g2, name: Gina Guard, role: guard}
  - {id: cook, name: Carl Cook, role: staff, in: house}
  - {id: aide, name: Ada Aide, role: staff, escort: true, in: house}
"""

START = datetime(2024, 6, 3, 0, 0, tzinfo=UTC)


def site(overrides: str = "") -> Site:
    raw = yaml.safe_load(SITE_YAML)
    if overrides:
        raw.update(yaml.safe_load(overrides))
    return build_site(raw)


def events(text: str, on: Site | None = None, start: datetime = START) -> tuple[Event, ...]:
    return parse_events(yaml.safe_load(text), on or site(), UTC, start)


def start_state(
    on: Site | None = None, people: Sequence[dict[str, Any]] = (), watchlist: Iterable[WatchEntry] = ()
) -> State:
    import msgspec

    extra = tuple(msgspec.convert(p, PersonSpec) for p in people)
    return initial_state(on or site(), extra, tuple(watchlist))


def play(text: str, state: State | None = None, start: datetime = START) -> tuple[State, list[Outcome]]:
    """Play YAML events from a fresh test site (or the given state); the last state and outcomes."""
    current = state or start_state()
    outcomes: list[Outcome] = []
    for current, outcome in run(current, events(text, current.site, start)):  # noqa: B007, B020
        outcomes.append(outcome)
    return current, outcomes


def codes(outcome: Outcome) -> list[str]:
    return [a.code.value for a in outcome.alerts]


def alerts_named(outcomes: Iterable[Outcome], code: str) -> list[Alert]:
    return [a for o in outcomes for a in o.alerts if a.code.value == code]


# The everyday path of a visitor to the yard, by day, used as a base in many tests.
VISITOR_TO_LOBBY = """
- {id: p1, at: "2024-06-03T08:55", type: post, post: gate, on_duty: [g1]}
- {id: i1, at: "08:56", type: invite, by: res, person: vic}
- {id: a1, at: "09:00", type: arrive, people: [vic], door: outer}
- {id: r1, at: "09:00", type: request, door: outer, by: g1, for: [vic]}
- {id: o1, at: "09:00", type: open, door: outer}
- {id: m1, at: "09:01", type: move, people: [vic], to: lobby}
- {id: c1, at: "09:01", type: close, door: outer}
"""


# An invited visitor let in by the side door to the yard, screened, by day (the lead opens).
VISITOR_IN_YARD = """
- {id: i1, at: "2024-06-03T08:56", type: invite, by: res, person: vic}
- {id: a1, at: "09:00", type: arrive, people: [vic], door: side}
- {id: s1, at: "09:01", type: screen, person: vic, by: lead, result: clear}
- {id: r0, at: "09:01", type: request, door: side, by: lead, for: [vic]}
- {id: o0, at: "09:01", type: open, door: side}
- {id: m1, at: "09:02", type: move, people: [vic], to: yard}
- {id: c0, at: "09:02", type: close, door: side}
"""
