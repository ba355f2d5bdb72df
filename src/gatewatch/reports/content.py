"""What a report says, before it is laid out: its sections and lines, each line citing its event.

A report is built from the record and the engine's state (``reports.case``: a case and its
person; ``reports.window``: the alerts and decisions of a window of time). Every line names the
event behind it by position and hash; every event a line names is cited in the proof
(``Citations`` collects them as the lines are made, and makes the proof last, with the chain
head read after every entry, so no cited entry is past the head).

What a viewer is not shown is not in their report: a viewer not shown discreet alerts
(``views.discretion``: DURESS) gets no line of an entry that raised one, nor its citation (its
hash, checked against the lines shown, would tell that something was left out); every payload
is shown as ``discretion.payload_for`` shows it (a credential's PINs sealed); a case note's text
is never in a report, sealed or not.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

import msgspec

from gatewatch.core import wording
from gatewatch.core.events import from_payload
from gatewatch.reports import proof as proofs
from gatewatch.service.permissions import Actor
from gatewatch.store.chain import Entry
from gatewatch.store.log import EventLog
from gatewatch.views.discretion import DISCREET_CODES, payload_for, sees_discreet

SHORT_HASH = 12
"""Characters of a hash printed beside each line (the proof section prints every hash whole)."""
QUIET_TYPES = frozenset({"case_note"})
"""Events whose fields are not described in a line: a note's sealed text is no reader's business."""


class Line(msgspec.Struct, frozen=True):
    """One line of a report, citing the recorded event behind it."""

    seq: int
    event: str
    hash: str
    at: str
    """Site time, ``YYYY-MM-DD HH:MM``."""
    what: str
    """The line's words (an alert's begin with its severity: readable without colour)."""
    severity: str = ""
    """An alert's severity (``critical``, ``high``, ``warning``, ``info``); empty for other lines."""

    @property
    def short(self) -> str:
        return self.hash[:SHORT_HASH]


class Day(msgspec.Struct, frozen=True):
    day: str
    lines: tuple[Line, ...]


def local(at: str | datetime, zone: ZoneInfo) -> str:
    """A recorded time as the site's clock showed it, to the minute."""
    when = datetime.fromisoformat(at) if isinstance(at, str) else at
    return when.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def raised_discreet(entry: Entry) -> bool:
    return any(isinstance(a, dict) and a.get("code") in DISCREET_CODES for a in entry.outcome.get("alerts") or ())


