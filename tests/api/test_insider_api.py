"""The insider view over HTTP: a guard who opens a door without a grant, dismisses the same alarm
twice and lends a card is there with those events; a guard's token is refused it (403)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.conftest import USERS, Api, password
from gatewatch.bootstrap import build
from gatewatch.server import create_app
from rules.readers_site import readers_site_yaml

DAY = "2024-06-03"
EVENTS: list[tuple[str, dict[str, Any]]] = [
    ("lena", {"id": "k1", "type": "credential", "person": "g1", "credential": "c-g1", "kind": "card", "by": "lead"}),
    ("gus", {"id": "p1", "type": "post", "post": "gate", "on_duty": ["g1"]}),
    ("root", {"id": "b1", "type": "badge", "reader": "outer-out", "credential": "c-g1"}),
    ("gus", {"id": "x1", "type": "alarm", "alarm": "a1", "source": "pir-2", "kind": "motion"}),
    ("gus", {"id": "d1", "type": "dismiss", "alarm": "a1", "by": "g1", "reason": "a cat"}),
    ("gus", {"id": "d2", "type": "dismiss", "alarm": "a1", "by": "g1", "reason": "the cat again"}),
    ("gus", {"id": "f1", "type": "open", "door": "side", "by": "g1"}),
]
"""Gus (g1) goes on the gate post in the lobby; his card is presented at the outer door from the
street while he is inside (lent); he dismisses one alarm twice; he opens the side gate with no grant."""


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    site = tmp_path / "site.yaml"
    site.write_text(readers_site_yaml(), encoding="utf-8")
    services = build(site, f"sqlite:///{tmp_path / 'gatewatch.db'}")
    for name, (role, person) in USERS.items():
        services.gatekeeper.add_user(name, role, password(name), person)
    with TestClient(create_app(services, names_apart=False)) as client:
        tokens = {name: services.gatekeeper.login(name, password(name), "setup").token for name in USERS}
        yield Api(client, services, tokens)


def played(api: Api) -> None:
    for minute, (user, event) in enumerate(EVENTS):
        answer = api.submit(user, {**event, "at": f"{DAY}T09:{minute:02d}:00+00:00"})
        assert answer.status_code == 200, answer.text


def signals_of(body: dict[str, Any], person: str) -> dict[str, dict[str, Any]]:
    (found,) = [p for p in body["people"] if p["person"] == person]
    return {s["code"]: s for s in found["signals"]}


def test_a_guard_who_forces_a_door_dismisses_an_alarm_twice_and_lends_a_card_is_in_the_view(api: Api) -> None:
    played(api)
    answer = api.get("lena", "/v1/insider", since=DAY, until=DAY)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["since"], body["until"]) == (DAY, DAY)
    gus = signals_of(body, "g1")
    assert [e["event"] for e in gus["doors_without_grant"]["events"]] == ["f1"]
    dismissed = gus["alarms_silenced"]
    assert dismissed["count"] == 2 and [e["event"] for e in dismissed["events"]] == ["d1", "d2"]
    assert "ALARM_DISMISSED_REPEATEDLY" in dismissed["events"][1]["said"]
    assert [e["event"] for e in gus["credentials_lent"]["events"]] == ["b1"]
    assert gus["credentials_lent"]["events"][0]["where"] == "outer"
    assert body["people"][0]["person"] == "g1"
    assert all(e["seq"] > 0 and e["at"].startswith(DAY) for s in gus.values() for e in s["events"])


def test_a_guards_token_is_refused_and_leads_analysts_and_admins_are_not(api: Api) -> None:
    played(api)
    refused = api.get("gus", "/v1/insider")
    assert refused.status_code == 403 and "lead" in refused.json()["detail"]
    for name in ("lena", "ada", "root"):
        answer = api.get(name, "/v1/insider")  # the last 90 days to the desk's today
        assert answer.status_code == 200 and signals_of(answer.json(), "g1")


def test_one_person_and_the_days_outside_the_span(api: Api) -> None:
    played(api)
    alone = api.get("ada", "/v1/insider", person="g1", since=DAY, until=DAY).json()
    assert [p["person"] for p in alone["people"]] == ["g1"]
    assert api.get("ada", "/v1/insider", person="g2", since=DAY, until=DAY).json()["people"] == []
    after = api.get("ada", "/v1/insider", since="2024-06-04", until="2024-06-30").json()
    assert after["people"] == []


@pytest.mark.parametrize(
    ("params", "field", "said"),
    [
        ({"since": "2024-06-05", "until": "2024-06-03"}, "since", "after until"),
        ({"since": "2023-01-01", "until": "2024-06-03"}, "since", "at most 366"),
        ({"since": "1700-01-01", "until": "1700-01-02"}, "since", "outside the years"),
        ({"until": "2024-02-30"}, "until", "date"),
        ({"person": "vic"}, "person", "visitor"),
    ],
)
def test_a_span_or_person_out_of_bounds_is_refused_naming_it(
    api: Api, params: dict[str, str], field: str, said: str
) -> None:
    api.submit("gus", {"id": "a1", "type": "arrive", "people": ["vic"], "door": "outer", "at": f"{DAY}T09:00:00+00:00"})
    answer = api.get("lena", "/v1/insider", **params)
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field and said in answer.json()["detail"]


def test_an_unknown_person_is_not_found(api: Api) -> None:
    answer = api.get("lena", "/v1/insider", person="nobody")
    assert answer.status_code == 404 and "nobody" in answer.json()["detail"]
