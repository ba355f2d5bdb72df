"""The console in a real browser: Debian's chromium driven by Playwright, against a real
``gatewatch serve`` on the Coyoacán example site, with the long approach already recorded."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from api.server import Server, add_user
from gatewatch.core.events import AllClear
from gatewatch.files.loader import load_drill
from gatewatch.service.desk import Desk
from gatewatch.store.log import EventLog, database_url

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "examples" / "coyoacan" / "site.yaml"
LONG_APPROACH = ROOT / "examples" / "coyoacan" / "1940-08-20-long-approach.yaml"
CHROMIUM = os.environ.get("GATEWATCH_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
PASSWORDS = {"harte": "harte-password", "hansen": "hansen-password"}


def today_at_site() -> str:
    return datetime.now(UTC).astimezone(ZoneInfo("America/Mexico_City")).date().isoformat()


def record_history(data: Path) -> None:
    """The long approach (February to August 1940) in the record, as the desk decided it."""
    drill = load_drill(LONG_APPROACH)
    desk = Desk.open(drill.site, EventLog.open(database_url(data)))
    for event in drill.events:
        desk.submit(event, "history", datetime(1940, 8, 21, tzinfo=UTC))
    after = drill.events[-1].at + timedelta(hours=2)  # the lockdown that ended the day is over
    desk.submit(AllClear(id="history-all-clear", at=after, by="hansen"), "history", datetime(1940, 8, 21, tzinfo=UTC))
    desk.log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server per test module (replaying the history costs seconds): tests run in file order,
    and those that put the site in lockdown come last."""
    data = tmp_path_factory.mktemp("console") / "data"
    add_user(data, "harte", "guard", "harte", PASSWORDS["harte"])
    add_user(data, "hansen", "lead", "hansen", PASSWORDS["hansen"])
    record_history(data)
    running = Server(SITE, data).start(timeout=180)  # a shared machine under load starts slowly
    yield running
    running.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            raise RuntimeError(f"no chromium at {CHROMIUM}: .ci/run installs Debian's chromium")
        pytest.skip("Debian's chromium is not installed")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


def sign_in(browser: object, server: Server, name: str, width: int = 1024) -> object:
    """A new browser context, signed in through the sign-in page."""
    context = browser.new_context(viewport={"width": width, "height": 900}, base_url=server.url)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto("/board")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORDS[name])
    page.click("button[type=submit]")
    page.wait_for_url("**/board")
    return page


def api_client(server: Server, name: str) -> httpx.Client:
    return httpx.Client(base_url=server.url, headers=server.login(name, PASSWORDS[name]), timeout=10)
