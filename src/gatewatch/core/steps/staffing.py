"""Posts: guards on and off duty, check-ins, and keeping posts at strength."""

from __future__ import annotations

from collections.abc import Iterable

from msgspec.structs import replace

from gatewatch.core import events as ev
from gatewatch.core.alerts import Alert
from gatewatch.core.outcome import Effect
from gatewatch.core.rules import checkin_missed, concern_on_post, post_understaffed
from gatewatch.core.state import State, place
from gatewatch.core.steps.presence import presence_alerts


def check_posts(state: State, post_ids: Iterable[str]) -> tuple[State, list[Alert]]:
    """Raise POST_UNDERSTAFFED once per shortfall; forget it once the post is restored."""
    alerts: list[Alert] = []
    for post_id in sorted(set(post_ids)):
        if post_id not in state.taken_posts:
            continue
        short = post_understaffed.shortfall(state, post_id)
        if short is not None and post_id not in state.understaffed:
            alerts.append(post_understaffed.alert(state, post_id, *short))
            state = replace(state, understaffed=state.understaffed | {post_id})
        elif short is None and post_id in state.understaffed:
            state = replace(state, understaffed=state.understaffed - {post_id})
    return state, alerts


def posts_of(state: State, people: Iterable[str]) -> set[str]:
    return {post for person in people for post in state.posts_of.get(person, frozenset())}


def _duty(state: State, guard: str, post_id: str, on: bool) -> State:
    """Put a guard on a post or take them off, keeping both indexes (post → guards, guard → posts)."""
    guards = state.on_post.get(post_id, frozenset())
    posts = state.posts_of.get(guard, frozenset())
    guards, posts = (guards | {guard}, posts | {post_id}) if on else (guards - {guard}, posts - {post_id})
    if posts:
        posts_of = state.posts_of.set(guard, posts)
    else:
        posts_of = state.posts_of.delete(guard) if guard in state.posts_of else state.posts_of
    return replace(state, on_post=state.on_post.set(post_id, guards), posts_of=posts_of)


def post_change(state: State, event: ev.PostChange) -> Effect:
    before = state
    zone = state.site.posts[event.post].zone
    alerts: list[Alert] = []
    for guard in event.off_duty:
        state = _duty(state, guard, event.post, on=False)
    for guard in event.on_duty:
        if (alert := concern_on_post.check(state, guard, event.post)) is not None:
            alerts.append(alert)
        state = place(_duty(state, guard, event.post, on=True), guard, zone)
    if event.on_duty:
        state = replace(state, taken_posts=state.taken_posts | {event.post})
    state, staffing = check_posts(state, {event.post} | posts_of(state, event.on_duty))
    moved = [g for g in event.on_duty if before.zone_of(g) != zone]
    alerts += staffing + presence_alerts(before, state, moved)
    return Effect(state, tuple(alerts))


def checkin(state: State, event: ev.Checkin) -> Effect:
    alert = checkin_missed.check(state, event)
    return Effect(state, (alert,) if alert else ())
