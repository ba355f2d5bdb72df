"""Head office's console: the token and signing in, every page behind it, and the pages read in a
real browser (Debian's chromium) on a phone and a tablet."""

from __future__ import annotations

import re
import stat
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from gatewatch.hq.console import TokenFileError, attach, ensure_token, pages, sign_in_url
from gatewatch.hq.console.pages import SESSION_COOKIE, STATIC
from gatewatch.hq.console.token import SESSION_S, TokenKeeper
from gatewatch.hq.store import OfficeStore
from gatewatch.store.limits import StoreLimits
from gatewatch.store.log import Submission
from hq.conftest import ARRIVED, SiteRecord
from hq.console_support import EAST_PROBLEM, launched_chromium, served, three_sites

Make = Callable[[str], SiteRecord]
TEMPLATES = Path(STATIC).parent / "templates"
PAGES = ("/", "/sites/live", "/alerts", "/links", "/people/north/jacson")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launched_chromium()


@pytest.fixture
def token_file(tmp_path: Path) -> Path:
    return tmp_path / "office" / "console.token"


@pytest.fixture
def console(office: OfficeStore, token_file: Path, site_record: Make, tmp_path: Path) -> Iterator[TestClient]:
    three_sites(office, tmp_path, site_record)
    app = FastAPI()
    attach(app, office, token_file)
    with TestClient(app, follow_redirects=False) as client:
        yield client


def signed_in(client: TestClient, token_file: Path) -> TestClient:
    answer = client.get(f"/sign-in?token={token_file.read_text().strip()}")
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    return client


# --- the token -------------------------------------------------------------------------------


def test_the_token_is_made_once_readable_by_its_owner_only(token_file: Path) -> None:
    token = ensure_token(token_file)
    assert re.fullmatch(r"[0-9a-f]{64}", token)
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert ensure_token(token_file) == token
    assert ensure_token(token_file.with_name("other.token")) != token


def test_a_token_file_others_may_read_or_that_holds_no_token_is_refused(token_file: Path) -> None:
    ensure_token(token_file)
    token_file.chmod(0o644)
    with pytest.raises(TokenFileError, match=r"may be read by others \(mode 0644\): run chmod 600"):
        ensure_token(token_file)
    token_file.write_text("not a token\n")
    token_file.chmod(0o600)
    with pytest.raises(TokenFileError, match=r"does not hold a token \(64 hex digits\): delete it"):
        ensure_token(token_file)


def test_a_session_holds_no_token_and_lasts_its_hours(token_file: Path) -> None:
    keeper = TokenKeeper(token_file)
    made = keeper.session(now=1_000_000)
    assert keeper.token() not in made
    assert keeper.valid(made, now=1_000_000 + SESSION_S)
    assert not keeper.valid(made, now=1_000_000 + SESSION_S + 1)
    assert not keeper.valid(made.replace(made[-1], "0" if made[-1] != "0" else "1"), now=1_000_001)
    assert not keeper.valid("2000000." + made.split(".")[1], now=2_000_000)  # its time changed
    assert not keeper.valid(None) and not keeper.valid("") and not keeper.valid(keeper.token())


def test_a_new_token_ends_every_session(token_file: Path) -> None:
    keeper = TokenKeeper(token_file)
    made = keeper.session()
    assert keeper.valid(made)
    token_file.unlink()
    assert not keeper.valid(made) and token_file.exists()  # a new token was made at once
    assert keeper.matches(token_file.read_text())


# --- signing in ----------------------------------------------------------------------------------


def test_the_printed_link_signs_in_and_sets_a_strict_http_only_cookie(console: TestClient, token_file: Path) -> None:
    answer = console.get(sign_in_url("http://testserver/", token_file).removeprefix("http://testserver"))
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=") and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert token_file.read_text().strip() not in cookie
    assert f"Max-Age={SESSION_S}" in cookie and answer.headers["referrer-policy"] == "no-referrer"
    page = console.get("/")
    assert page.status_code == 200 and "Casa Norte" in page.text


