"""The console's doors, cards and badges, without a browser: a visitor's day card issued and
revoked at the Gate, a person's credentials and badges, a card revoked from an alert, the
Board's locks and readers, a card presented at a simulated reader, and DURESS kept from
everyone but the leads."""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from gatewatch.devices.base import DeviceStatus
from gatewatch.store.alerts import AlertFilter
from web.doors_site import Console, console

pytestmark = pytest.mark.slow  # each builds a record, runs the drivers and signs users in (seconds)

DAY_CARD = {"person": "vic", "card": "V-100", "pin": ""}


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Console]:
    with console(tmp_path) as served:
        yield served


def visitor_at_the_gate(desk: Console, visitor: str = "vic") -> None:
    desk.submit("lena", {"id": f"inv-{visitor}", "type": "invite", "by": "lead", "person": visitor})
    desk.submit("gus", {"id": f"arr-{visitor}", "type": "arrive", "people": [visitor], "door": "outer"})
    desk.submit("gus", {"id": f"scr-{visitor}", "type": "screen", "person": visitor, "by": "g1", "result": "clear"})


def row_of(page: str, credential: str) -> str:
    found = re.search(rf'<tr data-credential="{re.escape(credential)}".*?</tr>', page, re.S)
    assert found, f"no row for {credential}"
    return found.group(0)


def cook_card(desk: Console, card: str = "C-7", **more: Any) -> None:
    event = {"id": f"issue-{card}", "type": "credential", "person": "cook", "credential": card, "kind": "card"}
    desk.submit("lena", {**event, "by": "lead", **more})


# --- 1. the Gate: a visitor's day card ---------------------------------------------------------


def test_a_guard_issues_a_visitors_day_card_and_sees_it_valid_until_the_end_of_today(desk: Console) -> None:
    visitor_at_the_gate(desk)
    client = desk.sign_in("gus")
    page = client.post("/gate/credential", data={"id": "card-1", **DAY_CARD, "pin": "2468"}).text
    assert "Card V-100 issued to vic" in page
    row = row_of(page, "V-100")
    today = datetime.now(UTC).date().isoformat()
    assert "card+pin" in row and "by Gus Guard" in row and "✔ valid" in row
    assert f"the end of {today} or their leaving" in row
    entry = desk.services.log.find("card-1")
    assert entry is not None and entry.payload is not None
    assert entry.payload["pin"].startswith("$argon2id$") and "2468" not in str(entry.payload)


def test_a_visitors_card_revoked_at_the_gate_opens_nothing(desk: Console) -> None:
    visitor_at_the_gate(desk)
    client = desk.sign_in("gus")
    client.post("/gate/credential", data={"id": "card-1", **DAY_CARD})
    page = client.post("/gate/revoke", data={"id": "rev-1", "credential": "V-100", "visitor": "vic"}).text
    assert "Card V-100 revoked" in page
    row = row_of(page, "V-100")
    assert "✖ revoked" in row and "revoked by Gus Guard" in row and "Revoke" not in row
    assert desk.services.desk.state.credentials["V-100"].revoked == "rev-1"
    assert desk.driver is not None and not desk.driver.present("outer-out", "V-100").granted


def test_a_visitors_card_lapses_when_they_leave(desk: Console) -> None:
    visitor_at_the_gate(desk)
    client = desk.sign_in("gus")
    client.post("/gate/credential", data={"id": "card-1", **DAY_CARD})
    client.post("/gate/leave", data={"id": "left-1", "people": "vic"})
    row = row_of(client.get("/gate?visitor=vic").text, "V-100")
    assert "✖ lapsed" in row and "lapsed when vic left" in row


def test_a_guard_may_not_issue_a_card_to_staff_and_is_told(desk: Console) -> None:
    client = desk.sign_in("gus")
    page = client.post("/gate/credential", data={"id": "card-2", "person": "cook", "card": "C-1", "pin": ""}).text
    assert "NOT_PERMITTED" in page and "issued to" not in page
    assert "C-1" not in desk.services.desk.state.credentials


