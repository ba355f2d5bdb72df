"""py-spy on a running server for ``bench/service.py --profile``: record, then the hottest functions."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PY_SPY = Path(sys.executable).parent / "py-spy"


@dataclass
class Profiled:
    """The collapsed stacks py-spy recorded (filled in when the recording ends)."""

    stacks: str = ""


@contextmanager
def record_profile(pid: int, seconds: float) -> Iterator[Profiled]:
    """Sample ``pid`` for ``seconds`` while the caller works: the thread holding the GIL (Python at work)."""
    profiled = Profiled()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "stacks.txt"
        spy = subprocess.Popen(
            [str(PY_SPY), "record", "--pid", str(pid), "--duration", f"{seconds:.0f}", "--rate", "200",
             "--format", "raw", "--gil", "--nonblocking", "--output", str(out)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        try:
            yield profiled
        finally:
            _, problem = spy.communicate(timeout=seconds + 60)
        if spy.returncode != 0 or not out.exists():
            raise RuntimeError(f"py-spy failed: {problem.decode()[-1000:]}")
        profiled.stacks = out.read_text(encoding="utf-8")


def hottest(collapsed: str, top: int) -> list[tuple[str, float, float]]:
    """From collapsed stacks (``frame;frame;... count``): each function's share of samples, own and with callees."""
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    samples = 0
    for line in collapsed.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_short(frame) for frame in stack.split(";")]
        samples += count
        own[frames[-1]] += count
        for frame in set(frames):
            total[frame] += count
    if not samples:
        return []
    return [(name, count / samples, total[name] / samples) for name, count in own.most_common(top)]


def _short(frame: str) -> str:
    """``function (path/to/module.py:line)`` as ``function (module.py)``: one name per function."""
    name, _, where = frame.partition(" (")
    path = where.rstrip(")").rsplit(":", 1)[0]
    parts = Path(path).parts
    return f"{name} ({'/'.join(parts[-2:])})" if parts else name
