"""Watchlist screening over HTTP: at identify and invite by itself, on demand, and exported."""

from __future__ import annotations

import csv
import io

from api.conftest import Api
from gatewatch.core.watchlist import WatchEntry
from gatewatch.store.watchlists import Watchlists

MERCADER = WatchEntry(
    "Ramón Mercader", aliases=("Jacques Mornard", "Frank Jacson"), note="wanted", id="co-17", documents=("JX1940817",)
)


def import_list(api: Api) -> None:
    Watchlists(api.services.log.engine).import_version(
        "court orders", [MERCADER], source="court.jsonl", by="root", at="2026-11-25T10:00:00+00:00"
    )


def identify(name: str, ident: str = "i1", person: str = "vic") -> dict[str, object]:
    return {"id": ident, "at": "2024-06-03T09:00:00Z", "type": "identify", "person": person, "name": name}


def test_an_identify_is_screened_and_a_match_raises_the_alert(api: Api) -> None:
    import_list(api)
    answer = api.submit("ada", identify("Frank Jackson"))
    assert answer.status_code == 200, answer.text
    (screening,) = answer.json()["then"]
    (alert,) = screening["outcome"]["alerts"]
    assert alert["code"] == "WATCHLIST_MATCH"
    assert '"Ramón Mercader" under the alias "Frank Jacson" on the court orders watchlist (wanted)' in alert["message"]
    recorded = api.get("ada", "/v1/events/i1.screening").json()
    assert recorded["payload"]["lists"] == [{"list": "court orders", "version": 1}]
    assert recorded["payload"]["candidates"][0]["entry"] == "co-17"
    assert recorded["submitted_by"] == "ada"
    assert api.get("ada", "/v1/people/vic").json()["concerns"]


def test_an_invitation_screens_the_names_on_record(api: Api) -> None:
    import_list(api)
    api.submit("ada", identify("Natalia Sedova", person="nat"))
    invited = api.client.post(
        "/v1/invitations", json={"id": "v1", "person": "nat", "date": "2024-06-03"}, headers=api.headers("ada")
    )
    assert invited.status_code == 200, invited.text
    (screening,) = invited.json()["then"]
    assert screening["outcome"]["alerts"] == []


def test_nothing_is_screened_before_a_list_is_imported(api: Api) -> None:
    assert api.submit("ada", identify("Frank Jackson")).json()["then"] == []


def test_a_guard_screens_a_name_on_demand_and_a_lead_exports_the_screenings(api: Api) -> None:
    import_list(api)
    asked = api.client.post(
        "/v1/screenings", json={"id": "s1", "names": ["Jacques Mornard"]}, headers=api.headers("gus")
    )
    assert asked.status_code == 200, asked.text
    body = asked.json()
    assert body["result"] == "match" and body["alerts"] == []  # nobody on site was named
    assert body["candidates"][0]["alias"] == "Jacques Mornard" and body["candidates"][0]["match"]
    by_document = api.client.post(
        "/v1/screenings", json={"id": "s2", "documents": ["jx 1940817"]}, headers=api.headers("gus")
    ).json()
    assert by_document["candidates"][0]["reasons"][0] == "document number JX1940817 is on the entry"
    assert api.get("gus", "/v1/screenings").status_code == 403
    exported = api.get("lena", "/v1/screenings")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [(r["screened_by"], r["result"], r["best_entry"]) for r in rows] == [
        ("gus", "match", "co-17"),
        ("gus", "match", "co-17"),
    ]
    lines = api.get("lena", "/v1/screenings", format="jsonl").text.splitlines()
    assert len(lines) == 2 and '"candidates"' in lines[0]


def test_a_person_on_record_is_screened_by_every_name_they_gave(api: Api) -> None:
    api.submit("ada", identify("Jacques Mornard"))
    import_list(api)
    asked = api.client.post("/v1/screenings", json={"id": "s1", "person": "vic"}, headers=api.headers("ada")).json()
    assert asked["alerts"] == ["WATCHLIST_MATCH"]


def test_a_screening_result_cannot_be_submitted_as_an_event(api: Api) -> None:
    forged = {"id": "w1", "type": "watchlist_check", "screened_by": "gus", "names": ["Frank Jacson"]}
    answer = api.submit("lena", forged)
    assert answer.status_code == 403 and "/v1/screenings" in answer.json()["detail"]


def test_unknown_people_and_empty_screenings_are_refused(api: Api) -> None:
    nobody = api.client.post("/v1/screenings", json={"id": "s1", "person": "ghost"}, headers=api.headers("ada"))
    assert nobody.status_code == 422 and "ghost" in nobody.json()["detail"] and nobody.json()["field"] == "person"
    empty = api.client.post("/v1/screenings", json={"id": "s2"}, headers=api.headers("ada"))
    assert empty.status_code == 422 and "names or documents" in empty.json()["detail"]


def test_the_lists_and_their_versions_are_listed(api: Api) -> None:
    import_list(api)
    import_list(api)
    (current,) = api.get("gus", "/v1/watchlists").json()
    assert (current["list"], current["version"], current["entries"]) == ("court orders", 2, 1)
    assert len(api.get("gus", "/v1/watchlists", all="true").json()) == 2


def test_a_name_written_as_a_formula_is_exported_inert(api: Api) -> None:
    import_list(api)
    api.client.post("/v1/screenings", json={"id": "s1", "names": ['=HYPERLINK("x")']}, headers=api.headers("ada"))
    (row,) = csv.DictReader(io.StringIO(api.get("ada", "/v1/screenings").text))
    assert row["names"] == '\'=HYPERLINK("x")'
