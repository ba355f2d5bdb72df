"""How each event changes the visitors' pathways, and when a pathway is rescored.

The engine calls ``follow`` once per event, after the event's handler and before the alerts'
consequences, with the event, its decision and every alert of the step. A pathway is kept for
each person whose role is visitor (``State.pathways``); it is rescored, and PATHWAY_RISING
checked, only for visitors below ``trusted`` and only where the pathway changed in a way the
score reads:

- ``arrive``: each visitor begins a visit trace at the arrival zone's level, with the hour and
  what they wore (a visit still open, never closed by a ``leave``, is closed at this arrival);
  heavy outerwear on a hot day (as CONCERNING_BEHAVIOR reads it) is marked. Rescored.
- ``move``: a visitor reaching a deeper level than before in this visit has it noted, with the
  event and whether an escort is in that zone; a visitor seen on site with no visit under way
  begins one there. Not rescored: a move changes the score only at the next rescore.
- ``leave``: the visit is closed. Rescored.
- ``screen``: the result, what was surrendered and refused go into the visit; a refusal is
  marked. Rescored.
- ``observe``: each indicator is marked. Rescored.
- ``invite``, private, by a host: a private ask. Rescored.
- ``request`` and ``badge``: a denial is marked for each visitor it was for, and one into a
  private zone (not going out) is a private ask; rescored when denied, never when granted.
- an identity alert naming a visitor (IDENTITY_CONFLICT, IDENTITY_LINK, CLAIM_FAILED,
  WATCHLIST_MATCH, DOCUMENT_EXPIRED), whatever the event: marked. Rescored.

Each update reads and rewrites one visitor's bounded pathway; a rescore reads it once more.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from msgspec.structs import replace

from gatewatch.core import events as ev
from gatewatch.core.alerts import Alert, AlertCode
from gatewatch.core.outcome import Decision
from gatewatch.core.pathway import MAX_MARKS, MAX_SCORES, MAX_VISITS, Mark, Pathway, VisitTrace, appended, score_of
from gatewatch.core.pathway_behaviours import word_key
from gatewatch.core.pathway_signals import signals
from gatewatch.core.people import Role
from gatewatch.core.rules import concerning_behavior, pathway_rising
from gatewatch.core.rules.door_request import item_key
from gatewatch.core.state import State

IDENTITY_CODES = frozenset(
    {
        AlertCode.IDENTITY_CONFLICT,
        AlertCode.IDENTITY_LINK,
        AlertCode.CLAIM_FAILED,
        AlertCode.WATCHLIST_MATCH,
        AlertCode.DOCUMENT_EXPIRED,
    }
)
"""The alerts that are identity problems of the people they name."""

EMPTY = Pathway()
KEPT_ITEMS = 50
"""Items surrendered or refused kept per visit."""

Follower = Callable[[State, Any, Decision | None, tuple[Alert, ...]], tuple[State, list[str]]]
"""Updates the pathways an event changes; the visitors to rescore."""


def follow(
    state: State, event: ev.Event, decision: Decision | None, alerts: tuple[Alert, ...]
) -> tuple[State, tuple[Alert, ...]]:
    """The pathways after ``event``, and PATHWAY_RISING for each visitor whose rescore crossed."""
    follower = FOLLOWERS.get(type(event))
    touched: list[str] = []
    if follower is not None:
        state, touched = follower(state, event, decision, alerts)
    for alert in alerts:
        if alert.code in IDENTITY_CODES:
            for person_id in alert.people:
                if _visitor(state, person_id):
                    pathway = _get(state, person_id)
                    marked = appended(pathway.identity, (Mark(event.id, event.at), alert.code.value), MAX_MARKS)
                    state = _put(state, person_id, replace(pathway, identity=marked))
                    touched.append(person_id)
    if not touched:
        return state, ()
    raised: list[Alert] = []
    for person_id in dict.fromkeys(touched):
        state, rising = rescore(state, person_id, Mark(event.id, event.at))
        if rising is not None:
            raised.append(rising)
    return state, tuple(raised)


def rescore(state: State, person_id: str, mark: Mark) -> tuple[State, Alert | None]:
    """Score a visitor's pathway again; keep the score if it changed, and whether it is over."""
    person = state.people.get(person_id)
    pathway = state.pathways.get(person_id)
    if person is None or pathway is None or not person.is_visitor:
        return state, None
    policy = state.site.policy.pathway
    found = signals(pathway, policy)
    score = score_of(found)
    over = score >= policy.threshold
    alert = pathway_rising.check(state, person_id, score, policy.threshold, pathway.over)
    before = pathway.scores[-1][1] if pathway.scores else 0.0
    if score != before:
        pathway = replace(pathway, scores=appended(pathway.scores, (mark, score), MAX_SCORES), over=over)
    elif over != pathway.over:
        pathway = replace(pathway, over=over)
    else:
        return state, alert
    return _put(state, person_id, pathway), alert


