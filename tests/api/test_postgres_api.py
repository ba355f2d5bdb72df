"""The desk served on PostgreSQL: the same answers as on SQLite, and a restart keeps them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.conftest import USERS, password, write_site
from gatewatch.bootstrap import build
from gatewatch.server import create_app
from store.conftest import _postgres_database

FORCED = {"id": "f1", "type": "open", "door": "side", "by": "g1"}


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from _postgres_database()


def test_the_desk_on_postgresql(tmp_path: Path, postgres_url: str) -> None:
    site = write_site(tmp_path)
    services = build(site, postgres_url)
    for name, (role, person) in USERS.items():
        services.gatekeeper.add_user(name, role, password(name), person)
    with TestClient(create_app(services, names_apart=False)) as client:
        login = client.post("/v1/login", json={"name": "gus", "password": password("gus")}).json()
        headers = {"Authorization": f"Bearer {login['token']}"}
        answer = client.post("/v1/events", json=FORCED, headers=headers).json()
        assert [a["code"] for a in answer["outcome"]["alerts"]] == ["DOOR_FORCED"]
        assert client.get("/v1/alerts", params={"person": "g1"}, headers=headers).json()[0]["id"] == "1-1"
        assert client.post("/v1/events", json=FORCED, headers=headers).json()["duplicate"] is True
    again = build(site, postgres_url)
    assert again.desk.state.lockdown is not None and again.log.verify().count == 1
    again.close()
