"""The doors in a real browser (Debian's chromium, Playwright) against the whole server with the
simulated door driver: a visitor's day card at the Gate, a person's credentials and badges, a
card revoked from an alert, DURESS shown to a lead and to no guard, the Board's locks and
readers kept live, and a card presented at a simulated reader; at 390 px too."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from playwright.sync_api import expect

from gatewatch.devices.base import DeviceStatus
from gatewatch.store.alerts import AlertFilter
from web.doors_site import DoorServer, password, serving_doors

pytestmark = pytest.mark.slow
PHONE = 390


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DoorServer]:
    """One server for the module: tests run in file order, each with cards and people of its own."""
    with serving_doors(tmp_path_factory.mktemp("doors")) as served:
        yield served


@pytest.fixture(autouse=True)
def contexts() -> Iterator[list[Any]]:
    """The browser contexts a test opened, closed after it (their live streams with them)."""
    opened: list[Any] = []
    OPENED.append(opened)
    yield opened
    OPENED.remove(opened)
    for context in opened:
        context.close()


OPENED: list[list[Any]] = []


def sign_in(browser: Any, server: DoorServer, name: str, width: int = 1024) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900}, base_url=server.url)
    OPENED[-1].append(context)
    page = context.new_page()
    page.goto("/board")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password(name))
    page.click("button[type=submit]")
    page.wait_for_url("**/board")
    return page


def at_the_gate(server: DoorServer, visitor: str) -> None:
    """Invited, arrived at the outer door and screened clear."""
    server.submit("lena", {"id": f"inv-{visitor}", "type": "invite", "by": "lead", "person": visitor})
    server.submit("gus", {"id": f"arr-{visitor}", "type": "arrive", "people": [visitor], "door": "outer"})
    server.submit("gus", {"id": f"scr-{visitor}", "type": "screen", "person": visitor, "by": "g1", "result": "clear"})


def alert_id(server: DoorServer, code: str) -> str:
    return next(a.id for a in server.services.alerts.find(AlertFilter(code=code)))


def card_for(server: DoorServer, person: str, card: str, **more: Any) -> None:
    event = {"id": f"issue-{card}", "type": "credential", "person": person, "credential": card, "kind": "card"}
    server.submit("lena", {**event, "by": "lead", **more})


def test_a_guard_issues_a_day_card_revokes_it_and_sees_the_next_lapse(browser: Any, server: DoorServer) -> None:
    at_the_gate(server, "vera")
    gate = sign_in(browser, server, "gus")
    gate.goto("/gate?visitor=vera")
    issuing = gate.locator("#day-card")
    expect(issuing.locator("input[name=person]")).to_have_value("vera")
    issuing.locator("input[name=card]").fill("V-200")
    issuing.locator("input[name=pin]").fill("2468")
    issuing.get_by_role("button", name="Issue the day card").click()
    expect(gate.locator(".done")).to_contain_text("Card V-200 issued to vera")
    card = gate.locator("#cards-vera [data-credential='V-200']")
    today = datetime.now(UTC).date().isoformat()
    expect(card).to_contain_text("valid")
    expect(card).to_contain_text(f"the end of {today} or their leaving")
    assert server.driver.present("outer-out", "V-200", "2468").granted
    card.get_by_role("button", name="Revoke card V-200").click()
    expect(gate.locator(".done")).to_contain_text("Card V-200 revoked")
    expect(gate.locator("#cards-vera [data-credential='V-200']")).to_contain_text("revoked by Gus Guard")
    assert not server.driver.present("outer-out", "V-200", "2468").granted
    gate.locator("#day-card input[name=card]").fill("V-201")
    gate.locator("#day-card").get_by_role("button", name="Issue the day card").click()
    expect(gate.locator("#cards-vera [data-credential='V-201']")).to_contain_text("valid")
    gate.locator("form[action='/gate/leave']").get_by_role("button").click()
    gate.goto("/gate?visitor=vera")
    expect(gate.locator("#cards-vera [data-credential='V-201']")).to_contain_text("lapsed when vera left")


def test_a_persons_page_shows_their_credentials_and_badges(browser: Any, server: DoorServer) -> None:
    card_for(server, "cook", "C-100", kind="card+pin", pin="1357")
    card_for(server, "cook", "C-101")
    server.submit("lena", {"id": "rev-101", "type": "revoke", "credential": "C-101", "by": "lead", "reason": "lost"})
    assert server.driver.present("outer-out", "C-100", "1357").granted
    assert not server.driver.present("outer-out", "C-100").granted
    page = sign_in(browser, server, "gus")
    page.goto("/people/cook")
    credentials = page.locator("#credentials")
    expect(credentials.locator("[data-credential='C-100']")).to_contain_text("card+pin")
    expect(credentials.locator("[data-credential='C-100']")).to_contain_text("by Lena Lead")
    expect(credentials.locator("[data-credential='C-100']")).to_contain_text("valid")
    expect(credentials.locator("[data-credential='C-101']")).to_contain_text("revoked by Lena Lead")
    badges = credentials.locator("table.badges tbody tr")
    expect(badges).to_have_count(2)
    expect(badges.nth(0)).to_contain_text("PIN_REQUIRED")  # newest first
    expect(badges.nth(0)).to_contain_text("deny")
    expect(badges.nth(1)).to_contain_text("the outer reader")
    expect(badges.nth(1)).to_contain_text("the outer door")
    expect(badges.nth(1)).to_contain_text("grant")


def test_a_lead_revokes_a_guessed_card_from_its_alert(browser: Any, server: DoorServer) -> None:
    card_for(server, "cook", "C-200", kind="card+pin", pin="2468")
    for _ in range(3):
        assert not server.driver.present("inner-out", "C-200", "0000").granted
    guard = sign_in(browser, server, "gus")
    guard.goto("/alerts?code=PIN_GUESSING")
    expect(guard.locator(".alert")).to_have_count(1)
    expect(guard.get_by_role("button", name="Revoke card C-200")).to_have_count(0)
    lead = sign_in(browser, server, "lena")
    lead.goto("/alerts?code=PIN_GUESSING")
    lead.get_by_role("button", name="Revoke card C-200").click()
    expect(lead).to_have_url(f"{server.url}/alerts?code=PIN_GUESSING#alert-{alert_id(server, 'PIN_GUESSING')}")
    expect(lead.locator(".alert .revoked")).to_contain_text("Card C-200 is revoked")
    assert server.services.desk.state.credentials["C-200"].revoked is not None


def test_duress_reaches_a_leads_page_and_no_guards(browser: Any, server: DoorServer) -> None:
    card_for(server, "cook", "C-300", kind="card+pin", pin="1111", duress_pin="1112")
    guard = sign_in(browser, server, "gus")
    lead = sign_in(browser, server, "lena")
    reader = guard.locator("#simulated-reader")
    reader.locator("select[name=reader]").select_option("outer-out")
    reader.locator("input[name=credential]").fill("C-300")
    reader.locator("input[name=pin]").fill("1112")
    reader.get_by_role("button", name="Present the card").click()
    expect(guard.locator("#reader-light")).to_contain_text("green")  # as for the right PIN
    expect(lead.locator("#banner")).to_contain_text("DURESS", timeout=5_000)  # live, in a page already open
    lead.goto("/alerts")
    expect(lead.locator(".alert", has_text="DURESS")).to_contain_text("duress PIN")
    expect(lead.get_by_role("button", name="Revoke card C-300")).to_be_visible()
    for path in ("/board", "/alerts", "/alerts?code=DURESS", "/people/cook", "/gate?visitor=cook"):
        guard.goto(path)
        expect(guard.locator("body")).not_to_contain_text("· DURESS")
        expect(guard.locator("body")).not_to_contain_text("duress PIN")
    guard.goto("/people/cook")
    expect(guard.locator("table.badges tbody tr").first).to_contain_text("grant")


def test_the_board_keeps_each_reader_doors_lock_and_health_live(browser: Any, server: DoorServer) -> None:
    card_for(server, "cook", "C-400")
    board = sign_in(browser, server, "gus")
    outer = board.locator("[data-door-panel=outer]")
    expect(outer.locator("[data-lock]")).to_have_attribute("data-lock", "locked")
    assert server.driver.present("outer-out", "C-400").granted
    expect(outer.locator("[data-lock]")).to_have_attribute("data-lock", "unlocked", timeout=5_000)
    server.driver.set_contact("outer", True)
    expect(outer.locator("[data-held]")).to_be_visible(timeout=5_000)
    expect(outer.locator("[data-lock]")).to_have_attribute("data-lock", "locked", timeout=10_000)  # by itself
    server.driver.set_contact("outer", False)
    expect(outer).to_contain_text("closed", timeout=5_000)
    server.driver.report("inner-out", DeviceStatus.TAMPER, "cover off")
    expect(board.locator("[data-door-panel=inner] [data-device=inner-out]")).to_contain_text("tamper", timeout=5_000)
    server.submit("lena", {"id": "ctl-1", "type": "device", "device": "gate-controller", "status": "fault"})
    expect(board.locator("#door-panel [data-device=gate-controller]")).to_contain_text("fault", timeout=5_000)
    server.driver.set_contact("inner", True)  # no grant: forced
    expect(board.locator("[data-door-panel=inner] [data-forced]")).to_be_visible(timeout=5_000)
    server.driver.set_contact("inner", False)
    server.submit("lena", {"id": "clear-1", "type": "all_clear", "by": "lead"})  # the forced door's lockdown ends


def test_a_card_at_a_simulated_reader_shows_green_or_red(browser: Any, server: DoorServer) -> None:
    card_for(server, "cook", "C-500")
    board = sign_in(browser, server, "lena")
    reader = board.locator("#simulated-reader")
    reader.locator("select[name=reader]").select_option("outer-out")
    reader.locator("input[name=credential]").fill("C-500")
    reader.get_by_role("button", name="Present the card").click()
    expect(board.locator("#reader-light")).to_have_text("the outer reader: ● green")
    board.locator("#simulated-reader input[name=credential]").fill("nobody's card")
    board.locator("#simulated-reader").get_by_role("button", name="Present the card").click()
    expect(board.locator("#reader-light")).to_have_text("the outer reader: ● red")


def test_the_door_pages_fit_a_phone(browser: Any, server: DoorServer) -> None:
    page = sign_in(browser, server, "lena", width=PHONE)
    wide = {}
    for path in ("/board", "/gate?visitor=vera", "/people/cook", "/alerts"):
        page.goto(path)
        page.wait_for_load_state("load")
        width = int(page.evaluate("document.documentElement.scrollWidth"))
        if width > PHONE:
            wide[path] = width
    assert wide == {}, f"wider than {PHONE} px: {wide}"