# --- what each event changes ---------------------------------------------------------------


def _visitor(state: State, person_id: str) -> bool:
    person = state.people.get(person_id)
    return person is not None and person.role is Role.VISITOR


def _get(state: State, person_id: str) -> Pathway:
    return state.pathways.get(person_id, EMPTY)


def _put(state: State, person_id: str, pathway: Pathway) -> State:
    return replace(state, pathways=state.pathways.set(person_id, pathway))


def _under_way(pathway: Pathway) -> VisitTrace | None:
    last = pathway.visits[-1] if pathway.visits else None
    return last if last is not None and last.left is None else None


def _with_last(pathway: Pathway, trace: VisitTrace) -> Pathway:
    return replace(pathway, visits=(*pathway.visits[:-1], trace))


def _begun(state: State, person_id: str, pathway: Pathway, event: ev.Event, zone: str, passed: bool) -> Pathway:
    """A new visit in ``zone``; ``passed``: they came there through a door (a move)."""
    open_trace = _under_way(pathway)
    if open_trace is not None:
        pathway = _with_last(pathway, replace(open_trace, left=event.at, left_event=event.id))
    wearing = tuple(sorted({item_key(i) for i in event.wearing})) if isinstance(event, ev.Arrive) else ()
    trace = VisitTrace(
        arrived=Mark(event.id, event.at),
        left=None,
        left_event=None,
        deepest=state.site.level(zone),
        deepest_zone=zone if passed else None,
        deepest_event=event.id if passed else None,
        hour=event.at.hour,
        escorted=state.escorts_there(zone, besides=person_id) > 0,
        screening=None,
        surrendered=(),
        refused=(),
        wearing=wearing,
    )
    return replace(pathway, visits=appended(pathway.visits, trace, MAX_VISITS))


def _arrive(state: State, event: ev.Arrive, _: Decision | None, __: tuple[Alert, ...]) -> tuple[State, list[str]]:
    zone = state.site.doors[event.door].outward
    hot = bool(concerning_behavior.outerwear_on_hot_day(state, event.wearing, event.at))
    touched = [p for p in event.people if _visitor(state, p)]
    for person_id in touched:
        pathway = _begun(state, person_id, _get(state, person_id), event, zone, passed=False)
        if hot:
            pathway = replace(pathway, outerwear=appended(pathway.outerwear, Mark(event.id, event.at), MAX_MARKS))
        state = _put(state, person_id, pathway)
    return state, touched


def _move(state: State, event: ev.Move, _: Decision | None, __: tuple[Alert, ...]) -> tuple[State, list[str]]:
    level = state.site.level(event.to)
    for person_id in event.people:
        if not _visitor(state, person_id):
            continue
        pathway = _get(state, person_id)
        trace = _under_way(pathway)
        if trace is None:
            state = _put(state, person_id, _begun(state, person_id, pathway, event, event.to, passed=True))
        elif level > trace.deepest:
            deeper = replace(
                trace,
                deepest=level,
                deepest_zone=event.to,
                deepest_event=event.id,
                escorted=state.escorts_there(event.to, besides=person_id) > 0,
            )
            state = _put(state, person_id, _with_last(pathway, deeper))
    return state, []


def _leave(state: State, event: ev.Leave, _: Decision | None, __: tuple[Alert, ...]) -> tuple[State, list[str]]:
    touched: list[str] = []
    for person_id in event.people:
        pathway = state.pathways.get(person_id)
        trace = _under_way(pathway) if pathway is not None else None
        if pathway is not None and trace is not None:
            closed = replace(trace, left=event.at, left_event=event.id)
            state = _put(state, person_id, _with_last(pathway, closed))
            touched.append(person_id)
    return state, touched


