"""What a reason rule looks at: one request to open one door for some people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from gatewatch.core.site import Door, Zone
from gatewatch.core.state import State


def item_key(item: str) -> str:
    """Items compare without case, spaces or underscores: "Ice axe" is "ice-axe"."""
    return item.strip().lower().replace("_", "-").replace(" ", "-")


def items_in(items: frozenset[str] | tuple[str, ...], listed: tuple[str, ...]) -> tuple[str, ...]:
    keys = {item_key(i) for i in listed}
    return tuple(sorted(i for i in items if item_key(i) in keys))


@dataclass(frozen=True, slots=True)
class DoorRequest:
    state: State
    door: Door
    by: str
    people: tuple[str, ...]
    at: datetime

    @property
    def far_zone(self) -> Zone:
        """The zone on the door's higher-level side, where an entry leads."""
        return self.state.site.zones[self.door.inward]

    @property
    def day(self) -> date:
        return self.at.date()

    def visitors(self) -> tuple[str, ...]:
        return tuple(p for p in self.people if self.state.person(p).is_visitor)

    def is_egress(self) -> bool:
        """Every person is on the door's higher-level side: they are going out."""
        return all(self.state.zone_of(p) == self.door.inward for p in self.people)