@pytest.mark.parametrize(
    ("form", "problem"),
    [
        ({"person": "vic", "card": "  ", "pin": ""}, "field 'card'"),
        ({"person": "vic", "card": "V-1", "pin": "12"}, "pin"),
    ],
)
def test_a_day_card_that_cannot_be_issued_says_why(desk: Console, form: dict[str, str], problem: str) -> None:
    visitor_at_the_gate(desk)
    page = html.unescape(desk.sign_in("gus").post("/gate/credential", data={"id": "card-3", **form}).text)
    assert 'class="problem"' in page and problem in page
    assert desk.services.log.find("card-3") is None


# --- 2. a person's page: credentials and badges ------------------------------------------------


def test_a_persons_page_shows_each_credential_in_its_state(desk: Console) -> None:
    visitor_at_the_gate(desk)
    cook_card(desk, "C-valid")
    cook_card(desk, "C-old", until=(datetime.now(UTC) - timedelta(hours=1)).isoformat())
    cook_card(desk, "C-lost")
    desk.submit("lena", {"id": "rev-lost", "type": "revoke", "credential": "C-lost", "by": "lead", "reason": "lost"})
    page = desk.sign_in("gus").get("/people/cook").text
    assert "✔ valid" in row_of(page, "C-valid")
    assert "✖ expired" in row_of(page, "C-old") and "ended at" in row_of(page, "C-old")
    assert "revoked by Lena Lead" in row_of(page, "C-lost") and ": lost" in row_of(page, "C-lost")
    assert "by Lena Lead" in row_of(page, "C-valid") and "no end" in row_of(page, "C-valid")


def test_a_persons_page_lists_their_badges_and_not_those_of_an_earlier_holder(desk: Console) -> None:
    assert desk.driver is not None
    visitor_at_the_gate(desk)
    desk.sign_in("gus").post("/gate/credential", data={"id": "card-1", **DAY_CARD})
    assert desk.driver.present("outer-out", "V-100").granted  # vic's
    desk.submit("gus", {"id": "rev-1", "type": "revoke", "credential": "V-100", "by": "g1"})
    cook_card(desk, "V-100", kind="card+pin", pin="1111")  # the same card, handed to the cook next
    assert not desk.driver.present("inner-out", "V-100").granted  # the cook's, without the PIN
    cook = desk.sign_in("gus").get("/people/cook").text
    vic = desk.client.get("/people/vic").text
    assert cook.count('class="badge-') == 1 and "the inner reader" in cook and "✖ deny" in cook
    assert "PIN_REQUIRED" in cook and "the inner door" in cook
    assert vic.count('class="badge-') == 1 and "the outer reader" in vic and "✔ grant" in vic
    assert "the outer door" in vic and "PIN_REQUIRED" not in vic


# --- 3. the Alerts page: a card revoked from an alert -------------------------------------------


