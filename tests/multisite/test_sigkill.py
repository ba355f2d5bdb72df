"""SIGKILL the sites' sync and head office's ``hq serve`` at random points while entries flow, restart
each: head office ends with exactly every site's record, nothing lost, nothing doubled, verified.

The points are drawn from ``random.Random(seed)``; the seed is printed (set GATEWATCH_TEST_SEED to
replay a run).
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest

from multisite import jetstream
from multisite.office import Deployment, HeadOffice
from multisite.running import Process
from multisite.sites import Site

SITES = ("north", "south")
EVENTS_PER_SITE = 1_500
CHUNK = 50
"""Events a site records at once, then a pause: entries keep flowing while processes die."""
PAUSE_S = 0.4
KILLS = 6
AIM_S = 3.0
"""How long a kill of head office may wait for it to hold entries it has not acknowledged yet."""
AIM_AT = 10
"""How many such entries it should hold when it is killed (then it dies with them in flight)."""
CATCH_UP_S = 360.0


def keep_recording(site: Site, seed: int, failures: list[BaseException]) -> threading.Thread:
    """A thread recording a day of events at the site, a few at a time."""
    day = site.next_day(EVENTS_PER_SITE, seed=seed)

    def record() -> None:
        try:
            for start in range(0, len(day), CHUNK):
                site.record(day[start : start + CHUNK])
                time.sleep(PAUSE_S)
        except BaseException as error:  # the test reports it
            failures.append(error)

    thread = threading.Thread(target=record, name=f"record-{site.id}", daemon=True)
    thread.start()
    return thread


def victims_in_turn(victims: dict[str, Process], chooser: random.Random) -> Iterator[str]:
    """Which process dies next: rounds in which each dies once, in a random order."""
    names = sorted(victims)
    while True:
        yield from chooser.sample(names, len(names))


def kill_and_restart(victim: Process, chooser: random.Random, aim: Callable[[Callable[[], None]], bool] | None) -> bool:
    """The process killed after a random wait, and started again after another.

    ``aim``: kills it at the right moment after the wait (head office holding entries it has not
    acknowledged yet); whether that moment came.
    """
    time.sleep(chooser.uniform(0.3, 3.0))
    aimed = aim(victim.kill) if aim is not None else False
    victim.kill()
    time.sleep(chooser.uniform(0.0, 1.5))
    victim.start()
    return aimed


@pytest.mark.slow
def test_sigkill_at_random_points_loses_and_doubles_nothing(
    office: HeadOffice, make_site: Callable[[str], Site]
) -> None:
    seed = int(os.environ.get("GATEWATCH_TEST_SEED", random.randrange(2**32)))
    print(f"random points from seed {seed} (GATEWATCH_TEST_SEED={seed} replays them)")
    chooser = random.Random(seed)
    sites = [make_site(name) for name in SITES]
    deployment = Deployment.start(office, sites)
    try:
        for number, site in enumerate(sites, start=1):
            site.record(site.next_day(20, seed=number, span=timedelta(hours=1)))
        deployment.wait_caught_up(60)

        failures: list[BaseException] = []
        writers = [keep_recording(site, 100 + number, failures) for number, site in enumerate(sites)]
        assert deployment.office.serving is not None
        victims = {"hq serve": deployment.office.serving, **{f"sync {n}": p for n, p in deployment.syncs.items()}}
        said: list[str] = []
        turns = victims_in_turn(victims, chooser)

        def in_flight(kill: Callable[[], None]) -> bool:
            return jetstream.kill_in_flight(office.nats, office.topology, list(SITES), kill, AIM_S, AIM_AT)

        while len(said) < KILLS or any(writer.is_alive() for writer in writers):
            name = next(turns)
            aimed = kill_and_restart(victims[name], chooser, in_flight if name == "hq serve" else None)
            said.append(f"killed {name} (run {victims[name].starts - 1}{', entries in flight' if aimed else ''})")
        for writer in writers:
            writer.join()
        print("; ".join(said))
        assert any("in flight" in kill for kill in said), "head office was never killed holding entries in flight"
        assert not failures, failures
        assert all(process.alive() for process in victims.values()), deployment.show()

        deployment.wait_caught_up(CATCH_UP_S)
        for site in sites:
            deployment.assert_holds_exactly(site)
    finally:
        deployment.stop()
