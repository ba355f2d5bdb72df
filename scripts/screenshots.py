"""Screenshots of every console page at tablet (1024 px) and phone (390 px) widths.

Serves the Coyoacán example site with the long approach (February to August 1940) in its
record, signs in as the lead, and saves ``PAGE-WIDTH.png`` into the folder given.

    python scripts/screenshots.py docs/screenshots
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

from gatewatch.core.events import AllClear
from gatewatch.files.loader import load_drill
from gatewatch.service.desk import Desk
from gatewatch.store.log import EventLog, database_url

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "examples" / "coyoacan" / "site.yaml"
HISTORY = ROOT / "examples" / "coyoacan" / "1940-08-20-long-approach.yaml"
GATEWATCH = str(Path(sys.executable).parent / "gatewatch")
WIDTHS = (1024, 390)
PAGES = (
    ("board", "/board"),
    ("gate", "/gate"),
    ("alerts", "/alerts"),
    ("people", "/people?q=jacson"),
    ("person", "/people/jacson"),
    ("watchlists", "/watchlists"),
    ("invitations", "/invitations"),
    ("drills", "/drills"),
    ("muster", "/muster"),
)


def prepare(data: Path) -> None:
    for name, role, person in (("hansen", "lead", "hansen"), ("harte", "guard", "harte")):
        subprocess.run(
            [GATEWATCH, "user", "add", name, "--role", role, "--person", person, "--data", str(data)],
            input=f"{name}-password\n",
            text=True,
            check=True,
            capture_output=True,
        )
    drill = load_drill(HISTORY)
    desk = Desk.open(drill.site, EventLog.open(database_url(data)))
    received = datetime(1940, 8, 21, tzinfo=UTC)
    for event in drill.events:
        desk.submit(event, "history", received)
    desk.submit(AllClear(id="all-clear", at=drill.events[-1].at + timedelta(hours=2), by="hansen"), "history", received)
    desk.log.close()
    court = ROOT / "examples" / "coyoacan" / "court-orders.csv"
    for command in (
        ["watchlist", "import", str(court), "--list", "court orders", "--published", "1940-05-25", "--by", "hansen"],
        ["screen", "SIQUEIROS, David A.", "--site", str(SITE), "--by", "hansen"],
        ["screen", "Natalia Sedova", "--site", str(SITE), "--by", "harte"],
    ):
        subprocess.run([GATEWATCH, *command, "--data", str(data)], check=False, capture_output=True)


def serve(data: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([GATEWATCH, "serve", "--site", str(SITE), "--data", str(data), "--port", str(port)])
    url = f"http://127.0.0.1:{port}"
    for _ in range(1800):  # a busy machine replays the history slowly
        try:
            if httpx.get(f"{url}/v1/health", timeout=1).status_code == 200:
                return server, url
        except httpx.TransportError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the server did not answer")


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        prepare(data)
        server, url = serve(data)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
                for width in WIDTHS:
                    context = browser.new_context(viewport={"width": width, "height": 900}, base_url=url)
                    page = context.new_page()
                    page.goto("/login")
                    page.screenshot(path=out / f"login-{width}.png", full_page=True)
                    page.fill("input[name=name]", "hansen")
                    page.fill("input[name=password]", "hansen-password")
                    page.click("button[type=submit]")
                    page.wait_for_url("**/board")
                    for name, path in PAGES:
                        page.goto(path)
                        page.wait_for_load_state("networkidle")
                        page.screenshot(path=out / f"{name}-{width}.png", full_page=True)
                    context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait()
    print(f"{len(PAGES) + 1} pages at {', '.join(map(str, WIDTHS))} px in {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
