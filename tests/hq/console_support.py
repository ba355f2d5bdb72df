"""Head office's console in tests: sites with real records ingested, a site that keeps local time,
the console served on a free port, and Debian's chromium.

The story every console test reads (``three_sites``): at **north** Frank Jacson shows passport
JX1940817 and arrives; at **south** Jacques Mornard shows the same passport (head office links the
two) and later a second one, BE-0417, which Pedro Ruiz showed at **east** (a second link, so east
is reached from north through south). East's chain stopped at entry 4. North keeps UTC; south
writes its times at UTC+02:00, so ordering by the written text would be wrong.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

from gatewatch.hq.store import OfficeStore
from gatewatch.store.chain import Entry
from gatewatch.store.log import Submission
from hq.conftest import ARRIVED, SiteRecord

CHROMIUM = os.environ.get("GATEWATCH_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
EAST_PROBLEM = "entry 4 (east-e4): altered"
SITE_NAMES = {"north": "Casa Norte", "south": "Puerta Sur", "east": "Portón Este"}


class LocalRecord(SiteRecord):
    """A site's record whose times are written at the site's own UTC offset (``+02:00``), an hour
    and a minute apart from each other as ``SiteRecord``'s are, and two hours later on the clock."""

    offset_hours = 2

    def record(self, type_: str, person: str | dict[str, Any] | None = None, **fields: Any) -> Entry:
        self._count += 1
        minute = self._count
        at = f"2024-06-03T{8 + self.offset_hours + minute // 60:02d}:{minute % 60:02d}:30+{self.offset_hours:02d}:00"
        event_id = f"{self.site}-e{self._count}"
        payload: dict[str, Any] = {"type": type_, "id": event_id, "at": at, **fields}
        if person is not None:
            payload["person"] = person
        outcome = {"at": at, "decision": None, "reasons": [], "alerts": []}
        submission = Submission(event_id, type_, at, payload, outcome, "g1", at)
        return self.log.append(submission).entry


@dataclass(frozen=True)
class Story:
    office: OfficeStore
    link_ids: list[int]


def three_sites(office: OfficeStore, folder: Path, site_record: Callable[[str], SiteRecord]) -> Story:
    """The three sites of the story, ingested (see the module's docstring)."""
    for site, name in SITE_NAMES.items():
        office.add_site(site, name)
    north = site_record("north")
    south = LocalRecord("south", folder / "site-south-local")
    east = site_record("east")
    try:
        north.identify("jacson", "Frank Jacson", "JX1940817", country="CA")  # 08:01 UTC
        north.record("arrive", None, people=["jacson"], door="outer")  # 08:02 UTC
        north.fill(2)
        east.fill(2)
        east.identify("pedro", "Pedro Ruiz", "BE0417", country="BE")  # 08:03 UTC
        links = office.ingest([*north.shipped(), *east.shipped()], ARRIVED)
        south.record("leave", None, people=["someone"])  # 10:01:30+02:00 = 08:01:30 UTC
        south.identify("mornard", "Jacques Mornard", "JX1940817", country="CA")  # 08:02:30 UTC
        south.identify("mornard", None, "BE0417", country="BE")  # 08:03:30 UTC
        links += office.ingest(south.shipped(), "2024-06-03T12:00:00+00:00")
        office.stop_site("east", 4, EAST_PROBLEM, 4, at="2024-06-03T12:30:00+00:00")
        office.record_pending("north", 7, at="2024-06-03T12:31:00+00:00")
    finally:
        south.log.close()
    return Story(office, links)


# --- the console served, and a browser -------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(app: FastAPI) -> Iterator[str]:
    """``app`` served by uvicorn in a thread on a free loopback port; its base URL."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning"))
    thread = threading.Thread(target=server.run, name="hq-console-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the console did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(10)


def launched_chromium() -> Iterator[Any]:
    """Debian's chromium, driven by Playwright, for a fixture to yield from (the test is skipped
    where it is not installed; under CI it fails)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            raise RuntimeError(f"no chromium at {CHROMIUM}: .ci/run installs Debian's chromium")
        pytest.skip("Debian's chromium is not installed")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()
