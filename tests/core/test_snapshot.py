"""Snapshots keep the engine's answers, in the site's own time zone too."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import yaml

from gatewatch.core import snapshot
from gatewatch.core.engine import step
from gatewatch.core.parse import build_site, parse_events
from gatewatch.core.state import initial_state
from support import SITE_YAML

MEXICO = ZoneInfo("America/Mexico_City")


def test_a_hot_day_survives_a_snapshot_late_in_the_evening() -> None:
    """At 18:30 in Mexico City it is already tomorrow in UTC: 'reported today' must not change."""
    raw = yaml.safe_load(SITE_YAML) | {"timezone": "America/Mexico_City"}
    site = build_site(raw)
    first, second = parse_events(
        yaml.safe_load("""
- {id: w1, at: "1940-08-20T18:30", type: weather, temp_c: 31}
- {id: a1, at: "19:00", type: arrive, people: [vic], door: outer, wearing: [raincoat]}
"""),
        site,
        MEXICO,
        datetime(1940, 8, 20, tzinfo=MEXICO),
    )
    state, _ = step(initial_state(site), first)
    restored = snapshot.load(snapshot.dump(state), site)
    assert restored == state
    _, outcome = step(restored, second)
    assert [a.code.value for a in outcome.alerts] == ["CONCERNING_BEHAVIOR"]
