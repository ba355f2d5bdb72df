"""What one step produces: the decision (for requests), its reasons, and the alerts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from gatewatch.core.alerts import Alert
from gatewatch.core.reasons import Reason
from gatewatch.core.state import State

Decision = Literal["grant", "deny"]


@dataclass(frozen=True, slots=True)
class Outcome:
    event: str
    type: str
    at: datetime
    decision: Decision | None = None
    reasons: tuple[Reason, ...] = ()
    alerts: tuple[Alert, ...] = ()

    @property
    def reason_codes(self) -> tuple[str, ...]:
        return tuple(r.code.value for r in self.reasons)


@dataclass(frozen=True, slots=True)
class Effect:
    """What a step handler returns: the new state, and what it decided and raised."""

    state: State
    alerts: tuple[Alert, ...] = ()
    decision: Decision | None = None
    reasons: tuple[Reason, ...] = field(default=())
