"""People on a site: roles, clearances, and who counts as a visitor or an escort."""

from __future__ import annotations

from enum import IntEnum, StrEnum

import msgspec


class Role(StrEnum):
    PRINCIPAL = "principal"
    RESIDENT = "resident"
    GUARD = "guard"
    STAFF = "staff"
    VISITOR = "visitor"


class Clearance(IntEnum):
    """Vetting outcome, ordered: a higher clearance is more trusted."""

    NONE = 0
    VISITOR = 1
    KNOWN = 2
    TRUSTED = 3

    @classmethod
    def named(cls, name: str) -> Clearance:
        return cls[name.upper()]

    @property
    def label(self) -> str:
        return self.name.lower()


DEFAULT_CLEARANCE = {
    Role.PRINCIPAL: Clearance.TRUSTED,
    Role.RESIDENT: Clearance.TRUSTED,
    Role.GUARD: Clearance.TRUSTED,
    Role.STAFF: Clearance.KNOWN,
    Role.VISITOR: Clearance.NONE,
}


class Person(msgspec.Struct, frozen=True, array_like=True):
    """Someone the site knows: registered, or first named by an event (then a visitor)."""

    id: str
    name: str
    role: Role
    clearance: Clearance
    lead: bool = False
    escort_capable: bool = False

    @property
    def is_visitor(self) -> bool:
        """A visitor is a person with role visitor and clearance below trusted."""
        return self.role is Role.VISITOR and self.clearance < Clearance.TRUSTED

    @property
    def is_escort(self) -> bool:
        """An escort is a guard, or anyone marked ``escort: true``."""
        return self.role is Role.GUARD or self.escort_capable

    @property
    def is_principal(self) -> bool:
        return self.role is Role.PRINCIPAL

    @property
    def is_guard(self) -> bool:
        return self.role is Role.GUARD


def unregistered(person_id: str) -> Person:
    """The visitor an event creates by naming an id nobody registered."""
    return Person(id=person_id, name=person_id, role=Role.VISITOR, clearance=Clearance.NONE)
