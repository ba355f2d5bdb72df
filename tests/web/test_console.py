"""What a person does in the console, in a real browser."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from api.server import Server
from web.conftest import api_client, sign_in, today_at_site

pytestmark = pytest.mark.slow
CHART = Path(__file__).resolve().parents[2] / "src" / "gatewatch" / "web" / "static" / "vendor" / "chart.umd.min.js"


def test_signing_in_shows_the_board(browser: Any, server: Server) -> None:
    page = sign_in(browser, server, "harte")
    expect(page.locator("h1")).to_have_text("Board")
    study = page.locator("[data-zone=study]")
    expect(study).to_contain_text("Leon Trotsky")
    expect(page.locator("[data-post=gate]")).to_be_visible()


def test_a_visitor_is_invited_then_walked_through_the_gate(browser: Any, server: Server) -> None:
    with api_client(server, "hansen") as lead:  # two guards at the gate, so that the night rule is met too
        for event in (
            {"id": "walk-move", "type": "move", "people": ["harte", "cornell"], "to": "vestibule"},
            {"id": "walk-post", "type": "post", "post": "gate", "on_duty": ["harte", "cornell"]},
        ):
            answer = lead.post("/v1/events", json=event)
            assert answer.status_code == 200, answer.text
    host = sign_in(browser, server, "hansen")
    host.goto("/invitations")
    host.fill("input[name=person]", "vera")
    host.fill("input[name=day]", today_at_site())
    host.fill("input[name=purpose]", "interview")
    host.fill("input[name=name]", "Vera Kuznetsova")
    host.click("form[method=post][action='/invitations'] button")
    expect(host.locator(".done")).to_contain_text("vera is expected")
    host.goto("/people?q=kuznetsova")
    expect(host.locator("a[href='/people/vera']")).to_be_visible()

    gate = sign_in(browser, server, "harte")
    gate.goto("/gate")
    expect(gate.locator("text=Expected today")).to_be_visible()
    expect(gate.locator("section.card", has_text="Expected today")).to_contain_text("vera")
    arrival = gate.locator("form[action='/gate/arrive']")
    arrival.locator("input[name=person]").fill("vera")
    arrival.locator("select[name=door]").select_option("street-door")
    arrival.locator("button").click()
    expect(gate.locator("#decision")).to_contain_text("Recorded")
    screening = gate.locator("form[action='/gate/screen']")
    screening.locator("input[name=person]").fill("vera")
    screening.locator("select[name=result]").select_option("clear")
    screening.locator("button").click()
    expect(gate.locator("#decision")).to_contain_text("screen")
    asking = gate.locator("form[action='/gate/request']")
    expect(asking.locator("input[name=people]")).to_have_value("vera")  # carried from the step before
    expect(asking.locator("select[name=door]")).to_have_value("street-door")  # the door in front of her
    asking.locator("button").click()
    expect(gate.locator("#decision")).to_contain_text("GRANT")
    expect(gate.locator("#decision")).to_contain_text("At the street door")
    passage = gate.locator("#passage")
    passage.get_by_role("button", name="Door opened").click()
    expect(gate.locator("#passage")).to_contain_text("The door is open")
    gate.locator("#passage").get_by_role("button", name="They passed into the vestibule").click()
    expect(gate.locator("#passage")).to_contain_text("Vera Kuznetsova: the vestibule")
    gate.locator("#passage").get_by_role("button", name="Door closed").click()
    expect(gate.locator("#passage")).to_contain_text("The door is closed")
    expect(gate.locator("#decision")).not_to_contain_text("DOOR_FORCED")
    gate.goto("/board")
    expect(gate.locator("[data-zone=vestibule]")).to_contain_text("Vera Kuznetsova")
    expect(gate.locator("[data-zone=street]")).not_to_contain_text("Vera Kuznetsova")
    gate.goto("/muster")
    expect(gate.locator("section.muster-zone", has_text="the vestibule")).to_contain_text("Vera Kuznetsova")


def test_a_denial_says_why_and_what_would_make_it_a_grant(browser: Any, server: Server) -> None:
    gate = sign_in(browser, server, "harte")
    gate.goto("/gate")
    asking = gate.locator("form[action='/gate/request']")
    asking.locator("select[name=door]").select_option("street-door")
    asking.locator("input[name=people]").fill("stranger")
    asking.locator("button").click()
    expect(gate.locator("#decision")).to_contain_text("DENY")
    expect(gate.locator("#decision")).to_contain_text("NOT_EXPECTED")
    expect(gate.locator("#decision")).to_contain_text("What would make it a grant")


def test_the_person_page_charts_a_narrowing_approach(browser: Any, server: Server) -> None:
    if not CHART.exists() and not os.environ.get("CI"):
        pytest.skip("the chart library is installed by make assets (npm)")
    page = sign_in(browser, server, "hansen")
    page.goto("/people?q=jacson")
    page.click("a[href='/people/jacson']")
    chart = page.locator("#depth-chart")
    expect(chart).to_be_visible()
    rows = page.locator(".depth-table tbody td:nth-child(2)").all_inner_texts()
    expect(chart).to_have_attribute("data-points", str(len(rows)))
    levels = [int(row.split(" ")[0]) for row in rows]
    assert len(levels) >= 4 and levels == sorted(levels) and levels[-1] > levels[0]  # each visit a little deeper


def test_a_forced_door_raises_the_lockdown_banner_in_an_open_page(browser: Any, server: Server) -> None:
    watching = sign_in(browser, server, "harte")
    expect(watching.locator("#lockdown-banner")).to_have_count(0)
    with api_client(server, "harte") as guard:
        forced = guard.post("/v1/events", json={"id": "f1", "type": "open", "door": "garage-gate", "by": "harte"})
        assert forced.status_code == 200, forced.text
    expect(watching.locator("#lockdown-banner")).to_be_visible(timeout=5_000)
    expect(watching.locator("[data-door=garage-gate]")).to_contain_text("forced")
    expect(watching.locator("#banner")).to_contain_text("critical")


def test_a_guard_is_not_offered_what_only_a_lead_may_do(browser: Any, server: Server) -> None:
    with api_client(server, "harte") as guard:  # the site in lockdown (the test before may have done it already)
        guard.post("/v1/events", json={"id": "f2", "type": "open", "door": "garage-door", "by": "harte"})
    guard_page = sign_in(browser, server, "harte")
    expect(guard_page.locator("text=Call the all-clear")).to_have_count(0)
    guard_page.goto("/people/jacson")
    expect(guard_page.locator(".lead-only")).to_have_count(0)
    lead_page = sign_in(browser, server, "hansen")
    expect(lead_page.locator("text=Call the all-clear")).to_be_visible()
    lead_page.goto("/people/jacson")
    expect(lead_page.locator(".lead-only")).to_be_visible()
