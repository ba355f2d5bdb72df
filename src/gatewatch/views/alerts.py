"""A recorded alert and its acknowledgement (pure)."""

from __future__ import annotations

from gatewatch.store.alerts import StoredAlert
from gatewatch.views import models as m


def alert_view(alert: StoredAlert) -> m.StoredAlertOut:
    ack = alert.acknowledged
    return m.StoredAlertOut(
        id=alert.id,
        seq=alert.seq,
        event=alert.event,
        at=alert.at,
        code=alert.code,
        severity=alert.severity,  # type: ignore[arg-type]
        subjects=list(alert.subjects),
        message=alert.message,
        acknowledged=m.AcknowledgementOut(by=ack.by, at=ack.at, comment=ack.comment) if ack else None,
    )
