"""A site cut off from head office for a day of events keeps deciding, then catches up whole:
nothing lost, nothing doubled, the chain verifies."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from multisite.office import Deployment, HeadOffice
from multisite.sites import Site

DAY_EVENTS = 1_200
CATCH_UP_S = 240.0


@pytest.mark.slow
def test_a_site_cut_off_for_a_day_catches_up_with_nothing_lost_or_doubled(
    office: HeadOffice, make_site: Callable[[str], Site]
) -> None:
    site = make_site("north")
    deployment = Deployment.start(office, [site])
    try:
        site.record(site.next_day(30, seed=1, span=timedelta(hours=2)))
        deployment.wait_caught_up(60)
        before = office.count(site.id)

        sync = deployment.syncs[site.id]
        assert sync.stop() == 0, sync.output()
        day = site.next_day(DAY_EVENTS, seed=2)
        site.record(day)
        recorded = site.entries()
        assert len(recorded) >= before + DAY_EVENTS
        spanned = datetime.fromisoformat(recorded[-1].at) - datetime.fromisoformat(recorded[before].at)
        assert spanned > timedelta(hours=23), f"the day recorded spans only {spanned}"
        assert office.count(site.id) == before, "entries reached head office while the site was cut off"

        sync.start()
        deployment.wait_caught_up(CATCH_UP_S)
        deployment.assert_holds_exactly(site)
    finally:
        deployment.stop()
