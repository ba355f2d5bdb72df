"""What one step produces: the decision (for requests), its reasons, and the alerts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

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

    def to_dict(self) -> dict[str, Any]:
        """The contract's shape: event, type, at, decision, reasons, alerts (code, severity, subjects, message)."""
        return {
            "event": self.event,
            "type": self.type,
            "at": self.at.isoformat(),
            "decision": self.decision,
            "reasons": list(self.reason_codes),
            "alerts": [
                {"code": a.code.value, "severity": a.severity.label, "subjects": list(a.subjects), "message": a.message}
                for a in self.alerts
            ],
        }


@dataclass(frozen=True, slots=True)
class Effect:
    """What a step handler returns: the new state, and what it decided and raised."""

    state: State
    alerts: tuple[Alert, ...] = ()
    decision: Decision | None = None
    reasons: tuple[Reason, ...] = field(default=())
