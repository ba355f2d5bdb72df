"""Drill texts for the test site (tests/support.py): a small one, a long legit one, an alias bomb."""

from __future__ import annotations

from datetime import datetime, timedelta

DRILL = (
    "drill: forced\nsite: site.yaml\nstart: 2024-06-03T09:00\n"
    "events:\n  - {id: f1, at: '09:00', type: open, door: side, by: g1}\n"
    "expect:\n  - {event: f1, alert: DOOR_FORCED}\n"
)


def many_events(count: int) -> str:
    """A legit drill of ``count`` events, a minute apart: the side gate opened with no grant, and
    closed again; the first opening must raise DOOR_FORCED."""
    start = datetime(2024, 6, 3, 9, 0)
    lines = ["drill: many", "site: site.yaml", "start: 2024-06-03T09:00", "events:"]
    for number in range(count):
        at = (start + timedelta(minutes=number)).strftime("%Y-%m-%dT%H:%M")
        kind = "open" if number % 2 == 0 else "close"
        lines.append(f'  - {{id: s{number}, at: "{at}", type: {kind}, door: side, by: g1}}')
    lines.append("expect:\n  - {event: s0, alert: DOOR_FORCED}")
    return "\n".join(lines) + "\n"


def laughs(levels: int) -> str:
    """The "billion laughs": a drill mapping whose each level is nine aliases to the level before."""
    lines = [
        "drill: laughs",
        "start: 2024-06-03T09:00",
        'l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ]
    for level in range(1, levels + 1):
        lines.append(f"l{level}: &l{level} [{','.join([f'*l{level - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"
