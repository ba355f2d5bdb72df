"""The console on a phone (390 px) and the small things a browser checks: no page wider than the
screen, the invitation form's pattern valid for Chromium, the favicon, the chart's axis labels."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from api.server import Server
from web.conftest import sign_in
from web.test_console import CHART

pytestmark = pytest.mark.slow
PHONE = 390
PAGES = (
    "/board",
    "/gate",
    "/alerts",
    "/people?q=jacson",
    "/people/jacson",
    "/watchlists",
    "/invitations",
    "/drills",
    "/muster",
)


def scroll_width(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_no_page_is_wider_than_a_phone(browser: Any, server: Server) -> None:
    page = sign_in(browser, server, "hansen", width=PHONE)
    wide = {}
    for path in PAGES:
        page.goto(path)
        page.wait_for_load_state("load")
        if scroll_width(page) > PHONE:
            wide[path] = scroll_width(page)
    assert wide == {}, f"wider than {PHONE} px: {wide}"
    signed_out = browser.new_context(viewport={"width": PHONE, "height": 900}, base_url=server.url).new_page()
    signed_out.goto("/login")
    assert scroll_width(signed_out) <= PHONE


def test_a_wide_table_scrolls_inside_its_box_not_the_page(browser: Any, server: Server) -> None:
    page = sign_in(browser, server, "hansen", width=PHONE)
    page.goto("/people/jacson")
    boxes = page.evaluate("Array.from(document.querySelectorAll('.scroll')).map(b => [b.scrollWidth, b.clientWidth])")
    assert boxes and any(inner > outer for inner, outer in boxes)  # the near miss: something is wide
    assert scroll_width(page) <= PHONE  # and yet the page is not


def test_the_invitation_pattern_is_checked_by_the_browser(browser: Any, server: Server) -> None:
    page = sign_in(browser, server, "hansen")
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto("/invitations")
    visitor = page.locator("input[name=person]")
    visitor.fill("vera k!")
    assert visitor.evaluate("input => input.checkValidity()") is False
    assert visitor.evaluate("input => input.validity.patternMismatch") is True
    visitor.fill("vera-k.2")
    assert visitor.evaluate("input => input.checkValidity()") is True
    assert not [m for m in messages if "pattern" in m], messages


def test_the_favicon_answers(browser: Any, server: Server) -> None:
    page = sign_in(browser, server, "harte")
    answer = page.request.get("/favicon.ico")
    assert answer.status == 200 and answer.headers["content-type"].startswith("image/svg+xml")
    assert page.evaluate("document.querySelector('link[rel=icon]').href").endswith("/static/favicon.svg")


@pytest.mark.parametrize("width", [PHONE, 1024])
def test_the_chart_has_room_for_its_level_labels(browser: Any, server: Server, width: int) -> None:
    if not CHART.exists() and not os.environ.get("CI"):
        pytest.skip("the chart library is installed by make assets (npm)")
    page = sign_in(browser, server, "hansen", width=width)
    page.goto("/people/jacson")
    chart = page.locator("#depth-chart")
    expect(chart).to_have_attribute("data-label-room", re.compile(r"^\d+$"))  # never negative: no label is cut
