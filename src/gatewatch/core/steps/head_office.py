"""What head office tells the site: a link to a person at another site (``rules.site_link``).

A link brings no one to the site: the person it names here is not met as an arrival would meet
them (the engine does not make a stranger of an id the record no longer knows), and the other
site's person is that site's, not this one's.
"""

from __future__ import annotations

from gatewatch.core import events as ev
from gatewatch.core.outcome import Effect
from gatewatch.core.rules import site_link
from gatewatch.core.state import State


def linked(state: State, event: ev.SiteLink) -> Effect:
    return Effect(state, (site_link.check(state, event),))