def test_a_lead_revokes_the_card_an_alert_names_and_a_guard_is_not_offered_it(desk: Console) -> None:
    assert desk.driver is not None
    cook_card(desk, "C-pin", kind="card+pin", pin="1357")
    for _ in range(3):
        assert not desk.driver.present("outer-out", "C-pin", "0000").granted
    guard_page = desk.sign_in("gus").get("/alerts").text
    assert "PIN_GUESSING" in guard_page and "Revoke card C-pin" not in guard_page
    lead = desk.sign_in("lena")
    assert "Revoke card C-pin" in lead.get("/alerts").text
    form = re.search(r'<form method="post" action="/credentials/revoke".*?</form>', lead.get("/alerts").text, re.S)
    assert form
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form.group(0)))
    answer = lead.post("/credentials/revoke", data=fields, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/alerts#alert-")
    assert desk.services.desk.state.credentials["C-pin"].revoked == fields["id"]
    entry = desk.services.log.find(fields["id"])
    assert entry is not None and entry.payload is not None and "PIN_GUESSING" in entry.payload["reason"]
    assert "Card <code>C-pin</code> is revoked" in lead.get("/alerts").text
    handed_on = {"id": "again", "type": "credential", "person": "res", "credential": "C-pin", "kind": "card"}
    desk.submit("lena", {**handed_on, "by": "lead"})
    page = lead.get("/alerts").text
    assert "Card <code>C-pin</code> has been issued to someone else since" in page and "Revoke card" not in page


def test_a_revocation_that_cannot_be_made_returns_with_the_problem(desk: Console) -> None:
    client = desk.sign_in("ada")  # an analyst works on people, not doors
    cook_card(desk, "C-9")
    answer = client.post(
        "/credentials/revoke", data={"id": "r9", "credential": "C-9", "back": "/people/cook#credentials"}
    )
    assert 'class="problem"' in answer.text and "revoke" in answer.text
    assert desk.services.desk.state.credentials["C-9"].revoked is None
    elsewhere = client.post(
        "/credentials/revoke",
        data={"id": "r9", "credential": "C-9", "back": "https://elsewhere.example/"},
        follow_redirects=False,
    )
    assert elsewhere.headers["location"].startswith("/alerts")


# --- 4. DURESS: the leads' alone ----------------------------------------------------------------

GUARD_PAGES = ("/board", "/board/live", "/board/doors", "/banner", "/alerts", "/alerts?code=DURESS", "/people/cook")


def duress_at_the_outer_door(desk: Console) -> None:
    assert desk.driver is not None
    cook_card(desk, "C-d", kind="card+pin", pin="1234", duress_pin="4321")
    assert desk.driver.present("outer-out", "C-d", "4321").granted  # the door behaves as usual


def test_a_duress_badge_is_shown_to_no_guard_and_to_every_lead(desk: Console) -> None:
    duress_at_the_outer_door(desk)
    guard = desk.sign_in("gus")
    for path in (*GUARD_PAGES, "/gate?visitor=cook"):
        page = guard.get(path).text
        assert "· DURESS" not in page and "duress PIN" not in page, path
    badges = guard.get("/people/cook").text
    assert "✔ grant" in badges  # a plain grant
    analyst = desk.sign_in("ada")
    assert "· DURESS" not in analyst.get("/alerts").text
    lead = desk.sign_in("lena")
    for path in ("/alerts", "/alerts?code=DURESS", "/banner", "/people/cook"):
        page = lead.get(path).text
        assert "· DURESS" in page and "duress PIN" in page, path
    assert "Revoke card C-d" in lead.get("/alerts").text


def test_a_guard_cannot_acknowledge_a_duress_alert_by_its_id(desk: Console) -> None:
    duress_at_the_outer_door(desk)
    (alert,) = desk.services.alerts.find(AlertFilter(code="DURESS"))
    desk.sign_in("gus").post(f"/alerts/{alert.id}/ack", data={"comment": "seen"})
    unacknowledged = desk.services.alerts.get(alert.id)
    assert unacknowledged is not None and unacknowledged.acknowledged is None
    desk.sign_in("lena").post(f"/alerts/{alert.id}/ack", data={"comment": "help sent quietly"})
    acknowledged = desk.services.alerts.get(alert.id)
    assert acknowledged is not None and acknowledged.acknowledged is not None


# --- 5. the Board: locks, readers, controllers --------------------------------------------------


def door_card(page: str, door: str) -> str:
    found = re.search(rf'<article class="door-card[^"]*" data-door-panel="{door}">.*?</article>', page, re.S)
    assert found, f"no panel for {door}"
    return found.group(0)


def wait_for(check: Any, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "not in time"
        time.sleep(0.05)


def test_the_board_shows_each_reader_doors_lock_and_health(desk: Console) -> None:
    assert desk.driver is not None
    board = desk.sign_in("gus")
    outer = door_card(board.get("/board").text, "outer")
    assert 'data-lock="locked"' in outer and "the outer reader: no report" in outer and "simulated" in outer
    assert 'data-door-panel="front"' not in board.get("/board/doors").text  # no reader there
    cook_card(desk)
    assert desk.driver.present("outer-out", "C-7").granted
    wait_for(lambda: 'data-lock="unlocked"' in door_card(board.get("/board/doors").text, "outer"))
    desk.driver.set_contact("outer", True)
    wait_for(lambda: "open on a grant since" in door_card(board.get("/board/doors").text, "outer"))
    wait_for(lambda: 'data-lock="locked"' in door_card(board.get("/board/doors").text, "outer"))  # by itself
    desk.driver.report("inner-out", DeviceStatus.TAMPER, "cover off")
    wait_for(lambda: "▲ tamper" in door_card(board.get("/board/doors").text, "inner"))
    desk.submit("lena", {"id": "ctl-1", "type": "device", "device": "gate-controller", "status": "offline"})
    assert re.search(r"gate-controller: <span class=\"tag warn\">▲ offline", board.get("/board/doors").text)


def test_a_forced_reader_door_shows_forced(desk: Console) -> None:
    assert desk.driver is not None
    desk.driver.set_contact("inner", True)  # no grant
    board = desk.sign_in("lena")
    wait_for(lambda: "✖ forced" in door_card(board.get("/board/doors").text, "inner"))


def test_a_door_held_open_too_long_shows_held(desk: Console) -> None:
    assert desk.driver is not None
    cook_card(desk)
    t0 = datetime.now(UTC)
    desk.services.clock = lambda: t0
    assert desk.driver.present("outer-out", "C-7").granted
    desk.driver.set_contact("outer", True)
    board = desk.sign_in("lena")
    wait_for(lambda: "open on a grant since" in door_card(board.get("/board/doors").text, "outer"))
    later = t0 + timedelta(seconds=31)
    desk.services.clock = lambda: later
    desk.submit("lena", {"id": "tick-1", "type": "tick"})
    page = door_card(board.get("/board/doors").text, "outer")
    assert "▲ held open" in page and "open on a grant since" not in page


def test_without_a_door_desk_every_lock_is_unknown(tmp_path: Path) -> None:
    with console(tmp_path, simulated=False) as desk:
        page = desk.sign_in("gus").get("/board").text
        assert 'data-lock="unknown"' in door_card(page, "outer") and "no driver works its lock" in page
        assert 'id="simulated-reader"' not in page
        refused = desk.client.post("/board/reader", data={"reader": "outer-out", "credential": "C-7"}).text
        assert "no simulated reader runs on this site" in refused


# --- 6. a card at a simulated reader -------------------------------------------------------------


def test_a_card_at_a_simulated_reader_answers_green_or_red_only(desk: Console) -> None:
    cook_card(desk, "C-d", kind="card+pin", pin="1234", duress_pin="4321")
    board = desk.sign_in("gus")
    assert 'id="simulated-reader"' in board.get("/board").text
    said = board.post("/board/reader", data={"reader": "outer-out", "credential": "C-d", "pin": "1234"}).text
    assert "● green" in said and "the outer reader" in said
    denied = board.post("/board/reader", data={"reader": "outer-out", "credential": "C-d"}).text
    assert "● red" in denied and "PIN_REQUIRED" not in denied
    duress = board.post("/board/reader", data={"reader": "outer-out", "credential": "C-d", "pin": "4321"}).text
    assert "● green" in duress and "DURESS" not in duress
    badges = [e for e in desk.services.log.entries() if e.type == "badge"]
    assert len(badges) == 3 and all(e.submitted_by == "device:simulated" for e in badges)


@pytest.mark.parametrize(
    ("form", "problem"),
    [
        ({"reader": "outer-out", "credential": "", "pin": ""}, "field 'credential'"),
        ({"reader": "outer-out", "credential": "C-7", "pin": "12a4"}, "field 'pin'"),
        ({"reader": "outer-ot", "credential": "C-7", "pin": ""}, "did you mean"),
    ],
)
def test_a_card_that_never_reached_a_reader_says_why_and_records_nothing(
    desk: Console, form: dict[str, str], problem: str
) -> None:
    page = html.unescape(desk.sign_in("gus").post("/board/reader", data=form).text)
    assert 'class="problem"' in page and problem in page
    assert not [e for e in desk.services.log.entries() if e.type in ("badge", "device")]


def test_an_analyst_presents_no_card(desk: Console) -> None:
    page = desk.sign_in("ada").post("/board/reader", data={"reader": "outer-out", "credential": "C-7"}).text
    assert "does not present cards" in page
    assert 'id="simulated-reader"' not in desk.client.get("/board").text
