"""The API on the test site, with a real SQLite store in a temporary directory.

Users: ``gus`` (guard, person g1), ``lena`` (lead, person lead), ``ada`` (analyst, person
aide) and ``root`` (admin, no person). Each has the password ``NAME-password``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from gatewatch.bootstrap import Services, build
from gatewatch.server import create_app
from support import SITE_YAML

USERS = {"gus": ("guard", "g1"), "lena": ("lead", "lead"), "ada": ("analyst", "aide"), "root": ("admin", None)}


def password(name: str) -> str:
    return f"{name}-password"


@dataclass
class Api:
    client: TestClient
    services: Services
    tokens: dict[str, str]

    def headers(self, user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[user]}"}

    follow_clock: bool = True
    """Set the desk's clock to each event's own ``at`` before sending it, as if the test ran on that day
    (the desk holds a client's time to a few minutes around its clock)."""

    def submit(self, user: str, event: dict[str, Any], **headers: str) -> httpx.Response:
        at = event.get("at")
        if self.follow_clock and isinstance(at, str):
            try:
                moment = datetime.fromisoformat(at)
            except ValueError:
                pass
            else:
                self.services.clock = lambda: moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return self.client.post("/v1/events", json=event, headers={**self.headers(user), **headers})

    def get(self, user: str, path: str, **params: Any) -> httpx.Response:
        return self.client.get(path, headers=self.headers(user), params=params)


def write_site(directory: Path) -> Path:
    path = directory / "site.yaml"
    path.write_text(SITE_YAML, encoding="utf-8")
    return path


@contextmanager
def serving(directory: Path) -> Iterator[Api]:
    """The app on the test site in ``directory``, with the four users signed in."""
    services = build(write_site(directory), f"sqlite:///{directory / 'gatewatch.db'}")
    for name, (role, person) in USERS.items():
        services.gatekeeper.add_user(name, role, password(name), person)
    with TestClient(create_app(services, names_apart=False)) as client:
        tokens = {name: services.gatekeeper.login(name, password(name), "setup").token for name in USERS}
        yield Api(client, services, tokens)


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    with serving(tmp_path) as served:
        yield served
