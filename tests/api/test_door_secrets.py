"""What a signed-in user may learn of PINs and duress through the API: nothing.

Found by attacking the doors with a guard's sign-in: a credential's recorded PIN hashes are a
four-digit search away from its PIN and its duress PIN, and an entry's hash, checked against
what a guard is shown of it, tells a duress badge from a plain one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from doors_support import DURESS_PIN, PIN, START, write_site
from gatewatch.bootstrap import Services, build
from gatewatch.server import create_app
from gatewatch.store.chain import GENESIS, digest, entry_hash

pytestmark = pytest.mark.slow  # users signed in with argon2, a record built per test (seconds)

USERS = {"otto": ("guard", "otto"), "wren": ("lead", "wren"), "ada": ("analyst", None)}
CARD = {
    "id": "card-ines",
    "type": "credential",
    "person": "ines",
    "credential": "c-ines",
    "kind": "card+pin",
    "pin": PIN,
    "duress_pin": DURESS_PIN,
    "by": "wren",
}


@dataclass
class Desk:
    client: TestClient
    services: Services
    tokens: dict[str, str]

    def post(self, user: str, event: dict[str, Any]) -> dict[str, Any]:
        answer = self.client.post("/v1/events", json=event, headers=self.auth(user))
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        return body

    def entry(self, user: str, event_id: str) -> dict[str, Any]:
        answer = self.client.get(f"/v1/events/{event_id}", headers=self.auth(user))
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        return body

    def auth(self, user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[user]}"}


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    services = build(write_site(tmp_path), f"sqlite:///{tmp_path / 'harbour.db'}")
    services.clock = lambda: START
    for name, (role, person) in USERS.items():
        services.gatekeeper.add_user(name, role, f"{name}-password", person)
    with TestClient(create_app(services, names_apart=False)) as client:
        tokens = {name: services.gatekeeper.login(name, f"{name}-password", "test").token for name in USERS}
        yield Desk(client, services, tokens)


def test_no_one_is_shown_a_credentials_pin_hashes(desk: Desk) -> None:
    """A hash of a PIN of four digits gives the PIN to a few thousand guesses: it stays in the record."""
    desk.post("wren", CARD)
    for user in USERS:
        shown = desk.entry(user, "card-ines")
        text = json.dumps(shown)
        assert "$argon2" not in text and PIN not in text and DURESS_PIN not in text, user
        assert shown["payload"]["credential"] == "c-ines", user
        assert shown["payload"]["pin"] == shown["payload"]["duress_pin"] == "sealed", user


def test_a_credential_without_a_pin_is_shown_without_one(desk: Desk) -> None:
    plain = {key: value for key, value in CARD.items() if key not in ("pin", "duress_pin")}
    desk.post("wren", {**plain, "id": "card-plain", "credential": "c-plain", "kind": "card"})
    shown = desk.entry("otto", "card-plain")["payload"]
    assert shown["pin"] is None and shown["duress_pin"] is None


def badge(event_id: str, pin: str) -> dict[str, Any]:
    return {"id": event_id, "type": "badge", "reader": "quay-in", "credential": "c-ines", "pin": pin}


def consistent(shown: dict[str, Any], previous_hash: str) -> bool:
    """Whether the entry as shown hashes to the hash shown with it (or no hash is shown)."""
    if not shown["hash"]:
        return True
    fields = ("seq", "event_id", "type", "at", "received", "submitted_by")
    found = entry_hash(*(shown[f] for f in fields), digest(shown["payload"]), digest(shown["outcome"]), previous_hash)
    return bool(found == shown["hash"])


def test_a_guard_cannot_tell_a_duress_badge_by_its_hash(desk: Desk) -> None:
    """Checked against what a guard is shown of it, a duress badge's hash would not match: the
    guard would know something was left out, and only DURESS is."""
    desk.post("wren", CARD)
    desk.post("wren", badge("badge-right", PIN))
    desk.post("wren", badge("badge-duress", DURESS_PIN))
    mine = desk.post("otto", {"id": "otto-after", "type": "weather", "temp_c": 12})
    previous = GENESIS
    for event_id in ("card-ines", "badge-right", "badge-duress", "otto-after"):
        shown = desk.entry("otto", event_id)
        assert consistent(shown, previous), f"{event_id}: its hash tells the guard something is hidden"
        previous = shown["hash"] or previous
    assert mine["hash"] == desk.entry("otto", "otto-after")["hash"]
    lead = desk.entry("wren", "badge-duress")
    assert lead["hash"] and lead["payload"]["pin_given"] == "duress", "a lead still gets the entry's hash"


def test_a_guard_cannot_tell_a_duress_badge_by_the_numbers_of_its_alerts(desk: Desk) -> None:
    """An alert's id is its place among its entry's alerts: a guard shown an entry's second alert
    and not its first would know the first is hidden."""
    desk.post("wren", CARD)
    desk.post("wren", {"id": "rev", "type": "revoke", "credential": "c-ines", "by": "wren"})
    outcome = desk.post("wren", badge("badge-revoked-duress", DURESS_PIN))["outcome"]
    assert {"DURESS", "REVOKED_CREDENTIAL_USED"} <= {a["code"] for a in outcome["alerts"]}
    shown = desk.client.get("/v1/alerts", headers=desk.auth("otto")).json()
    numbers = sorted(int(alert["id"].split("-")[1]) for alert in shown if alert["event"] == "badge-revoked-duress")
    assert numbers == list(range(1, len(numbers) + 1)), f"alert numbers {numbers} have a gap"


def test_the_guards_view_of_the_record_says_nothing_of_a_pin(desk: Desk) -> None:
    desk.post("wren", CARD)
    desk.post("wren", badge("badge-wrong", "9999"))
    for event_id in ("card-ines", "badge-wrong"):
        text = json.dumps(desk.entry("otto", event_id))
        assert "9999" not in text and PIN not in text