def test_the_sign_in_form_signs_in_too(console: TestClient, token_file: Path) -> None:
    answer = console.post("/sign-in", data={"token": token_file.read_text().strip()})
    assert answer.status_code == 303 and SESSION_COOKIE in answer.cookies
    assert console.get("/links").status_code == 200


def test_a_wrong_token_is_refused(console: TestClient, token_file: Path) -> None:
    token = token_file.read_text().strip()
    for wrong in ("0" * 64, token[:-1], token + "0", ""):
        answer = console.get("/sign-in", params={"token": wrong})
        assert answer.status_code == 401, wrong
        assert "That is not head office&#39;s console token." in answer.text
        assert SESSION_COOKIE not in answer.cookies
    assert console.post("/sign-in", data={"token": "f" * 64}).status_code == 401
    assert console.get("/").status_code == 303
    assert console.get("/sign-in", params={"token": "a" * 201}).status_code == 422


def test_every_page_refuses_without_the_cookie(console: TestClient) -> None:
    for path in PAGES:
        answer = console.get(path)
        assert answer.status_code == 303 and answer.headers["location"] == "/sign-in", path
    console.cookies.set(SESSION_COOKIE, "1700000000." + "0" * 64)  # forged
    for path in PAGES:
        assert console.get(path).status_code == 303, path


def test_the_sign_in_page_says_where_the_token_is(console: TestClient) -> None:
    page = console.get("/sign-in")
    assert page.status_code == 200
    assert "console.token" in page.text and "gatewatch hq serve" in page.text


def test_signing_out_ends_the_session_in_this_browser(console: TestClient, token_file: Path) -> None:
    signed_in(console, token_file)
    answer = console.post("/sign-out")
    assert answer.status_code == 303 and answer.headers["location"] == "/sign-in"
    assert console.get("/").status_code == 303


# --- the pages --------------------------------------------------------------------------------------


def test_the_sites_page_and_its_live_table(console: TestClient, token_file: Path) -> None:
    signed_in(console, token_file)
    page = console.get("/")
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    assert page.headers["cache-control"] == "no-store"
    for name in ("Casa Norte", "Puerta Sur", "Portón Este"):
        assert name in page.text
    assert "stopped at entry 4</span>" in page.text and EAST_PROBLEM in page.text
    assert 'data-live="/sites/live"' in page.text
    live = console.get("/sites/live")
    assert live.status_code == 200 and "<html" not in live.text and 'data-site="north"' in live.text


def test_alerts_links_and_a_person_across_sites(console: TestClient, token_file: Path) -> None:
    signed_in(console, token_file)
    alerts = console.get("/alerts")
    assert "SITE_STOPPED" in alerts.text and f"site east stopped at entry 4: {EAST_PROBLEM}" in alerts.text
    links = console.get("/links")
    assert "Frank Jacson" in links.text and "Jacques Mornard" in links.text and "Pedro Ruiz" in links.text
    assert 'href="/people/south/mornard"' in links.text
    person = console.get("/people/north/jacson")
    assert person.status_code == 200 and "Frank Jacson" in person.text
    assert "same document" in person.text and 'href="/people/east/pedro"' in person.text
    assert console.get("/alerts", params={"size": 1000}).status_code == 422
    assert console.get("/alerts", params={"before": 1, "size": 5}).status_code == 200


def test_a_person_page_that_cannot_name_a_person_says_why(console: TestClient, token_file: Path) -> None:
    signed_in(console, token_file)
    answer = console.get("/people/no.dots/jacson")
    assert answer.status_code == 404 and "a site id is 1–64" in answer.text