def _screen(state: State, event: ev.Screen, _: Decision | None, __: tuple[Alert, ...]) -> tuple[State, list[str]]:
    if not _visitor(state, event.person):
        return state, []
    pathway = _get(state, event.person)
    trace = _under_way(pathway)
    if trace is not None:
        handed = {item_key(i) for i in event.surrendered}
        refused = {*trace.refused, *(item_key(i) for i in event.refused)} - handed
        trace = replace(
            trace,
            screening=event.result,
            surrendered=tuple(dict.fromkeys((*trace.surrendered, *sorted(handed))))[:KEPT_ITEMS],
            refused=tuple(sorted(refused))[:KEPT_ITEMS],
            wearing=tuple(i for i in trace.wearing if i not in handed),
        )
        pathway = _with_last(pathway, trace)
    if event.result == "refused" or event.refused:
        pathway = replace(pathway, refusals=appended(pathway.refusals, Mark(event.id, event.at), MAX_MARKS))
    return _put(state, event.person, pathway), [event.person]


def _observe(state: State, event: ev.Observe, _: Decision | None, __: tuple[Alert, ...]) -> tuple[State, list[str]]:
    if not _visitor(state, event.person):
        return state, []
    pathway = _get(state, event.person)
    marked = pathway.indicators
    for word in dict.fromkeys(word_key(i) for i in event.indicators):
        marked = appended(marked, (Mark(event.id, event.at), word), MAX_MARKS)
    return _put(state, event.person, replace(pathway, indicators=marked)), [event.person]


def _asked(state: State, person_id: str, mark: Mark) -> State:
    pathway = _get(state, person_id)
    return _put(state, person_id, replace(pathway, private_asks=appended(pathway.private_asks, mark, MAX_MARKS)))


def _denied(state: State, person_id: str, mark: Mark) -> State:
    pathway = _get(state, person_id)
    return _put(state, person_id, replace(pathway, denials=appended(pathway.denials, mark, MAX_MARKS)))


def _invite(state: State, event: ev.Invite, _: Decision | None, alerts: tuple[Alert, ...]) -> tuple[State, list[str]]:
    refused = any(a.code is AlertCode.NOT_PERMITTED and event.by in a.people for a in alerts)
    if not event.private or refused or not _visitor(state, event.person):
        return state, []
    return _asked(state, event.person, Mark(event.id, event.at)), [event.person]


def _into_private(state: State, door_id: str, people: tuple[str, ...]) -> bool:
    """A request through ``door_id`` into a private zone, not everyone going out of it."""
    inward = state.site.doors[door_id].inward
    return state.site.zones[inward].private and not all(state.where.get(p) == inward for p in people)


def _request(
    state: State, event: ev.Request, decision: Decision | None, _: tuple[Alert, ...]
) -> tuple[State, list[str]]:
    return _door_asked(state, event.door, event.for_, Mark(event.id, event.at), decision)


def _badge(state: State, event: ev.Badge, decision: Decision | None, _: tuple[Alert, ...]) -> tuple[State, list[str]]:
    record = state.credentials.get(event.credential)
    reader = state.site.readers.get(event.reader)
    if record is None or reader is None:
        return state, []
    if not reader.inward:  # an inside reader lets people out
        return state, []
    return _door_asked(state, reader.door, (record.holder,), Mark(event.id, event.at), decision)


def _door_asked(
    state: State, door_id: str, people: tuple[str, ...], mark: Mark, decision: Decision | None
) -> tuple[State, list[str]]:
    private = _into_private(state, door_id, people)
    if not private and decision != "deny":  # a granted request elsewhere changes no pathway
        return state, []
    visitors = [p for p in people if _visitor(state, p)]
    for person_id in visitors:
        if private:
            state = _asked(state, person_id, mark)
        if decision == "deny":
            state = _denied(state, person_id, mark)
    return state, visitors if decision == "deny" else []


FOLLOWERS: dict[type[ev.Event], Follower] = {
    ev.Arrive: _arrive,
    ev.Move: _move,
    ev.Leave: _leave,
    ev.Screen: _screen,
    ev.Observe: _observe,
    ev.Invite: _invite,
    ev.Request: _request,
    ev.Badge: _badge,
}
