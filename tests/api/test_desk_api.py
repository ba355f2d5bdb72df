"""Alerts, people, invitations, the site and sign-in over HTTP."""

from __future__ import annotations

from api.conftest import Api, password
from gatewatch.service import auth

FORCED = {"id": "f1", "at": "2024-06-03T09:00:00Z", "type": "open", "door": "side", "by": "g1"}


def test_alerts_are_listed_newest_first_filtered_and_acknowledged_once(api: Api) -> None:
    api.submit("gus", FORCED)
    api.submit(
        "gus",
        {
            "id": "w1",
            "at": "2024-06-03T09:01:00Z",
            "type": "alarm",
            "alarm": "al1",
            "source": "pir-1",
            "kind": "motion",
            "zone": "yard",
        },
    )
    listed = api.get("gus", "/v1/alerts").json()
    assert [a["event"] for a in listed] == ["w1", "f1"]
    forced = api.get("gus", "/v1/alerts", code="DOOR_FORCED").json()
    assert [a["id"] for a in forced] == ["1-1"] and forced[0]["severity"] == "critical"
    assert api.get("gus", "/v1/alerts", severity="critical", acknowledged=False).json()[0]["id"] == "1-1"
    acked = api.client.post(
        "/v1/alerts/1-1/ack", json={"comment": "door checked, latch broken"}, headers=api.headers("gus")
    )
    assert acked.status_code == 200
    assert acked.json()["acknowledged"]["by"] == "gus"
    again = api.client.post("/v1/alerts/1-1/ack", json={"comment": "again"}, headers=api.headers("lena"))
    assert again.status_code == 409
    assert api.get("gus", "/v1/alerts", acknowledged=False, code="DOOR_FORCED").json() == []
    empty = api.client.post("/v1/alerts/1-1/ack", json={"comment": ""}, headers=api.headers("lena"))
    assert empty.status_code == 422 and empty.json()["field"] == "comment"


def test_alerts_filter_by_the_person_they_name(api: Api) -> None:
    api.submit("gus", FORCED)
    assert [a["id"] for a in api.get("gus", "/v1/alerts", person="g1").json()] == ["1-1"]
    assert api.get("gus", "/v1/alerts", person="g").json() == []


def test_a_person_file_is_read_and_the_read_is_recorded(api: Api) -> None:
    api.submit(
        "gus",
        {
            "id": "i1",
            "at": "2024-06-03T08:00:00Z",
            "type": "identify",
            "person": "vic",
            "name": "Victor Visitor",
            "phone": "+52 55 1234",
        },
    )
    found = api.get("gus", "/v1/people", q="victor").json()
    assert [p["id"] for p in found] == ["vic"]
    file = api.get("gus", "/v1/people/vic").json()
    assert file["identity"]["names"] == ["Victor Visitor"] and file["identity"]["phones"] == ["+52 55 1234"]
    assert api.get("gus", "/v1/people/nobody").status_code == 404
    assert api.get("gus", "/v1/people/vic/reads").status_code == 403
    reads = api.get("lena", "/v1/people/vic/reads").json()
    assert [r["user"] for r in reads] == ["gus"]


def test_a_host_invites_and_the_gate_sees_who_is_expected(api: Api) -> None:
    answer = api.client.post(
        "/v1/invitations",
        json={"id": "inv1", "person": "vic", "date": "2024-06-04", "purpose": "interview", "private": True},
        headers=api.headers("lena"),
    )
    assert answer.status_code == 200
    assert api.get("gus", "/v1/invitations", date="2024-06-04").json()[0]["by"] == "lead"
    assert api.get("gus", "/v1/invitations", date="2024-06-05").json() == []
    nobody = api.client.post(
        "/v1/invitations", json={"id": "inv2", "person": "vic", "date": "2024-06-04"}, headers=api.headers("root")
    )
    assert nobody.status_code == 403
    bad_date = api.client.post(
        "/v1/invitations", json={"id": "inv3", "person": "vic", "date": "4 June"}, headers=api.headers("lena")
    )
    assert bad_date.status_code == 422 and bad_date.json()["field"] == "date"


def test_the_site_and_the_state(api: Api) -> None:
    site = api.get("gus", "/v1/site").json()
    assert {d["id"] for d in site["doors"]} == {"outer", "inner", "side", "front", "office-door"}
    state = api.get("gus", "/v1/state").json()
    office = next(z for z in state["zones"] if z["id"] == "office")
    assert [p["id"] for p in office["people"]] == ["boss"]


def test_sign_in_sign_out_and_the_limit_on_failures(api: Api) -> None:
    good = api.client.post("/v1/login", json={"name": "gus", "password": password("gus")})
    assert good.status_code == 200
    token = good.json()["token"]
    assert api.client.get("/v1/me", headers={"Authorization": f"Bearer {token}"}).json()["role"] == "guard"
    assert api.client.post("/v1/logout", headers={"Authorization": f"Bearer {token}"}).status_code == 204
    assert api.client.get("/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    for _ in range(auth.MAX_FAILURES):
        assert api.client.post("/v1/login", json={"name": "gus", "password": "wrong"}).status_code == 401
    limited = api.client.post("/v1/login", json={"name": "gus", "password": password("gus")})
    assert limited.status_code == 429 and limited.headers["Retry-After"]
    assert api.client.post("/v1/login", json={"name": "lena", "password": password("lena")}).status_code == 200


def test_the_console_session_cookie_works_too(api: Api) -> None:
    api.client.post("/v1/login", json={"name": "ada", "password": password("ada")})
    assert api.client.get("/v1/me").json()["user"] == "ada"


def test_reading_an_identity_event_is_recorded_as_reading_the_file(api: Api) -> None:
    api.submit("gus", {"id": "i1", "at": "2024-06-03T08:00:00Z", "type": "identify", "person": "vic", "name": "Vic"})
    assert api.get("ada", "/v1/events/i1").json()["payload"]["name"] == "Vic"
    assert [r["user"] for r in api.get("lena", "/v1/people/vic/reads").json()] == ["ada"]


def test_how_a_person_came_to_be_trusted(api: Api) -> None:
    api.submit("lena", {"id": "v1", "at": "2024-06-03T08:00:00Z", "type": "vouch", "by": "lead", "for": "vic"})
    api.submit("lena", {"id": "i1", "at": "2024-06-03T08:01:00Z", "type": "invite", "by": "lead", "person": "vic"})
    trust = api.get("gus", "/v1/people/vic/trust").json()
    assert [link["kind"] for link in trust["links"]] == ["vouched", "invited"]
    assert trust["rests_on_vouches_alone"] is True and trust["backers"][0]["person"] == "lead"
    api.submit(
        "lena",
        {
            "id": "t1",
            "at": "2024-06-03T08:02:00Z",
            "type": "vet",
            "by": "lead",
            "person": "vic",
            "clearance": "visitor",
        },
    )
    assert api.get("gus", "/v1/people/vic/trust").json()["rests_on_vouches_alone"] is False
    assert api.get("gus", "/v1/people/nobody/trust").status_code == 404