class Citations:
    """The entries a report's lines cite, kept as the lines are made; the proof is made from them."""

    def __init__(self, log: EventLog, zone: ZoneInfo, viewer: Actor) -> None:
        self.log = log
        self.zone = zone
        self.viewer = viewer
        self.discreet = sees_discreet(viewer)
        self.entries: dict[int, Entry] = {}
        self._by_id: dict[str, Entry | None] = {}

    def shown(self, entry: Entry) -> bool:
        """Whether this viewer may see a line of this entry (not if it raised a discreet alert kept from them)."""
        return self.discreet or not raised_discreet(entry)

    def known(self, entries: Iterable[Entry]) -> None:
        """Entries already read (e.g. all those naming a person): found by id without reading them again."""
        for entry in entries:
            self._by_id[entry.event_id] = entry

    def find(self, event_ids: Iterable[str]) -> list[Entry]:
        """The recorded entries of these event ids that this viewer is shown, in the log's order."""
        wanted = list(dict.fromkeys(event_ids))
        unread = [event_id for event_id in wanted if event_id not in self._by_id]
        if unread:
            read = self.log.find_many(unread)
            self._by_id.update((event_id, read.get(event_id)) for event_id in unread)
        found = [entry for event_id in wanted if (entry := self._by_id[event_id]) is not None and self.shown(entry)]
        return sorted(found, key=lambda e: e.seq)

    def line(self, entry: Entry, what: str, severity: str = "") -> Line:
        """A line about this entry; the entry is cited."""
        self.entries[entry.seq] = entry
        return Line(entry.seq, entry.event_id, entry.hash, local(entry.at, self.zone), what, severity)

    def event_line(self, entry: Entry) -> Line:
        """A line saying what the event was, in its own fields."""
        return self.line(entry, self.said(entry))

    def said(self, entry: Entry) -> str:
        """The event in one line: its type and its own fields, as this viewer is shown them."""
        if entry.payload is None:
            return f"{entry.type} (its details were redacted after the site's retention)"
        if entry.type in QUIET_TYPES:
            by = entry.payload.get("by")
            return f"{entry.type.replace('_', ' ')}{f' by {by}' if by else ''} (sealed: its text is not in reports)"
        shown = payload_for(entry.payload, self.viewer)
        try:
            fields = wording.describe(from_payload(dict(shown or {})))
        except (msgspec.ValidationError, ValueError, TypeError):
            fields = ""
        return f"{entry.type} · {fields}" if fields else entry.type

    def outcome_lines(self, entry: Entry) -> list[Line]:
        """The decision and the alerts the engine recorded for this entry, a line each."""
        lines: list[Line] = []
        outcome = entry.outcome
        decision = outcome.get("decision")
        if decision:
            reasons = ", ".join(str(r) for r in outcome.get("reasons") or ())
            verdict = "GRANT" if decision == "grant" else f"DENY{f' ({reasons})' if reasons else ''}"
            lines.append(self.line(entry, f"{verdict}: {self.said(entry)}"))
        for alert in outcome.get("alerts") or ():
            if not isinstance(alert, dict) or (not self.discreet and alert.get("code") in DISCREET_CODES):
                continue
            severity = str(alert.get("severity"))
            lines.append(self.line(entry, f"{severity} · {alert.get('code')}: {alert.get('message')}", severity))
        return lines

    def proof(self, site: str, subject: str, made_at: datetime) -> proofs.Proof:
        """The proof of every entry cited so far, with the chain head read now (after them all)."""
        return proofs.make(
            site,
            subject,
            made_at.isoformat(timespec="seconds"),
            self.viewer.name,
            self.log.head(),
            self.entries.values(),
        )


class Section(msgspec.Struct, frozen=True):
    """A titled list of lines (the alerts naming a person, the case's linked events, …)."""

    title: str
    lines: tuple[Line, ...]
    empty: str = "none"
    note: str = ""
    """A word under the title (e.g. that the list is bounded, and how)."""


class ChartVisit(msgspec.Struct, frozen=True):
    at: datetime
    level: int
    seq: int | None = None
    """The arrival's position in the log, when the report cites it."""


class ChartLane(msgspec.Struct, frozen=True):
    """One signal's row under the chart: its label, and a mark at each event behind it."""

    label: str
    marks: tuple[datetime, ...]


class Chart(msgspec.Struct, frozen=True):
    """Depth per visit over time, with the signals marked (drawn as SVG by ``reports.chart``)."""

    levels: tuple[tuple[int, str], ...]
    visits: tuple[ChartVisit, ...]
    lanes: tuple[ChartLane, ...] = ()


class SignalPart(msgspec.Struct, frozen=True):
    code: str
    label: str
    points: float
    detail: str
    lines: tuple[Line, ...]


class BehaviourPart(msgspec.Struct, frozen=True):
    name: str
    label: str
    present: bool
    because: str
    lines: tuple[Line, ...]


class AssessmentPart(msgspec.Struct, frozen=True):
    """The pathway assessment as the report prints it: score against threshold, signals, behaviours."""

    scored: bool
    score: float
    threshold: float
    over: bool
    signals: tuple[SignalPart, ...]
    behaviours: tuple[BehaviourPart, ...]


class Report(msgspec.Struct, frozen=True):
    """A report's content: what the template lays out, and the proof it keeps."""

    kind: str
    """``case`` or ``window``."""
    title: str
    site_name: str
    made_at: str
    made_by: str
    proof: proofs.Proof
    facts: tuple[tuple[str, str], ...] = ()
    """Plain facts at the top (status, assignee, the window's bounds, …)."""
    sections: tuple[Section, ...] = ()
    days: tuple[Day, ...] = ()
    """A window report's lines, grouped by site day."""
    assessment: AssessmentPart | None = None
    chart: Chart | None = None
