"""At the gate: searching a visitor, and the principal's waivers."""

from __future__ import annotations

from msgspec.structs import replace

from gatewatch.core import events as ev
from gatewatch.core.outcome import Effect
from gatewatch.core.rules import not_permitted, prohibited_item, waiver
from gatewatch.core.rules.door_request import item_key
from gatewatch.core.state import State, Visit


def screen(state: State, event: ev.Screen) -> Effect:
    """Record a search in this visit; surrendered items are no longer worn or carried."""
    visit = state.visits.get(event.person) or Visit(
        started=event.at, deepest=state.site.level(state.zone_of(event.person))
    )
    handed = {item_key(i) for i in event.surrendered}
    visit = replace(
        visit,
        screened_clear=event.result == "clear",
        wearing=visit.wearing - handed,
        carrying=(visit.carrying | {item_key(i) for i in event.found}) - handed,
        refused=(visit.refused | {item_key(i) for i in event.refused}) - handed,
    )
    state = replace(state, visits=state.visits.set(event.person, visit))
    alert = prohibited_item.check(state, event)
    return Effect(state, (alert,) if alert else ())


def waive(state: State, event: ev.Waive) -> Effect:
    refusal = not_permitted.check(state, event.by, f"waive {', '.join(event.rules)}", "principal")
    if refusal is not None:
        return Effect(state, (refusal,))
    alert, taken = waiver.decide(state, event)
    if taken is not None:
        state = replace(state, waivers=state.waivers.set(event.for_, taken))
    return Effect(state, (alert,))