def test_the_console_loads_nothing_from_elsewhere(console: TestClient) -> None:
    for path in sorted(TEMPLATES.iterdir()) + sorted(Path(STATIC).iterdir()):
        text = path.read_text()
        assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text), path.name
    assert console.get("/hq-static/hq.css").status_code == 200
    assert console.get("/hq-static/hq.js").headers["content-type"].startswith("text/javascript")
    assert console.get("/hq-static/../pages.py").status_code == 404
    assert console.get("/hq-static/console.token").status_code == 404


# --- in a browser ---------------------------------------------------------------------------------------


@pytest.mark.slow
def test_in_a_browser_sites_stopped_site_link_and_person_across_sites(
    browser: Any, office: OfficeStore, token_file: Path, site_record: Make, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    three_sites(office, tmp_path, site_record)
    app = FastAPI()
    attach(app, office, token_file)
    with served(app) as base:
        for width in (390, 1024):
            context = browser.new_context(viewport={"width": width, "height": 900}, base_url=base)
            page = context.new_page()
            page.goto("/")
            expect(page).to_have_url(f"{base}/sign-in")
            expect(page.locator("main")).to_contain_text("console.token")
            page.goto(sign_in_url(base, token_file))
            expect(page).to_have_url(f"{base}/")

            rows = page.locator("table.sites tbody tr")
            expect(rows).to_have_count(3)
            lag = re.compile(r"^(caught up; last entry )?\d+ d( \d+ h)?( ago)?$")  # south: caught up the 2nd time
            for site in ("north", "south", "east"):
                expect(page.locator(f"tr[data-site={site}] td.lag")).to_have_text(lag)
            expect(page.locator("tr[data-site=north] td.chain")).to_have_text("✔ ok")
            expect(page.locator("tr[data-site=north] td.pending")).to_contain_text("7")
            expect(page.locator("tr[data-site=east] td.chain")).to_contain_text("stopped at entry 4")
            expect(page.locator("tr[data-site=east] td.chain")).to_contain_text(EAST_PROBLEM)
            assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling

            office.record_pending("south", 12345)  # the table updates by itself, the page stays
            page.evaluate("window.stillHere = true")
            expect(page.locator("tr[data-site=south] td.pending")).to_contain_text("12345", timeout=12_000)
            assert page.evaluate("window.stillHere") is True

            page.get_by_role("link", name="Links").click()
            link = page.locator("table.links tbody tr", has_text="Frank Jacson")
            expect(link).to_contain_text("Jacques Mornard")
            expect(link.locator("td.kind")).to_have_text("document")
            link.get_by_role("link", name="Frank Jacson").click()

            expect(page).to_have_url(f"{base}/people/north/jacson")
            expect(page.locator("h1")).to_contain_text("Frank Jacson")
            timeline = page.locator("table.timeline tbody tr")
            expect(timeline).to_have_count(5)
            expect(timeline.nth(0)).to_contain_text("south")
            expect(timeline.nth(0)).to_contain_text("Jacques Mornard")
            expect(timeline.nth(4)).to_contain_text("north")
            expect(timeline.nth(4)).to_contain_text("number JX1940817")
            expect(page.locator("ul.linked")).to_contain_text("Pedro Ruiz")
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            office.record_pending("south", 0)
            context.close()


# --- a hostile site, a slow database ---------------------------------------------------------------


FAR = "9999-12-31T23:59:59-14:00"
"""A time an ISO reader takes, which is past the year 9999 in UTC."""


def hostile_site(office: OfficeStore, site_record: Make) -> None:
    """A site whose name, people and times try to break or disguise the console: markup, a
    right-to-left override, and entries dated where UTC cannot say them."""
    office.add_site("evil", "Evil <script>alert(1)</script>\u202eetis")
    office.add_site("good", "Good")
    evil, good = site_record("evil"), site_record("good")
    evil.identify("mole", "Frank\u202e<b>Jacson</b>", "SAME1")
    good.identify("honest", "Good Person", "SAME1")
    outcome = {"at": FAR, "decision": None, "reasons": [], "alerts": []}
    payload = {"type": "arrive", "id": "evil-far", "at": FAR, "people": ["mole", "honest"]}
    evil.log.append(Submission("evil-far", "arrive", FAR, payload, outcome, "g1", FAR))
    office.ingest([*evil.shipped(), *good.shipped()], ARRIVED)


def test_a_hostile_sites_text_and_times_neither_break_nor_disguise_the_pages(
    office: OfficeStore, token_file: Path, site_record: Make
) -> None:
    hostile_site(office, site_record)
    app = FastAPI()
    attach(app, office, token_file)
    with TestClient(app, follow_redirects=False) as client:
        signed_in(client, token_file)
        for path in ("/", "/sites/live", "/links", "/alerts", "/people/good/honest", "/people/evil/mole"):
            answer = client.get(path)
            assert answer.status_code == 200, path
            assert "\u202e" not in answer.text and "<script>alert" not in answer.text and "<b>Jacson" not in answer.text
        sites = client.get("/").text
        assert "Evil &lt;script&gt;alert(1)&lt;/script&gt;\\u202eetis" in sites
        assert FAR in sites  # said as the site wrote it
        assert "ahead of head office&#39;s clock" in sites
        person = client.get("/people/good/honest").text
        assert "Frank\\u202e&lt;b&gt;Jacson&lt;/b&gt;" in person and FAR in person


def test_a_person_id_with_a_control_character_is_refused_clearly(console: TestClient, token_file: Path) -> None:
    signed_in(console, token_file)
    for path in ("/people/north/a%00b", "/people/north/x%E2%80%AEy"):
        answer = console.get(path)
        assert answer.status_code == 404, path
        assert "holds a control character or a direction mark" in answer.text


def test_a_database_that_does_not_answer_gets_a_clear_page(token_file: Path) -> None:
    from gatewatch.hq.store import _engine

    dead = OfficeStore(_engine("postgresql+psycopg://postgres@127.0.0.1:1/none", StoreLimits(connect_s=1)))
    app = FastAPI()
    attach(app, dead, token_file)
    with TestClient(app, follow_redirects=False) as client:
        signed_in(client, token_file)
        for path in ("/", "/sites/live", "/alerts", "/links", "/people/north/jacson"):
            answer = client.get(path)
            assert answer.status_code == 503, path
            assert "database did not answer in time" in answer.text and answer.headers["retry-after"] == "5"
    dead.close()


@pytest.mark.slow
def test_a_locked_database_holds_no_more_than_the_consoles_share_of_connections(
    office: OfficeStore, office_url: str, token_file: Path, site_record: Make, tmp_path: Path
) -> None:
    """Many tabs refreshing while a table is locked: at most ``READS_AT_ONCE`` of them wait on the
    database at a time (the ingest keeps the rest), and each one is told so within its bounds."""
    three_sites(office, tmp_path, site_record)
    app = FastAPI()
    attach(app, office, token_file)
    locker = create_engine(office_url)
    waiting: list[int] = []
    answers: list[int] = []
    with served(app) as base, locker.connect() as holding:
        holding.execute(text("LOCK TABLE hq_sites IN ACCESS EXCLUSIVE MODE"))
        cookie = {SESSION_COOKIE: TokenKeeper(token_file).session()}

        def tab() -> None:
            answers.append(httpx.get(f"{base}/sites/live", cookies=cookie, timeout=30).status_code)

        tabs = [threading.Thread(target=tab) for _ in range(pages.READS_AT_ONCE * 3)]
        for started in tabs:
            started.start()
        with locker.connect() as watching:
            for _ in range(20):
                count = watching.execute(
                    text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = :db"),
                    {"db": locker.url.database},
                ).scalar_one()
                waiting.append(int(count))
                time.sleep(0.1)
        for started in tabs:
            started.join(30)
        holding.rollback()
    locker.dispose()
    assert 0 < max(waiting) <= pages.READS_AT_ONCE
    assert len(answers) == len(tabs) and set(answers) == {503}
