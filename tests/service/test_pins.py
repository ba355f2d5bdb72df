"""PINs through the real desk (API, service, SQLite): the record keeps argon2 hashes of a
credential's PINs and a badge's verdict, never the digits; badges are decided on them; a resend
is a duplicate; a client may not write the verdict; only a device or a lead submits a badge.

The site is the test house with readers (``tests/rules/readers_site.py``). PINs are twelve
digits, so that finding them in the store's bytes cannot be a coincidence of hashes or times.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from api.conftest import Api, password
from gatewatch.bootstrap import build
from gatewatch.server import create_app
from rules.readers_site import readers_site_yaml

PIN = "739104628351"
DURESS = "580263917446"
WRONG = "902817364510"
DIGITS = (PIN, DURESS, WRONG)

USERS = {"gus": ("guard", "g1"), "lena": ("lead", "lead"), "door": ("device", None)}

CREDENTIAL = {
    "id": "k1",
    "at": "2024-06-03T08:00:00Z",
    "type": "credential",
    "person": "res",
    "credential": "c-res",
    "kind": "card+pin",
    "pin": PIN,
    "duress_pin": DURESS,
    "by": "lead",
}
TO_YARD = {"id": "m1", "at": "2024-06-03T08:30:00Z", "type": "move", "people": ["res"], "to": "yard"}


def badge(ident: str, pin: str | None, at: str = "2024-06-03T09:00:00Z") -> dict[str, Any]:
    keyed = {"pin": pin} if pin is not None else {}
    return {"id": ident, "at": at, "type": "badge", "reader": "front-out", "credential": "c-res", **keyed}


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Api]:
    site = tmp_path / "site.yaml"
    site.write_text(readers_site_yaml(), encoding="utf-8")
    services = build(site, f"sqlite:///{tmp_path / 'gatewatch.db'}")
    for name, (role, person) in USERS.items():
        services.gatekeeper.add_user(name, role, password(name), person)
    with TestClient(create_app(services, names_apart=False)) as client:
        tokens = {name: services.gatekeeper.login(name, password(name), "setup").token for name in USERS}
        yield Api(client, services, tokens)


def _issued(desk: Api) -> None:
    for event in (CREDENTIAL, TO_YARD):
        answer = desk.submit("lena", event)
        assert answer.status_code == 200, answer.text


def _store_bytes(directory: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(directory.glob("gatewatch.db*")))


def test_the_record_keeps_hashes_and_verdicts_never_the_digits(desk: Api, tmp_path: Path) -> None:
    _issued(desk)
    answers = [desk.submit("lena", badge(f"b{n}", pin)) for n, pin in enumerate((PIN, DURESS, WRONG, None))]
    assert [a.status_code for a in answers] == [200] * 4
    log = desk.services.log
    kept = log.find("k1")
    assert kept is not None and kept.payload is not None
    assert kept.payload["pin"].startswith("$argon2id$") and kept.payload["duress_pin"].startswith("$argon2id$")
    assert PasswordHasher().verify(kept.payload["pin"], PIN)
    assert PasswordHasher().verify(kept.payload["duress_pin"], DURESS)
    verdicts = []
    for n in range(4):
        entry = log.find(f"b{n}")
        assert entry is not None and entry.payload is not None
        assert entry.payload.get("pin") is None
        verdicts.append(entry.payload.get("pin_given"))
    assert verdicts == ["right", "duress", "wrong", None]
    everything = json.dumps([[e.payload, e.outcome] for e in log.entries()])
    said = " ".join(a.text for a in answers) + desk.get("lena", "/v1/events/k1").text
    assert not [pin for pin in DIGITS if pin in everything or pin in said]
    desk.services.desk.close()  # whatever the desk keeps (its snapshot too) is written
    stored = _store_bytes(tmp_path)
    assert b"$argon2id$" in stored
    assert not [pin for pin in DIGITS if pin.encode() in stored]


def test_badges_are_decided_on_the_sealed_pins(desk: Api) -> None:
    _issued(desk)
    right, duress, wrong = (desk.submit("lena", badge(f"b{n}", pin)).json() for n, pin in enumerate(DIGITS))
    assert right["outcome"]["decision"] == "grant" and right["outcome"]["alerts"] == []
    assert duress["outcome"]["decision"] == "grant"
    assert [a["code"] for a in duress["outcome"]["alerts"]] == ["DURESS"]
    assert wrong["outcome"]["decision"] == "deny" and wrong["outcome"]["reasons"] == ["PIN_REQUIRED"]
    assert desk.services.desk.state.lockdown is None


def test_a_device_submits_badges_and_the_reopened_desk_agrees(desk: Api, tmp_path: Path) -> None:
    """The record's verdicts replay to the same state as the digits decided."""
    _issued(desk)
    for n, pin in enumerate((WRONG, WRONG, WRONG, PIN)):
        answer = desk.submit("door", badge(f"b{n}", pin, f"2024-06-03T09:0{n}:00Z"))
        assert answer.status_code == 200, answer.text
    assert [a["code"] for a in answer.json()["outcome"]["alerts"]] == []
    live = desk.services.desk.state
    desk.services.desk.close()
    reopened = build(tmp_path / "site.yaml", f"sqlite:///{tmp_path / 'gatewatch.db'}")
    try:
        assert reopened.desk.state == live
        assert reopened.log.find("b2") is not None
        codes = [a["code"] for a in reopened.log.find("b2").outcome["alerts"]]  # type: ignore[union-attr]
        assert codes == ["PIN_GUESSING"]
    finally:
        reopened.close()


