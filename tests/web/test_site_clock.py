"""Every time on a person's page on the site's clock, written ``1940-08-11 12:00``.

The engine's state read back from a snapshot holds its instants in UTC (a 16:30 visit in Coyoacán
is 22:30 there); the page must still say 16:30. The long approach is recorded up to the observation
of 11 August with a snapshot every ten entries, and the console is started on that record, so its
state comes from a snapshot, as a desk's does after a restart.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from gatewatch.bootstrap import build
from gatewatch.files.loader import load_drill
from gatewatch.server import create_app
from gatewatch.service.desk import Desk
from gatewatch.store.log import EventLog, database_url
from gatewatch.views.site_clock import on_site, shown

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "examples" / "coyoacan" / "site.yaml"
LONG_APPROACH = ROOT / "examples" / "coyoacan" / "1940-08-20-long-approach.yaml"
MEXICO = ZoneInfo("America/Mexico_City")
SHOWN = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d$")


def test_an_instant_in_utc_is_shown_on_the_site_clock() -> None:
    at = datetime(1940, 8, 11, 18, 0, tzinfo=UTC)
    assert shown(at, MEXICO) == "1940-08-11 12:00"
    assert on_site(at, MEXICO) == "1940-08-11T12:00:00-06:00"
    assert shown("1940-08-11T18:00:00+00:00", MEXICO) == "1940-08-11 12:00"


def test_a_time_already_on_the_site_clock_is_left_as_it_reads() -> None:
    at = datetime(1940, 8, 11, 12, 0, 30, 250, tzinfo=timezone(timedelta(hours=-6)))
    assert shown(at, MEXICO) == "1940-08-11 12:00"
    assert on_site(at, MEXICO) == at.isoformat()


class Cells(HTMLParser):
    """The text of each table cell and list item, by the id or class of the table or list it is in."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, list[list[str]]] = {}
        self._where: list[str] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag in ("table", "ul"):
            self._where.append(named.get("class") or named.get("id") or tag)
        elif tag in ("tr", "li") and self._where:
            self._row = []
            if tag == "li":
                self._cell = []
        elif tag == "td" and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("table", "ul") and self._where:
            self._where.pop()
        elif tag in ("td", "li") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
            if tag == "li":
                self._end_row()
        elif tag == "tr" and self._row is not None:
            self._end_row()

    def _end_row(self) -> None:
        if self._row:
            self.found.setdefault(self._where[-1], []).append(self._row)
        self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("clock")
    drill = load_drill(LONG_APPROACH)
    log = EventLog.open(database_url(data))
    desk = Desk.open(drill.site, log, snapshot_every=10)
    for event in drill.events:
        desk.submit(event, "history", datetime(1940, 8, 21, tzinfo=UTC))
        if event.id == "q2":  # the observation of 11 August, as the demo records it
            break
    desk.close()
    log.close()
    services = build(SITE, database_url(data))
    assert services.desk.state.pathways["jacson"].visits[0].arrived.at.utcoffset() == timedelta(0)  # from a snapshot
    services.gatekeeper.add_user("hansen", "lead", "hansen-password", "hansen")
    try:
        with TestClient(create_app(services, names_apart=False)) as client:
            client.headers["origin"] = str(client.base_url).rstrip("/")
            signed = client.post("/login", data={"name": "hansen", "password": "hansen-password"})
            assert signed.status_code == 200, signed.text
            answer = client.get("/people/jacson")
            assert answer.status_code == 200
            yield answer.text
    finally:
        services.close()


@pytest.mark.slow
def test_the_chart_and_its_tables_give_the_site_time(page: str) -> None:
    cells = Cells()
    cells.feed(page)
    visits = [row[0] for row in cells.found["depth-table"]]
    assert visits[:3] == ["1940-02-10 17:00", "1940-03-20 17:00", "1940-05-02 16:30"]  # not 23:00, 22:30
    marks = cells.found["marks-table"]
    assert marks and all(SHOWN.match(row[2]) for row in marks), marks
    data = json.loads(page.split('id="depth-data">', 1)[1].split("</script>", 1)[0])
    assert all(visit["at"].endswith("-06:00") for visit in data["visits"]), data["visits"]
    assert all(mark["at"].endswith("-06:00") for mark in data["marks"]), data["marks"]


@pytest.mark.slow
def test_observations_and_what_was_presented_give_the_site_time(page: str) -> None:
    cells = Cells()
    cells.feed(page)
    presented = [row[0] for row in cells.found["compact presented"]]
    assert presented and set(presented) == {"1940-02-10 08:10"}, presented  # not 14:10, no "T"
    observations = [row[0] for rows in cells.found.values() for row in rows if row[0].endswith(("agitated", "pale"))]
    assert sorted(observations) == ["1940-08-11 12:00 agitated", "1940-08-11 12:00 pale"]
