"""A case's report: the case, its person's assessment, chart, timeline and alerts, and the proof.

Gathered from the engine's state and the record, in this order:

1. the case (``State.cases``) and its recorded events (``service.cases.case_entries``), read as
   the case file is (``views.cases.case_file``): status, assignee, review date, why it was opened
   (and closed), the events it links; its notes are counted and said to be sealed, never opened
   (a report is no way round the recorded read of a note). Its own events (the newest
   ``MOST_CASE_EVENTS``: each read of a note is one) and the events it links (the newest
   ``MOST_LINKED``) are bounded, the report saying so;
2. the pathway assessment of the person (``service.timeline.person_assessment``): the score
   against the site's threshold, each signal with the events behind it, and TRAP-18's eight
   warning behaviours, present or absent;
3. the depth chart: each visit the engine traced (``State.pathways``) at the deepest level it
   reached, and a lane per signal marking its events;
4. the person's timeline (``service.timeline.person_timeline``, its newest ``MOST_ROWS`` rows,
   printed oldest first) and the alerts naming them (the newest ``MOST_ALERTS``).

Every line cites its entry; the proof cites every entry a line names. Making the report is
recorded as a read of the person's file (``Accounts.record_read``), as opening their page is.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from gatewatch.bootstrap import Services
from gatewatch.core import wording
from gatewatch.core.pathway import Assessment, Pathway
from gatewatch.core.site import Site
from gatewatch.core.timeline import MOST_ROWS, Row
from gatewatch.reports.content import (
    AssessmentPart,
    BehaviourPart,
    Chart,
    ChartLane,
    ChartVisit,
    Citations,
    Line,
    Report,
    Section,
    SignalPart,
    local,
)
from gatewatch.service.cases import case_entries
from gatewatch.service.permissions import Actor
from gatewatch.service.timeline import person_assessment, person_timeline
from gatewatch.store.alerts import AlertFilter
from gatewatch.views.cases import case_file, said
from gatewatch.views.discretion import hidden_from

MOST_ALERTS = 200
"""Alerts naming the person printed (the newest)."""
MOST_CASE_EVENTS = 500
"""The case's own events printed (the newest): each read of its notes adds one, so a case kept for months
has thousands."""
MOST_LINKED = 200
"""Events the case links printed (the newest linked; each update links up to ``limits.CASE_LINKS``)."""
UNRECORDED_NAMED = 20
"""Links to no recorded event named under the linked events (the others are counted)."""


class CaseNotFound(LookupError):
    """No case of that id in the record."""


def case_report(
    services: Services,
    case: str,
    viewer: Actor,
    made_at: datetime,
    most_case_events: int = MOST_CASE_EVENTS,
    most_linked: int = MOST_LINKED,
) -> Report:
    """The report of one case, as ``viewer`` is shown the record (see the module's procedure).

    ``most_case_events``, ``most_linked``: how many of the case's own events and of the events it links are
    printed, the newest (``MOST_CASE_EVENTS``, ``MOST_LINKED``).
    """
    state = services.desk.state
    record = state.cases.get(case)
    if record is None:
        known = ", ".join(sorted(state.cases.keys())[:10]) or "none yet"
        raise CaseNotFound(f'no case "{case}" in the record (cases: {known})')
    person = record.person
    services.accounts.record_read(made_at.isoformat(), viewer.name, person)
    log, zone = services.log, services.zone
    citations = Citations(log, zone, viewer)

    entries = [e for e in case_entries(log, case) if citations.shown(e)]
    file = case_file(state, case, record, entries, log.find)
    case_lines = tuple(citations.line(e, said(e.type, e.payload or {})) for e in entries[-most_case_events:])
    links = list(dict.fromkeys(link.event for link in reversed(file.links)))[::-1]  # each once, as last linked
    linked = tuple(citations.event_line(e) for e in citations.find(links[-most_linked:]))
    unrecorded = list(dict.fromkeys(link.event for link in file.links if not link.recorded))

    assessment = person_assessment(state, person)
    assessed = _assessment(assessment, citations) if assessment is not None else None

    hidden = hidden_from(viewer)
    found = person_timeline(log, state, person, MOST_ROWS, hidden=hidden)
    held = log.entries_at(row.seq for row in found.rows)
    timeline_lines = tuple(
        citations.line(held[row.seq], *_said(row))
        for row in reversed(found.rows)
        if row.seq in held and citations.shown(held[row.seq])
    )
    alerts = services.alerts.find(AlertFilter(person=person, limit=MOST_ALERTS, hidden=hidden))
    alert_entries = log.entries_at(a.seq for a in alerts)
    alert_lines = tuple(
        citations.line(alert_entries[a.seq], f"{a.severity} · {a.code}: {a.message}", a.severity)
        for a in reversed(alerts)
        if a.seq in alert_entries and citations.shown(alert_entries[a.seq])
    )

    name = wording.person(state, person)
    facts: list[tuple[str, str]] = [
        ("case", case),
        ("on", f"{name} ({person})"),
        ("status", file.status if file.open else f"closed ({file.closed_reason or 'no reason recorded'})"),
        ("assignee", file.assignee or "none"),
        ("review", file.review or "none set"),
        ("opened", f"{local(file.opened_at, zone)} by {file.opened_by}"),
        ("why", file.reason or "no reason recorded"),
        ("notes", f"{len(file.notes_held)}, sealed: their words are not in reports (each read is recorded)"),
    ]
    if state.of_concern(person):
        facts.append(("concern", "a person of concern: " + "; ".join(state.concerns.get(person, ()))))
    sections = (
        Section(
            "The case in the record",
            case_lines,
            "no event",
            note=f"The newest {most_case_events} of {len(entries)}." if len(entries) > most_case_events else "",
        ),
        Section("Events the case links", linked, "none", note=_links_note(len(links), most_linked, unrecorded)),
        Section(
            "Timeline",
            timeline_lines,
            "nothing recorded",
            note=f"Oldest first; the newest {MOST_ROWS} rows." if found.more else "Oldest first.",
        ),
        Section(
            "Alerts naming them",
            alert_lines,
            "none",
            note=f"The newest {MOST_ALERTS}." if len(alerts) >= MOST_ALERTS else "",
        ),
    )
    chart = _chart(services.site, state.pathways.get(person), assessed, citations)
    made = made_at.astimezone(zone)
    return Report(
        kind="case",
        title=f"Case {case}: {name}",
        site_name=services.site.name,
        made_at=f"{made:%Y-%m-%d %H:%M} (site time)",
        made_by=viewer.name,
        proof=citations.proof(services.site.id, f"case {case} on {person}", made_at),
        facts=tuple(facts),
        sections=sections,
        assessment=assessed,
        chart=chart,
    )


def _links_note(count: int, most: int, unrecorded: list[str]) -> str:
    """Under the linked events: how many are printed, and which links name no recorded event (the first few)."""
    said = [f"The newest {most} of {count} linked."] if count > most else []
    if unrecorded:
        more = f" and {len(unrecorded) - UNRECORDED_NAMED} more" if len(unrecorded) > UNRECORDED_NAMED else ""
        said.append(f"Not in the record: {', '.join(unrecorded[:UNRECORDED_NAMED])}{more}.")
    return " ".join(said)


def _said(row: Row) -> tuple[str, str]:
    """A timeline row's words and severity (an alert's words begin with its severity already)."""
    if row.alert is not None:
        return row.summary, row.alert.severity
    return f"{row.kind} · {row.summary}", ""


def _assessment(found: Assessment, citations: Citations) -> AssessmentPart:
    def lines(events: Iterable[str]) -> tuple[Line, ...]:
        return tuple(citations.event_line(entry) for entry in citations.find(events))

    return AssessmentPart(
        scored=found.scored,
        score=found.score,
        threshold=found.threshold,
        over=found.over,
        signals=tuple(SignalPart(s.code, s.label, s.points, s.detail, lines(s.events)) for s in found.signals),
        behaviours=tuple(
            BehaviourPart(b.name, b.label, b.present, b.because, lines(b.events) if b.present else ())
            for b in found.behaviours
        ),
    )


def _chart(site: Site, pathway: Pathway | None, assessed: AssessmentPart | None, citations: Citations) -> Chart | None:
    visits = pathway.visits if pathway is not None else ()
    if not visits:
        return None
    levels: dict[int, list[str]] = {}
    for zone in sorted(site.zones.values(), key=lambda z: z.id):
        levels.setdefault(zone.level, []).append(zone.name)
    cited = {entry.event_id: entry.seq for entry in citations.entries.values()}
    lanes: tuple[ChartLane, ...] = ()
    if assessed is not None:
        lanes = tuple(
            ChartLane(s.label, tuple(datetime.fromisoformat(citations.entries[line.seq].at) for line in s.lines))
            for s in assessed.signals
        )
    return Chart(
        levels=tuple((level, " / ".join(names)) for level, names in sorted(levels.items())),
        visits=tuple(ChartVisit(v.arrived.at, v.deepest, cited.get(v.arrived.event)) for v in visits),
        lanes=lanes,
    )
