"""The insider view in the console: a lead, an analyst or an admin sees the link and the page; a
guard sees neither (the page refuses them, 403)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.conftest import Api, password, serving

LINK = 'href="/insider"'


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    with serving(tmp_path) as served:
        served.client.headers["origin"] = str(served.client.base_url).rstrip("/")  # a form of the desk's own
        yield served


def signed_in(api: Api, name: str) -> TestClient:
    client = api.client
    client.cookies.clear()
    answer = client.post("/login", data={"name": name, "password": password(name)}, follow_redirects=False)
    assert answer.status_code == 303
    return client


def forced_by_gus(api: Api) -> None:
    answer = api.submit("gus", {"id": "f1", "type": "open", "door": "side", "by": "g1", "at": "2024-06-03T09:00:00Z"})
    assert answer.status_code == 200


def test_a_guard_is_not_shown_the_link_and_is_refused_the_page(api: Api) -> None:
    forced_by_gus(api)
    client = signed_in(api, "gus")
    assert LINK not in client.get("/board").text
    refused = client.get("/insider")
    assert refused.status_code == 403
    assert "for leads and analysts only" in refused.text
    assert "insider-g1" not in refused.text and "doors opened without a grant" not in refused.text


@pytest.mark.parametrize("name", ["lena", "ada", "root"])
def test_a_lead_an_analyst_and_an_admin_see_the_link_and_the_signals(api: Api, name: str) -> None:
    forced_by_gus(api)
    client = signed_in(api, name)
    assert LINK in client.get("/board").text
    page = client.get("/insider")
    assert page.status_code == 200
    assert 'id="insider-g1"' in page.text and "Gus Guard" in page.text
    assert "doors opened without a grant" in page.text and "<code>f1</code>" in page.text


def test_a_date_that_is_not_one_is_said_plainly(api: Api) -> None:
    page = signed_in(api, "lena").get("/insider", params={"since": "2024-06-31"})
    assert page.status_code == 200
    assert 'class="problem"' in page.text and "field &#39;since&#39;" in page.text and "not a date" in page.text
