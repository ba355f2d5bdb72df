"""The name-data process under attack: over-long parts, a child never ready, a late answer,
many callers at once, and many restarts; no caller hangs, and no caller reads another's answer."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path

import pytest
from test_name_data import real_parts

from gatewatch.core.name_symbols import NOTHING, PartSymbols, looked_up_here
from gatewatch.service.name_data import PART_CHARS_MOST, NameData, NameDataUnavailable
from gatewatch.service.name_parts import parts_of

LONG_NAME = "щ" * 200
"""A name of the longest length intake accepts, whose one part is four times longer once transliterated."""


def in_a_thread(call: object, within_s: float) -> object:
    """Run ``call`` in a thread and return what it returned or raised; fail (not hang) after ``within_s``."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(call())  # type: ignore[operator]
        except Exception as error:  # what the caller saw is what the test checks
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(within_s)
    assert outcome, f"still waiting after {within_s} s"
    return outcome[0]


def test_a_transliterated_part_longer_than_the_bound_is_known_as_nothing_without_asking() -> None:
    (part,) = parts_of(LONG_NAME)
    assert len(part) > PART_CHARS_MOST
    found = NameData(wait_within_s=0.1)  # never started: asking the child would be refused
    assert found.lookup([part]) == {part: NOTHING}
    with pytest.raises(ValueError, match="a name part is a string"):
        found.lookup([3])  # type: ignore[list-item]


def test_a_lookup_is_refused_when_no_child_becomes_ready_in_time() -> None:
    found = NameData(wait_within_s=0.2)  # never started: no child will say it is ready
    outcome = in_a_thread(lambda: found.lookup(["margaret"]), within_s=10)
    assert isinstance(outcome, NameDataUnavailable)
    assert "not ready in 0.2 s" in str(outcome)
    assert found.waiting == 0


def _answers(pipe: Connection, late_s: float = 0.0) -> None:
    """Play a ready child: answer each batch (the first ``late_s`` late) until the pipe closes."""
    try:
        first = True
        while True:
            parts = pipe.recv()
            if first:
                time.sleep(late_s)
                first = False
            pipe.send({part: ((f"id:{part}",), ()) for part in parts})
    except (EOFError, OSError):
        return


def test_a_late_answer_is_never_read_by_the_next_caller() -> None:
    found = NameData(answer_within_s=0.2, wait_within_s=5)
    late_ours, late_theirs = multiprocessing.Pipe()
    next_ours, next_theirs = multiprocessing.Pipe()
    threading.Thread(target=_answers, args=(late_theirs, 0.3), daemon=True).start()
    threading.Thread(target=_answers, args=(next_theirs,), daemon=True).start()
    found._pipe, found._state = late_ours, "ready"

    def keeper() -> None:  # plays the keeper: once the late child is given up, the next one is ready
        while found.state != "starting":
            time.sleep(0.01)
        with found._changed:
            found._pipe, found._state = next_ours, "ready"
            found._changed.notify_all()

    threading.Thread(target=keeper, daemon=True).start()
    first: list[object] = []
    asking_first = threading.Thread(target=lambda: first.append(in_a_thread(lambda: found.lookup(["anna"]), 10)))
    asking_first.start()
    time.sleep(0.05)  # the first caller holds the pipe; the second waits its turn
    second = in_a_thread(lambda: found.lookup(["boris"]), within_s=10)
    asking_first.join(10)
    assert second == {"boris": looked_up_part("boris")}
    assert first == [{"anna": looked_up_part("anna")}]


def looked_up_part(part: str) -> PartSymbols:
    """What the played child answers for ``part``."""
    return PartSymbols(frozenset({f"id:{part}"}), frozenset())


@pytest.fixture(scope="module")
def name_data() -> Iterator[NameData]:
    found = NameData()
    found.start()
    try:
        assert found.wait_ready(120)
        yield found
    finally:
        found.stop()


@pytest.mark.slow
def test_many_callers_at_once_each_get_their_own_answers(name_data: NameData) -> None:
    parts = real_parts()
    expected = name_data.lookup(parts)
    slices = [parts[i::8] for i in range(8)]
    wrong: list[str] = []
    start = threading.Barrier(len(slices))

    def ask(mine: list[str]) -> None:
        start.wait()
        for _ in range(20):
            answer = name_data.lookup(mine)
            if set(answer) != set(mine) or any(answer[p] != expected[p] for p in mine):
                wrong.append(mine[0])

    callers = [threading.Thread(target=ask, args=(mine,)) for mine in slices]
    for caller in callers:
        caller.start()
    for caller in callers:
        caller.join(120)
    assert not any(caller.is_alive() for caller in callers)
    assert wrong == []
    assert sum(bool(s.names or s.nicknames) for s in expected.values()) >= 100


@pytest.mark.slow
def test_an_over_long_part_is_known_as_nothing_here_too() -> None:
    (part,) = parts_of(LONG_NAME)
    assert looked_up_here([part]) == {part: NOTHING}


def _open_files() -> int:
    return len(list(Path("/proc/self/fd").iterdir()))


@pytest.mark.slow
def test_restarts_leak_no_files_and_no_threads(name_data: NameData) -> None:
    name_data.lookup(["margaret"])
    files, threads = _open_files(), threading.active_count()
    for _ in range(3):
        pid = name_data.pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        assert name_data.lookup(["maggie"])["maggie"].nicknames  # asked of the next child
    assert _open_files() <= files
    assert threading.active_count() <= threads
