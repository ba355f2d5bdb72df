"""A guard's live screen learns nothing of a duress badge while the record cannot write.

Found by attacking the doors with a guard's sign-in: when the store cannot write, the desk tells
every screen at once of an event that raised alerts (``event: unrecorded``), before it is on
disk. A guard's screen got the duress badge so, with its alert taken out: a grant with no alert,
announced as only an alert's event is, said that an alert was left out.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from gatewatch.api.routes.stream import Broadcaster
from gatewatch.service.desk import Decided

DURESS = {"code": "DURESS", "severity": "critical", "subjects": ["ines"], "message": "forced"}
PASSBACK = {"code": "PASSBACK", "severity": "warning", "subjects": ["ines"], "message": "passback"}


def outcome(*alerts: dict[str, Any]) -> dict[str, Any]:
    return {
        "event": "b1",
        "type": "badge",
        "at": "2025-03-01T09:00:00+00:00",
        "decision": "grant",
        "reasons": [],
        "alerts": list(alerts),
    }


def heard(*decided: Decided) -> tuple[list[str], list[str]]:
    """What a guard's screen and a lead's screen are sent."""

    async def run() -> tuple[list[str], list[str]]:
        broadcaster = Broadcaster()
        guard, lead = broadcaster.subscribe(discreet=False), broadcaster.subscribe(discreet=True)
        for one in decided:
            broadcaster.publish(one)
        await asyncio.sleep(0)  # the deliveries are scheduled on the loop
        await asyncio.sleep(0)
        return [guard.get_nowait() for _ in range(guard.qsize())], [lead.get_nowait() for _ in range(lead.qsize())]

    return asyncio.run(run())


def test_an_unrecorded_duress_badge_is_not_announced_to_a_guard() -> None:
    guard, lead = heard(Decided(outcome(DURESS), 0, "", False, recorded=False))
    assert guard == []
    [message] = lead
    assert message.startswith("event: unrecorded") and "DURESS" in message


def test_an_unrecorded_event_with_alerts_a_guard_is_shown_is_announced_without_the_discreet_ones() -> None:
    guard, _ = heard(Decided(outcome(DURESS, PASSBACK), 0, "", False, recorded=False))
    [message] = guard
    data = json.loads(message.split("data: ", 1)[1])
    assert [a["code"] for a in data["alerts"]] == ["PASSBACK"]


def test_a_recorded_duress_badge_reaches_a_guard_as_a_plain_grant() -> None:
    guard, lead = heard(Decided(outcome(DURESS), 7, "h", False))
    [message] = guard
    assert "DURESS" not in message and json.loads(message.split("data: ", 1)[1])["alerts"] == []
    assert "DURESS" in lead[0]
