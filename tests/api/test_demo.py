"""``make demo``'s script: it creates the users, prints how to sign in and a curl example, and
serves the Coyoacán site; the printed example works as printed."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from api.server import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_demo_serves_the_example_site_and_its_printed_example_works(tmp_path: Path) -> None:
    port = free_port()
    environment = {**os.environ, "DATA": str(tmp_path / "demo"), "PORT": str(port)}
    demo = subprocess.Popen(
        [str(ROOT / "scripts" / "demo.sh")], cwd=ROOT, env=environment, stdout=subprocess.PIPE, text=True
    )
    try:
        printed = _read_until(demo, "Stop with Ctrl-C")
        assert re.search(r"harte\s+\(guard\)\s+password \S+", printed)
        assert (tmp_path / "demo" / "credentials").stat().st_mode & 0o077 == 0
        _wait_for(f"http://127.0.0.1:{port}/v1/health")
        script = " ".join(_example(printed))
        ran = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60)
        assert ran.returncode == 0, ran.stderr
        assert '"decision":"deny"' in ran.stdout and "NOT_SCREENED" in ran.stdout
    finally:
        demo.terminate()
        demo.wait(10)


def _read_until(process: subprocess.Popen[str], marker: str) -> str:
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(line)
        if marker in line:
            break
    return "".join(lines)


def _example(printed: str) -> list[str]:
    """The printed commands, joined into lines a shell runs (continuations kept together)."""
    block = printed.split("Try it", 1)[1].split("Stop with", 1)[0]
    commands: list[str] = []
    pending = ""
    for raw in block.splitlines()[1:]:
        line = raw.strip()
        if not line:
            continue
        pending += line[:-1] + " " if line.endswith("\\") else line
        if not line.endswith("\\"):
            commands.append(pending + ";")
            pending = ""
    assert all(shlex.split(c) for c in commands)
    return commands


def _wait_for(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")
