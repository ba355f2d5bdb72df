"""The insider view's read model: each staff member's signals with the events behind them, over a
span of days (the API answers it, the console shows it)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from gatewatch.core.insider import Insider, Signal
from gatewatch.core.insider_watch import Seen
from gatewatch.service.insider import InsiderReport


class InsiderEventOut(BaseModel):
    event: str = Field(description="The event's id in the record")
    seq: int = Field(description="Its position in the record")
    at: str
    type: str
    where: str | None = Field(description="The door, zone, post or alarm source")
    said: str = Field(description="What happened, in plain words")
    others: list[str] = Field(description="The other people it involves")
    linked: str | None = Field(description="A later event it is tied to (the concern found, the other card)")


class InsiderSignalOut(BaseModel):
    code: str
    label: str
    count: int = Field(description="Times seen in the span")
    events: list[InsiderEventOut] = Field(description="The newest events behind it, oldest first (bounded)")


class InsiderPersonOut(BaseModel):
    person: str
    name: str
    role: str
    total: int
    signals: list[InsiderSignalOut] = Field(description="Only the signals seen, in a fixed order")


class InsiderOut(BaseModel):
    since: str = Field(description="The first site day of the span")
    until: str = Field(description="The last site day of the span (included)")
    people: list[InsiderPersonOut] = Field(description="Staff with signals, the most first")
    read: int = Field(description="Entries read from the record")
    unreadable: int = Field(description="Entries that no longer read as events, left out")


def event_view(seen: Seen) -> InsiderEventOut:
    return InsiderEventOut(
        event=seen.event,
        seq=seen.seq,
        at=seen.at.isoformat(),
        type=seen.type,
        where=seen.where,
        said=seen.said,
        others=list(seen.others),
        linked=seen.linked,
    )


def signal_view(signal: Signal) -> InsiderSignalOut:
    return InsiderSignalOut(
        code=signal.code, label=signal.label, count=signal.count, events=[event_view(s) for s in signal.events]
    )


def person_view(insider: Insider) -> InsiderPersonOut:
    return InsiderPersonOut(
        person=insider.person,
        name=insider.name,
        role=insider.role,
        total=insider.total,
        signals=[signal_view(s) for s in insider.signals],
    )


def insider_view(report: InsiderReport) -> InsiderOut:
    return InsiderOut(
        since=report.span.since.isoformat(),
        until=report.span.until.isoformat(),
        people=[person_view(p) for p in report.people],
        read=report.read,
        unreadable=report.unreadable,
    )
