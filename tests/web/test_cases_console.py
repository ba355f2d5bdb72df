"""Cases in a real browser, on a real ``gatewatch serve --data``: a lead opens a case from the long
approach visitor's page, writes a note and reads it back; a guard is shown none of it."""

from __future__ import annotations

import stat
from typing import Any

import pytest
from playwright.sync_api import expect

from api.server import Server
from web.conftest import api_client, sign_in

pytestmark = pytest.mark.slow
WORDS = "Came back from New York more nervous each time; wore a raincoat in August."


def test_a_lead_opens_a_case_writes_a_note_and_reads_it(browser: Any, server: Server) -> None:
    lead = sign_in(browser, server, "hansen")
    lead.goto("/people/jacson")
    opening = lead.locator("form#open-case")
    opening.locator("textarea[name=reason]").fill("A narrowing approach since February")
    opening.locator("button").click()
    lead.wait_for_url("**/cases/case-*")
    case_id = lead.url.split("/cases/", 1)[1].split("?", 1)[0]
    expect(lead.locator("#case-status")).to_have_text("open")
    expect(lead.locator("#case-summary")).to_contain_text("A narrowing approach since February")

    noting = lead.locator("form#add-note")
    noting.locator("textarea[name=text]").fill(WORDS)
    noting.locator("button").click()
    expect(lead.locator(".done")).to_contain_text("sealed and recorded")
    expect(lead.locator("#notes")).not_to_contain_text("raincoat")
    lead.locator("form#read-notes button").click()
    expect(lead.locator(".note-text")).to_have_text(WORDS)

    with api_client(server, "hansen") as api:
        file = api.get(f"/v1/cases/{case_id}").json()
    assert [e["type"] for e in file["events"]] == ["case_open", "case_note", "note_read"]
    assert file["person"] == "jacson" and file["notes_held"][0]["reads"] == 1
    key = server.data / "notes.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    held = b"".join(p.read_bytes() for p in server.data.glob("gatewatch.db*"))
    assert b"raincoat in August" not in held


def test_a_guard_is_shown_no_case(browser: Any, server: Server) -> None:
    guard = sign_in(browser, server, "harte")
    guard.goto("/people/jacson")
    expect(guard.locator("form#open-case")).to_have_count(0)
    expect(guard.locator("nav a[href='/cases']")).to_have_count(0)
    answer = guard.goto("/cases")
    assert answer is not None and answer.status == 403
