"""The name-data process: it answers as rigour does here, comes back when killed, gives way to
this process when it cannot start, and never outlives its server."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from gatewatch.core.name_symbols import NOTHING, looked_up_here
from gatewatch.service.name_data import NameData, NameDataUnavailable
from gatewatch.service.name_parts import parts_of

LOCALES = ("en_US", "en_GB", "es_ES", "pt_BR", "it_IT", "fr_FR", "de_DE", "ru_RU", "ar_AA", "tr_TR", "zh_CN", "ko_KR")


def real_parts(per_locale: int = 30) -> list[str]:
    """Name parts of names written in a dozen locales (Faker's name lists), as the matcher cuts them."""
    from faker import Faker

    found: dict[str, None] = {}
    for locale in LOCALES:
        fake = Faker(locale)
        fake.seed_instance(12)
        for _ in range(per_locale):
            found.update(dict.fromkeys(parts_of(fake.name())))
    found.update(dict.fromkeys(["natalia", "natalya", "robert", "bob", "margaret", "maggie", "лев", "leon"]))
    return list(found)


def gone(pid: int) -> bool:
    """The process has ended (reaped, or a zombie waiting to be)."""
    status = Path(f"/proc/{pid}/status")
    try:
        return "\nState:\tZ" in status.read_text()
    except FileNotFoundError:
        return True


@pytest.fixture(scope="module")
def name_data() -> Iterator[NameData]:
    found = NameData()
    found.start()
    try:
        yield found
    finally:
        found.stop()


@pytest.mark.slow
def test_the_child_answers_every_part_as_rigour_does_here(name_data: NameData) -> None:
    parts = real_parts()
    assert len(parts) >= 300
    apart = name_data.lookup(parts)
    here = looked_up_here(parts)
    assert name_data.state == "ready"
    assert [(p, apart[p]) for p in parts] == [(p, here[p]) for p in parts]
    assert sum(bool(s.names or s.nicknames) for s in here.values()) >= 100  # the data was really asked
    assert apart["bob"].nicknames & apart["robert"].nicknames


@pytest.mark.slow
def test_a_killed_child_is_replaced_and_the_question_answered(name_data: NameData) -> None:
    assert name_data.wait_ready(120)
    first, restarts = name_data.pid, name_data.restarts
    assert first is not None
    os.kill(first, signal.SIGKILL)
    answer = name_data.lookup(["margaret", "maggie"])  # waits for the next child
    assert answer["margaret"].nicknames & answer["maggie"].nicknames
    assert name_data.pid not in (None, first)
    assert name_data.restarts == restarts + 1
    assert gone(first)


def test_a_stopped_name_data_leaves_no_child_and_answers_no_more() -> None:
    found = NameData()
    found.start()
    pid = found.pid
    assert pid is not None and found.state == "starting"
    found.stop()  # while the child builds
    assert gone(pid)
    assert found.state == "stopped" and found.pid is None
    with pytest.raises(NameDataUnavailable, match="stopped"):
        found.lookup(["margaret"])


def test_parts_are_bounded() -> None:
    found = NameData(wait_within_s=0.1)  # never started: a part sent to the child would be refused
    assert found.lookup(["x" * 201]) == {"x" * 201: NOTHING}  # longer than any name in the data


@pytest.mark.slow
def test_a_child_that_is_never_ready_in_time_gives_way_to_this_process(caplog: pytest.LogCaptureFixture) -> None:
    found = NameData(ready_within_s=0.05, attempts=2)
    with caplog.at_level(logging.WARNING, "gatewatch.names"):
        found.start()
        answer = found.lookup(["robert", "bob"])
    assert found.state == "here" and found.pid is None and found.restarts == 1
    assert answer == looked_up_here(["robert", "bob"])
    assert "could not start 2 times" in caplog.text
    assert "holds the interpreter for about six seconds" in caplog.text and "430 MB" in caplog.text
    found.stop()


CHILD_OF_A_KILLED_SERVER = textwrap.dedent(
    """
    import sys, time
    from gatewatch.service.name_data import NameData

    if __name__ == "__main__":
        names = NameData()
        names.start()
        if sys.argv[1] == "ready":
            names.wait_ready(120)
        print(names.pid, flush=True)
        time.sleep(600)
    """
)


@pytest.mark.slow
@pytest.mark.parametrize("when", ["building", "ready"])
def test_a_server_killed_outright_leaves_no_child(tmp_path: Path, when: str) -> None:
    script = tmp_path / "server.py"
    script.write_text(CHILD_OF_A_KILLED_SERVER)
    server = subprocess.Popen([sys.executable, str(script), when], stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    child = int(server.stdout.readline())
    assert not gone(child)
    server.send_signal(signal.SIGKILL)
    server.wait()
    for _ in range(600):  # a bound, not a timing: the child leaves once it finds the pipe closed
        if gone(child):
            break
        time.sleep(0.1)
    assert gone(child)
