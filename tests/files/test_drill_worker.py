"""A drill played in a worker process: the same result as played here, refusals named, and a
worker past its time killed."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from files.drill_texts import DRILL, laughs, many_events
from gatewatch.core.parse import build_site
from gatewatch.core.site import Site
from gatewatch.files import drill_worker
from gatewatch.files.drill_worker import NotPlayed, PlayedDrill, play_apart, play_bytes
from gatewatch.files.loader import DRILL_LIMITS, time_zone
from support import SITE_YAML


@pytest.fixture(scope="module")
def site() -> tuple[Site, ZoneInfo]:
    built = build_site(yaml.safe_load(SITE_YAML))
    return built, time_zone(built)


def no_worker_left() -> bool:
    """No process started by this one is still running (or unreaped as) a drill worker."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if parent == os.getpid() and b"gatewatch.files.drill_worker" in command:
            return False
    return True


def test_a_drill_played_apart_is_the_drill_played_here(site: tuple[Site, ZoneInfo]) -> None:
    content = many_events(1_200).encode()
    apart = play_apart("many.yaml", content, *site)
    assert isinstance(apart, PlayedDrill)
    assert apart == play_bytes("many.yaml", content, *site, DRILL_LIMITS)
    assert apart.drill.id == "many" and apart.passed and len(apart.steps) == 1_200
    event, said, outcome = apart.steps[0]
    assert event.id == "s0" and said and [alert.code.value for alert in outcome.alerts] == ["DOOR_FORCED"]
    assert no_worker_left()


def test_a_failed_check_comes_back_failed(site: tuple[Site, ZoneInfo]) -> None:
    apart = play_apart("forced.yaml", DRILL.replace("DOOR_FORCED", "UNAUTHORIZED_ENTRY").encode(), *site)
    assert isinstance(apart, PlayedDrill) and not apart.passed
    assert [check.met for check in apart.checks] == [False]


def test_the_alias_bomb_is_refused_by_the_worker_naming_the_file_and_limit(site: tuple[Site, ZoneInfo]) -> None:
    refused = play_apart("bomb.yaml", laughs(8).encode(), *site)
    assert refused == NotPlayed("bomb.yaml: line 9, column 5: aliases expand to more than 1,048,576 values")


def test_a_drill_with_a_mistake_is_refused_naming_the_event_and_field(site: tuple[Site, ZoneInfo]) -> None:
    refused = play_apart("forced.yaml", DRILL.replace("door: side", "door: sid").encode(), *site)
    assert isinstance(refused, NotPlayed)
    assert refused.problem.startswith("forced.yaml: event f1, field 'door': unknown door \"sid\"")


def test_a_worker_past_its_time_is_killed_and_says_so(site: tuple[Site, ZoneInfo]) -> None:
    content = many_events(6_000).encode()
    answers: list[PlayedDrill | NotPlayed] = []
    waiting = threading.Thread(target=lambda: answers.append(play_apart("long.yaml", content, *site, seconds=1.5)))
    waiting.start()
    seen_working = False
    while waiting.is_alive() and not seen_working:
        seen_working = not no_worker_left()
    waiting.join()
    assert seen_working
    assert answers == [NotPlayed("long.yaml: stopped after 1.5 s, the time a drill may take; it was not finished")]
    assert no_worker_left()
    given_time = play_apart("long.yaml", content, *site, seconds=120)
    assert isinstance(given_time, PlayedDrill) and given_time.passed


def test_a_second_drill_while_one_is_played_is_refused_at_once(site: tuple[Site, ZoneInfo]) -> None:
    """Waiting drills would hold the server's worker threads (health, the stream): refuse them."""
    assert drill_worker._one_at_a_time.acquire(blocking=False)  # a drill is being played
    try:
        answer = play_apart("second.yaml", DRILL.encode(), *site, seconds=60)
        assert isinstance(answer, NotPlayed)
        assert answer.problem == "second.yaml: not run: another drill is being played; try again when it has ended"
    finally:
        drill_worker._one_at_a_time.release()
    assert isinstance(play_apart("second.yaml", DRILL.encode(), *site, seconds=60), PlayedDrill)
