"""The Board's duty panel: who is on post, taken or left, and the weather now, as the role allows.

A guard puts only themselves on a post or takes only themselves off; a lead (or an admin)
names anyone. The panel offers exactly that, and the service refuses anything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from gatewatch.core import wording
from gatewatch.core.people import Role
from gatewatch.core.state import State
from gatewatch.service.permissions import POSTS_ANYONE, Actor


@dataclass(frozen=True, slots=True)
class DutyPanel:
    """What the panel shows: the posts, the guards to name, the user's own posts, the weather."""

    posts: tuple[tuple[str, str], ...]
    guards: tuple[tuple[str, str], ...]
    names_anyone: bool
    own_posts: tuple[str, ...]
    weather: str


def duty_panel(state: State, user: Actor, zone: tzinfo) -> DutyPanel:
    site = state.site
    guards = sorted((p.id, wording.person(state, p.id)) for p in state.people.values() if p.role is Role.GUARD)
    own = sorted(state.posts_of.get(user.person, frozenset())) if user.person else []
    return DutyPanel(
        posts=tuple((post.id, wording.post(state, post.id)) for post in site.posts.values()),
        guards=tuple(guards),
        names_anyone=user.role in POSTS_ANYONE,
        own_posts=tuple(wording.post(state, post) for post in own),
        weather=weather_now(state, zone),
    )


def weather_now(state: State, zone: tzinfo) -> str:
    """The last temperature recorded, and when, in the site's time zone."""
    if state.weather is None:
        return "no temperature recorded yet"
    at, temp_c = state.weather
    return f"{temp_c:g} °C at {at.astimezone(zone):%Y-%m-%d %H:%M}"


def temperature(text: str) -> float:
    """A temperature typed in a form ("23", "-4.5", "23,5"): ValueError names the field and the problem."""
    cleaned = text.strip().replace(",", ".").removesuffix("°C").removesuffix("C").strip()
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(
            f"field 'temp_c': \"{text.strip()}\" is not a temperature; give degrees Celsius, e.g. 23.5"
        ) from None
    if not -90 <= value <= 60:
        raise ValueError(f"field 'temp_c': {value:g} °C is not a temperature at a door; give degrees Celsius")
    return value
