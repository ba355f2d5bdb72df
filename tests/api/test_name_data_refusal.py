"""An event whose names cannot be looked up is refused whole (503), before the desk decides anything."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import pytest

from api.conftest import Api
from gatewatch.core import name_symbols
from gatewatch.core.name_symbols import PartSymbols
from gatewatch.service.name_data import NameDataUnavailable


def _never_ready(parts: Sequence[str]) -> Mapping[str, PartSymbols]:
    raise NameDataUnavailable("the name data's process is not ready")


@pytest.fixture
def name_data_down() -> Iterator[None]:
    before = name_symbols.installed()
    name_symbols.install(_never_ready)
    try:
        yield
    finally:
        name_symbols.install(before)


def test_an_identity_whose_names_cannot_be_looked_up_is_refused_and_nothing_recorded(
    api: Api, name_data_down: None
) -> None:
    event = {"id": "i1", "at": "2024-06-03T08:00:00Z", "type": "identify", "person": "vic", "name": "Qzxwv Vrkl"}
    answer = api.submit("gus", event)
    assert answer.status_code == 503, answer.text
    assert "name data is not ready" in answer.json()["detail"] and answer.headers["Retry-After"] == "5"
    assert api.get("ada", "/v1/events/i1").status_code == 404


def test_near_miss_an_event_without_names_is_decided_meanwhile(api: Api, name_data_down: None) -> None:
    event = {"id": "a1", "at": "2024-06-03T09:00:00Z", "type": "arrive", "people": ["vic"], "door": "outer"}
    answer = api.submit("gus", event)
    assert answer.status_code == 200, answer.text
