"""What a badge rule looks at: one credential presented at one reader."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from gatewatch.core.events import PinGiven
from gatewatch.core.site import Door, Reader, Zone
from gatewatch.core.state import CredentialRecord, State


@dataclass(frozen=True, slots=True)
class BadgeAt:
    """A badge: the reader and its door, the credential (None if no credential has that id),
    what its PIN was (``pin``: None when none was given), and when."""

    state: State
    reader: Reader
    credential_id: str
    credential: CredentialRecord | None
    pin: PinGiven | None
    at: datetime
    event: str

    @property
    def door(self) -> Door:
        return self.state.site.doors[self.reader.door]

    @property
    def far_zone(self) -> Zone:
        """Where passing the door leads: inward from an outside reader, outward from an inside one."""
        door = self.door
        return self.state.site.zones[door.inward if self.reader.inward else door.outward]

    @property
    def holder(self) -> str | None:
        return None if self.credential is None else self.credential.holder
