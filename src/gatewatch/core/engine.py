"""The engine: ``step(state, event) -> (state, outcome)``, deterministic and pure.

Each step advances the clock, meets the people the event names (an unregistered id becomes a
visitor; a known name is compared with the watchlist the first time the person appears),
runs the handler for the event's type, checks every taken post when day has just turned to
night or back (after the event, so that a shift change at the turn counts), follows each
visitor's pathway with every alert of the step seen (``steps/pathway.py``: PATHWAY_RISING), and
applies what the alerts mean: persons of concern, and lockdown at any critical alert.

Times are instants: every comparison and span between two times is made on aware datetimes
with fixed offsets, so on their instants whatever their offsets (two times of one named zone
would be compared by their clocks). The site's clock (night, the day) is read from an event's
time as given, which the parser gives with the site's offset at that instant; an event whose
time has no offset is refused before anything is decided.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from msgspec.structs import replace

from gatewatch.core import consequences
from gatewatch.core import events as ev
from gatewatch.core.alerts import Alert
from gatewatch.core.errors import InvalidInput
from gatewatch.core.outcome import Effect, Outcome
from gatewatch.core.people import unregistered
from gatewatch.core.rules import door_held
from gatewatch.core.state import State, set_person
from gatewatch.core.steps import (
    alarms,
    cases,
    conduct,
    doors,
    gate,
    head_office,
    movement,
    pathway,
    readers,
    staffing,
    vetting,
)

Handler = Callable[[State, Any], Effect]

HANDLERS: dict[type[ev.Event], Handler] = {
    ev.Register: vetting.register,
    ev.Identify: vetting.identify,
    ev.Verify: vetting.verify,
    ev.Vouch: vetting.vouch,
    ev.Vet: vetting.vet,
    ev.Invite: vetting.invite,
    ev.Arrive: movement.arrive,
    ev.Move: movement.move,
    ev.Leave: movement.leave,
    ev.Screen: gate.screen,
    ev.Waive: gate.waive,
    ev.Request: doors.request,
    ev.Override: doors.override_request,
    ev.Open: doors.open_door,
    ev.Close: doors.close_door,
    ev.PostChange: staffing.post_change,
    ev.Checkin: staffing.checkin,
    ev.Alarm: alarms.trigger,
    ev.Dismiss: alarms.dismiss,
    ev.Mute: alarms.mute,
    ev.Observe: conduct.observe,
    ev.Concern: conduct.concern,
    ev.Weather: conduct.weather,
    ev.AllClear: conduct.all_clear,
    ev.WatchlistCheck: vetting.watchlist_check,
    ev.Credential: readers.credential,
    ev.Revoke: readers.revoke,
    ev.Badge: readers.badge,
    ev.Exit: readers.exit_pressed,
    ev.Unanswered: readers.unanswered,
    ev.Tick: readers.tick,
    ev.Device: readers.device,
    ev.CaseOpen: cases.open_case,
    ev.CaseUpdate: cases.update_case,
    ev.CaseNote: cases.add_note,
    ev.CaseClose: cases.close_case,
    ev.NoteRead: cases.note_read,
    ev.SiteLink: head_office.linked,
}


def _advance_clock(state: State, event: ev.Event) -> tuple[State, bool]:
    """Move the clock to the event; say whether day has just turned to night or back.

    A time without an offset is no instant: it is refused, naming the event."""
    if event.at.utcoffset() is None:
        raise InvalidInput(
            f"{event.at.isoformat()} has no offset from UTC: an event's time is an instant",
            where=f"event {event.id}",
            field="at",
        )
    night = state.site.is_night(event.at.time())
    turned = state.night is not None and night != state.night
    return replace(state, now=event.at, night=night), turned


def _meet(state: State, event: ev.Event) -> tuple[State, list[Alert]]:
    alerts: list[Alert] = []
    if isinstance(event, ev.SiteLink):  # head office's note brings no one to the site (``steps.head_office``)
        return state, alerts
    registering = event.person.id if isinstance(event, ev.Register) else None
    for person_id in ev.people_named(event):
        if person_id == registering:
            continue
        if person_id not in state.people:
            state = set_person(state, unregistered(person_id))
            state = replace(state, screened_names=state.screened_names.set(person_id, True))
        elif state.watchlist and person_id not in state.screened_names:
            names = state.identities[person_id].names if person_id in state.identities else ()
            state, found = vetting.screen_names(state, person_id, names)
            alerts += found
    return state, alerts


def step(state: State, event: ev.Event) -> tuple[State, Outcome]:
    """Decide one event: the next state, and the decision, reasons and alerts it produced."""
    state, turned = _advance_clock(state, event)
    state, meeting_alerts = _meet(state, event)
    effect = HANDLERS[type(event)](state, event)
    state = effect.state
    state, staffing_alerts = staffing.check_posts(state, state.taken_posts) if turned else (state, [])
    state, held_alerts = door_held.check(state, event.at)
    raised = (*meeting_alerts, *effect.alerts, *staffing_alerts, *held_alerts)
    state, rising = pathway.follow(state, event, effect.decision, raised)
    alerts = discreet_last((*raised, *rising))
    state = consequences.apply(state, alerts, event.id)
    outcome = Outcome(event.id, event.type, event.at, effect.decision, effect.reasons, alerts)
    return state, outcome


def discreet_last(alerts: tuple[Alert, ...]) -> tuple[Alert, ...]:
    """The alerts with the discreet ones (DURESS) after the others, each kind in its order.

    An alert is known by its place among its event's alerts (the record's alert ids): someone
    not shown the discreet ones must find the others numbered from the first, with no gap that
    would tell them one was left out."""
    if not any(alert.code.discreet for alert in alerts):
        return alerts
    return (*(a for a in alerts if not a.code.discreet), *(a for a in alerts if a.code.discreet))


def run(state: State, events: Iterable[ev.Event]) -> Iterator[tuple[State, Outcome]]:
    """Step through events, yielding each state and outcome in turn."""
    for event in events:
        state, outcome = step(state, event)
        yield state, outcome
