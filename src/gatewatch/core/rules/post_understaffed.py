"""POST_UNDERSTAFFED: a post keeps the guards it needs, by day and by night.

Procedure: once a post has been taken, it has at least ``staff`` guards on it and in its
zone by day, ``staff_at_night`` by night. It is checked at each change of the post, when a
guard on it moves or leaves, and when day turns to night or back; the alert is raised once,
and again only after the post was brought back to strength.
"""

from __future__ import annotations

from gatewatch.core import wording
from gatewatch.core.alerts import Alert, AlertCode, Severity
from gatewatch.core.state import State

CODE = AlertCode.POST_UNDERSTAFFED


def shortfall(state: State, post_id: str) -> tuple[int, int] | None:
    """``(present, required)`` when the post is short, else ``None``."""
    night = bool(state.night)
    required = state.site.posts[post_id].required(night)
    present = state.guards_on_post_in_zone(post_id)
    return (present, required) if present < required else None


def alert(state: State, post_id: str, present: int, required: int) -> Alert:
    post = state.site.posts[post_id]
    when = "at night" if state.night else "by day"
    return Alert(
        CODE,
        Severity.HIGH,
        f"{wording.capital(wording.post(state, post_id))} has {present} guard{'s' if present != 1 else ''} "
        f"in {wording.zone(state, post.zone)} of the {required} it needs {when}: "
        "send a guard to the post now",
        people=tuple(sorted(state.on_post.get(post_id, frozenset()))),
        places=(post_id,),
    )
