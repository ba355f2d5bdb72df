"""People arriving at a door, moving between zones, and leaving the site; their visits."""

from __future__ import annotations

from datetime import datetime

from msgspec.structs import replace

from gatewatch.core import credentials, grants
from gatewatch.core import events as ev
from gatewatch.core.alerts import Alert
from gatewatch.core.outcome import Effect
from gatewatch.core.people import Role
from gatewatch.core.rules import approach_escalation, concerning_behavior, unauthorized_entry
from gatewatch.core.rules.door_request import item_key
from gatewatch.core.state import PastVisit, State, Visit, place
from gatewatch.core.steps.presence import presence_alerts
from gatewatch.core.steps.staffing import check_posts, posts_of


def end_visit(state: State, person_id: str) -> State:
    """Close the person's visit; a visitor's goes into their history, kept for 120 days.

    Only visitors' histories are read (by APPROACH_ESCALATION), so residents, staff and
    guards, who come and go all day, keep none.
    """
    visit = state.visits.get(person_id)
    if visit is None:
        return state
    if state.person(person_id).role is not Role.VISITOR:
        return replace(state, visits=state.visits.delete(person_id))
    past = (*state.history.get(person_id, ()), PastVisit(visit.started, visit.deepest))
    horizon = visit.started - approach_escalation.WINDOW
    kept = tuple(v for v in past if v.started >= horizon)
    return replace(state, visits=state.visits.delete(person_id), history=state.history.set(person_id, kept))


def start_visit(state: State, person_id: str, at: datetime, zone: str, event: ev.Arrive | None) -> State:
    state = end_visit(state, person_id)
    visit = Visit(
        started=at,
        deepest=state.site.level(zone),
        authority=event.claims.authority if event and event.claims else None,
        wearing=frozenset(item_key(i) for i in event.wearing) if event else frozenset(),
        carrying=frozenset(item_key(i) for i in event.carrying) if event else frozenset(),
    )
    return replace(state, visits=state.visits.set(person_id, visit))


def reach(state: State, person_id: str, zone: str) -> State:
    visit = state.visits.get(person_id)
    level = state.site.level(zone)
    if visit is None or visit.deepest >= level:
        return state
    return replace(state, visits=state.visits.set(person_id, replace(visit, deepest=level)))


def pass_door(state: State, person_id: str, to_zone: str, at: datetime) -> State:
    """Use up the person's passage under a grant at a door they went through, if any."""
    for door in state.site.doors_joining(state.zone_of(person_id), to_zone):
        grant = grants.covering(state, door.id, person_id, at)
        if grant is not None:
            return grants.use_passage(state, grant, person_id, at)
    return state


def after_relocation(before: State, state: State, people: tuple[str, ...]) -> tuple[State, list[Alert]]:
    state, staffing = check_posts(state, posts_of(state, people))
    return state, staffing + presence_alerts(before, state, people)


def move(state: State, event: ev.Move) -> Effect:
    before = state
    alerts: list[Alert] = []
    for person in event.people:
        if (alert := unauthorized_entry.check(state, person, event.to, event.at)) is not None:
            alerts.append(alert)
        state = pass_door(state, person, event.to, event.at)
        if state.zone_of(person) is None:
            state = start_visit(state, person, event.at, event.to, None)
        state = place(reach(state, person, event.to), person, event.to)
    state, more = after_relocation(before, state, event.people)
    return Effect(state, (*alerts, *more))


def arrive(state: State, event: ev.Arrive) -> Effect:
    before = state
    zone = state.site.doors[event.door].outward
    alerts: list[Alert] = []
    for person in event.people:
        if state.site.level(zone) > 0 and (alert := unauthorized_entry.check(state, person, zone, event.at)):
            alerts.append(alert)
        state = place(start_visit(state, person, event.at, zone, event), person, zone)
        outerwear = concerning_behavior.outerwear_on_hot_day(state, event.wearing, event.at)
        if outerwear:
            state, alert = observed(state, person, (concerning_behavior.OUTERWEAR,), event.at, None)
            if alert is not None:
                alerts.append(alert)
    state, more = after_relocation(before, state, event.people)
    return Effect(state, (*alerts, *more))


def observed(
    state: State, person_id: str, indicators: tuple[str, ...], at: datetime, by: str | None
) -> tuple[State, Alert | None]:
    """Record indicators about a person and grade them (CONCERNING_BEHAVIOR)."""
    alert = concerning_behavior.check(state, person_id, indicators, at, by)
    history = concerning_behavior.recent(state.indicators.get(person_id, ()), at)
    history = (*history, *((at, i) for i in indicators))
    return replace(state, indicators=state.indicators.set(person_id, history)), alert


def leave(state: State, event: ev.Leave) -> Effect:
    before = state
    for person in event.people:
        state = place(end_visit(state, person), person, None)
        state = credentials.lapse_day_credentials(state, person)
    state, alerts = after_relocation(before, state, event.people)
    return Effect(state, tuple(alerts))
