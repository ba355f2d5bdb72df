"""The site model: zones by protection level, doors between them, posts, and the policy.

A site is data. ``Site`` adds the indexes the engine needs so that no decision scans the
whole site: doors by the pair of zones they join, and each door's outward and inward side.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from typing import Annotated, Literal

import msgspec

from gatewatch.core import bounded as b
from gatewatch.core import limits
from gatewatch.core.pathway import PathwayPolicy

Level = int
OFF_SITE_LEVEL: Level = -1
"""Off site counts as below level 0, the street."""


class Policy(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """The parameters of the procedures, with the contract's defaults."""

    screening_from_level: b.Level = 2
    escort_from_level: b.Level = 3
    concern_from_level: b.Level = 2
    surrender: b.PolicyItems = ("coat", "raincoat", "overcoat", "bag", "briefcase", "parcel", "camera")
    prohibited: b.PolicyItems = (
        "firearm",
        "pistol",
        "revolver",
        "rifle",
        "gun",
        "knife",
        "dagger",
        "ice-axe",
        "explosive",
        "grenade",
    )
    heavy_outerwear: b.PolicyItems = ("coat", "raincoat", "overcoat")
    hot_c: b.TempC = 25.0
    grant_minutes: b.Minutes = 5
    override_minutes: b.Minutes = 60
    """How long after a denial a lead may still override it; then a new request is needed."""
    retention_days: b.RetentionDays = 180
    """Days after which a visitor's identity data is redacted from the record (unless of concern)."""
    passback: Literal["hard", "soft", "off"] = "soft"
    """Anti-passback at readers: ``hard`` denies a card whose holder is already in the far zone,
    ``soft`` only warns, ``off`` does neither."""
    held_open_s: b.Seconds = 30
    """A door opened on a grant and still open this long after raises DOOR_HELD."""
    two_person_s: b.Seconds = 10
    """How close together the two badges at a two-person door must come."""
    unlock_s: b.Seconds = 5
    """How long a lock is released for a granted badge or request (the project's own key)."""
    pathway: PathwayPolicy = msgspec.field(default_factory=PathwayPolicy)
    """The pathway assessment's weights and threshold (``gatewatch.core.pathway``, the project's own key)."""


class ZoneSpec(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    id: b.Id
    level: b.Level
    name: b.Name | None = None
    private: bool = False
    two_person: bool = False


class DoorSpec(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    id: b.Id
    between: tuple[b.Id, b.Id]
    controlled_by: b.Id | None = None
    interlock: b.Id | None = None
    name: b.Name | None = None


class ReaderSpec(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """A card or PIN reader at a door: ``outside`` reads on its lower-level side, ``inside`` on its higher."""

    id: b.Id
    door: b.Id
    side: Literal["outside", "inside"]
    name: b.Name | None = None


class PostSpec(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    id: b.Id
    zone: b.Id
    staff: b.Staff = 1
    staff_at_night: b.Staff | None = None
    name: b.Name | None = None


ClearanceName = Literal["none", "visitor", "known", "trusted"]
RoleName = Literal["principal", "resident", "guard", "staff", "visitor"]


class PersonSpec(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    id: b.Id
    role: RoleName
    name: b.Name | None = None
    clearance: ClearanceName | None = None
    lead: bool = False
    escort: bool = False
    in_: b.Id | None = msgspec.field(default=None, name="in")


class NightSpec(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    from_: b.Id = msgspec.field(name="from")
    to: b.Id


class SiteSpec(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """A site file as written, before its references are checked."""

    site: b.Id
    zones: Annotated[tuple[ZoneSpec, ...], msgspec.Meta(max_length=limits.SITE_ZONES)]
    doors: Annotated[tuple[DoorSpec, ...], msgspec.Meta(max_length=limits.SITE_DOORS)] = ()
    readers: Annotated[tuple[ReaderSpec, ...], msgspec.Meta(max_length=limits.SITE_READERS)] = ()
    name: b.Name | None = None
    timezone: b.Id = "UTC"
    country: b.Id | None = None
    """ISO 3166-1 alpha-2 (``MX``, ``GB``): the country a phone number written without ``+`` or ``00`` is read in."""
    night: NightSpec | None = None
    posts: Annotated[tuple[PostSpec, ...], msgspec.Meta(max_length=limits.SITE_POSTS)] = ()
    people: Annotated[tuple[PersonSpec, ...], msgspec.Meta(max_length=limits.SITE_PEOPLE)] = ()
    policy: Policy = msgspec.field(default_factory=Policy)


@dataclass(frozen=True, slots=True)
class Zone:
    id: str
    level: Level
    name: str
    private: bool
    two_person: bool = False


@dataclass(frozen=True, slots=True)
class Door:
    """A door joins two zones; its outward side is the lower level."""

    id: str
    outward: str
    inward: str
    controlled_by: str | None
    interlock: str | None
    perimeter: bool
    name: str
    read: bool = False
    """A reader stands at the door: it opens on a granted badge, and is controlled."""

    @property
    def controlled(self) -> bool:
        return self.controlled_by is not None or self.read


@dataclass(frozen=True, slots=True)
class Reader:
    """A reader at a door. ``inward``: it asks to pass from the door's outward side to its inward one."""

    id: str
    door: str
    inward: bool
    name: str


@dataclass(frozen=True, slots=True)
class Post:
    id: str
    zone: str
    staff: int
    staff_at_night: int
    name: str

    def required(self, night: bool) -> int:
        return self.staff_at_night if night else self.staff


@dataclass(frozen=True, slots=True)
class Site:
    """A checked site with its indexes. Build it with ``gatewatch.core.parse.build_site``."""

    id: str
    name: str
    timezone: str
    night_from: time | None
    night_to: time | None
    zones: Mapping[str, Zone]
    doors: Mapping[str, Door]
    posts: Mapping[str, Post]
    people: tuple[PersonSpec, ...]
    policy: Policy
    doors_between: Mapping[frozenset[str], tuple[Door, ...]] = field(repr=False)
    readers: Mapping[str, Reader] = field(default_factory=dict)
    country: str | None = None
    """ISO 3166-1 alpha-2, upper case; None when the site file names none."""

    def level(self, zone: str | None) -> Level:
        """The zone's level; off site (``None``) is below the street."""
        return OFF_SITE_LEVEL if zone is None else self.zones[zone].level

    def zone_name(self, zone: str | None) -> str:
        return "off site" if zone is None else self.zones[zone].name

    def is_night(self, moment: time) -> bool:
        """Night runs from ``night_from`` until ``night_to``, wrapping midnight."""
        if self.night_from is None or self.night_to is None:
            return False
        if self.night_from <= self.night_to:
            return self.night_from <= moment < self.night_to
        return moment >= self.night_from or moment < self.night_to

    def doors_joining(self, a: str | None, b: str | None) -> tuple[Door, ...]:
        if a is None or b is None:
            return ()
        return self.doors_between.get(frozenset((a, b)), ())