def test_a_resent_credential_is_a_duplicate(desk: Api) -> None:
    """Sealed again, a PIN's hash differs by its salt: the resend is still the same event."""
    _issued(desk)
    first = desk.services.log.head()[0]
    again = desk.submit("lena", CREDENTIAL)
    assert again.status_code == 200, again.text
    assert again.json()["duplicate"] is True
    assert desk.services.log.head()[0] == first
    sent = desk.submit("lena", badge("b1", PIN))
    resent = desk.submit("lena", badge("b1", PIN))
    assert resent.status_code == 200 and resent.json()["duplicate"] is True
    assert resent.json()["outcome"] == sent.json()["outcome"]


def test_the_same_id_for_another_credential_is_a_conflict(desk: Api) -> None:
    _issued(desk)
    other = desk.submit("lena", {**CREDENTIAL, "zones": ["yard"]})
    assert other.status_code == 409
    assert other.json()["field"] == "id"


def test_a_client_may_not_send_the_verdict(desk: Api) -> None:
    _issued(desk)
    count = desk.services.log.head()[0]
    forged = {**badge("b1", None), "pin_given": "right"}
    for user in ("lena", "door"):
        answer = desk.submit(user, forged)
        assert answer.status_code == 422
        assert answer.json()["field"] == "pin_given"
        assert "pin_given" in answer.json()["detail"]
    assert desk.services.log.head()[0] == count


def test_a_guard_may_not_submit_a_badge(desk: Api) -> None:
    _issued(desk)
    answer = desk.submit("gus", badge("b1", PIN))
    assert answer.status_code == 403
    assert answer.json()["field"] == "type"
    assert desk.services.log.find("b1") is None


def test_revoking_an_unknown_credential_names_it(desk: Api) -> None:
    _issued(desk)
    answer = desk.submit("lena", {"id": "x1", "type": "revoke", "credential": "c-rse", "by": "lead"})
    assert answer.status_code == 422
    assert answer.json()["field"] == "credential"
    assert '"c-rse"' in answer.json()["detail"]
    known = desk.submit("gus", {"id": "x2", "type": "revoke", "credential": "c-res", "by": "g1"})
    assert known.status_code == 200
