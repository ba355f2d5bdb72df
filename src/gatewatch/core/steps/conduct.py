"""Observations, concerns, the weather, and the all-clear.

A lead's clear of a concern leaves standing the concern an open case gives
(``rules.case_keeps_concern``): only closing the case ends it."""

from __future__ import annotations

from msgspec.structs import replace

from gatewatch.core import consequences
from gatewatch.core import events as ev
from gatewatch.core.outcome import Effect
from gatewatch.core.rules import case_keeps_concern, not_permitted
from gatewatch.core.state import State
from gatewatch.core.steps import cases
from gatewatch.core.steps.movement import observed


def observe(state: State, event: ev.Observe) -> Effect:
    state, alert = observed(state, event.person, event.indicators, event.at, event.by)
    return Effect(state, (alert,) if alert else ())


def concern(state: State, event: ev.Concern) -> Effect:
    action = f"{'open' if event.open else 'clear'} a concern about {event.person}"
    refusal = not_permitted.check(state, event.by, action, "lead")
    if refusal is not None:
        return Effect(state, (refusal,))
    if event.open:
        return Effect(consequences.mark_concern(state, event.person, f"concern opened by {event.by} at {event.id}"))
    kept = case_keeps_concern.check(state, event)
    if kept is not None:  # the open cases keep the person of concern: every other reason goes
        given = cases.concern_given(state, state.open_cases[event.person])
        return Effect(replace(state, concerns=state.concerns.set(event.person, given)), (kept,))
    if event.person not in state.concerns:
        return Effect(state)
    return Effect(replace(state, concerns=state.concerns.delete(event.person)))


def weather(state: State, event: ev.Weather) -> Effect:
    return Effect(replace(state, weather=(event.at, event.temp_c)))


def all_clear(state: State, event: ev.AllClear) -> Effect:
    refusal = not_permitted.check(state, event.by, "call the all-clear", "lead")
    if refusal is not None:
        return Effect(state, (refusal,))
    return Effect(replace(state, lockdown=None))
