"""Roles over HTTP: what a guard may not do, and nobody acting as someone else."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

from api.conftest import Api, password

FORCED = {"id": "f1", "type": "open", "door": "side", "by": "g1"}
ARRIVE = {"id": "a1", "type": "arrive", "people": ["vic"], "door": "outer"}
REQUEST = {"id": "r1", "type": "request", "door": "inner", "by": "g1", "for": ["vic"]}
OVERRIDE = {"id": "o1", "type": "override", "request": "r1", "by": "g1"}


def basic(name: str) -> str:
    return "Basic " + base64.b64encode(f"{name}:{password(name)}".encode()).decode()


def test_a_guard_cannot_vet(api: Api) -> None:
    answer = api.submit("gus", {"id": "v1", "type": "vet", "person": "vic", "by": "g1", "clearance": "known"})
    assert answer.status_code == 403
    assert "needs a lead" in answer.json()["detail"]


def test_a_lead_can_vet(api: Api) -> None:
    answer = api.submit("lena", {"id": "v1", "type": "vet", "person": "vic", "by": "lead", "clearance": "known"})
    assert answer.status_code == 200


def test_a_guard_cannot_approve_an_override_even_as_the_approver(api: Api) -> None:
    api.submit("gus", ARRIVE)
    api.submit("gus", REQUEST)
    answer = api.submit("gus", {**OVERRIDE, "approved_by": "g1"})
    assert answer.status_code == 403
    assert "only a lead may approve" in answer.json()["detail"]


def test_an_override_named_for_a_lead_needs_that_lead_to_sign(api: Api) -> None:
    api.submit("gus", ARRIVE)
    api.submit("gus", REQUEST)
    unsigned = api.submit("gus", {**OVERRIDE, "approved_by": "lead"})
    assert unsigned.status_code == 403 and unsigned.json()["field"] == "approved_by"
    wrong_password = api.submit(
        "gus", {**OVERRIDE, "approved_by": "lead"}, **{"X-Approver-Authorization": "Basic " + "bGVuYTpubw=="}
    )
    assert wrong_password.status_code == 401
    signed = api.submit("gus", {**OVERRIDE, "approved_by": "lead"}, **{"X-Approver-Authorization": basic("lena")})
    assert signed.status_code == 200
    assert [a["code"] for a in signed.json()["outcome"]["alerts"]] == ["OVERRIDE"]


def test_a_lead_signing_for_another_lead_is_refused(api: Api) -> None:
    api.submit("gus", ARRIVE)
    api.submit("gus", REQUEST)
    answer = api.submit("gus", {**OVERRIDE, "approved_by": "boss"}, **{"X-Approver-Authorization": basic("lena")})
    assert answer.status_code == 403
    assert "nobody may act as someone else" in answer.json()["detail"]


def test_a_guard_cannot_clear_a_concern_but_may_not_be_stopped_raising_one(api: Api) -> None:
    clear = api.submit("gus", {"id": "c1", "type": "concern", "person": "vic", "by": "g1", "open": False})
    assert clear.status_code == 403
    raise_ = api.submit("gus", {"id": "c2", "type": "concern", "person": "vic", "by": "g1", "open": True})
    assert raise_.status_code == 200


def test_a_guard_cannot_end_a_lockdown_and_a_lead_can(api: Api) -> None:
    assert api.get("gus", "/v1/state").json()["lockdown"] is None
    api.submit("gus", FORCED)
    assert api.get("gus", "/v1/state").json()["lockdown"] is not None
    refused = api.submit("gus", {"id": "ac1", "type": "all_clear", "by": "g1"})
    assert refused.status_code == 403
    assert api.get("gus", "/v1/state").json()["lockdown"] is not None
    done = api.submit("lena", {"id": "ac2", "type": "all_clear", "by": "lead"})
    assert done.status_code == 200
    assert api.get("gus", "/v1/state").json()["lockdown"] is None


def test_nobody_acts_as_someone_else(api: Api) -> None:
    for user in ("gus", "lena", "ada", "root"):
        answer = api.submit(user, {**REQUEST, "by": "g2"})
        assert answer.status_code == 403, user
        assert answer.json()["field"] in {"by", "type"}
    assert api.submit("lena", {"id": "w1", "type": "waive", "by": "boss", "for": "vic", "rules": ["NOT_SCREENED"]})
    assert api.services.log.head()[0] == 0


def test_an_analyst_does_not_work_the_doors(api: Api) -> None:
    answer = api.submit("ada", {"id": "o1", "type": "open", "door": "front", "by": "aide"})
    assert answer.status_code == 403
    vet = api.submit("ada", {"id": "v1", "type": "vet", "person": "vic", "by": "aide", "clearance": "visitor"})
    assert vet.status_code == 200


def test_verifying_the_record_needs_more_than_a_guard(api: Api) -> None:
    api.submit("gus", FORCED)
    assert api.get("gus", "/v1/log/verify").status_code == 403
    verdict = api.get("ada", "/v1/log/verify").json()
    assert verdict["ok"] is True and verdict["count"] == 1


def at_night(api: Api) -> None:
    """The desk's clock at 22:00 on the test site (night from 20:00 to 07:00)."""
    api.services.clock = lambda: datetime(2024, 6, 3, 22, 0, tzinfo=UTC)


def test_a_lone_guard_at_night_cannot_post_a_second_guard(api: Api) -> None:
    at_night(api)
    assert api.submit("gus", {"id": "p1", "type": "post", "post": "gate", "on_duty": ["g1"]}).status_code == 200
    forged = api.submit("gus", {"id": "p2", "type": "post", "post": "gate", "on_duty": ["g2"]})
    assert forged.status_code == 403 and forged.json()["field"] == "on_duty"
    assert 'on_duty names "g2"' in forged.json()["detail"] and "ask a lead" in forged.json()["detail"]
    api.submit("gus", ARRIVE)
    request = api.submit("gus", {**REQUEST, "door": "outer"})
    assert "NIGHT_TWO_PERSON" in request.json()["outcome"]["reasons"]


def test_a_guard_cannot_take_another_guard_off_post_but_a_lead_can(api: Api) -> None:
    at_night(api)
    assert api.submit("lena", {"id": "p1", "type": "post", "post": "gate", "on_duty": ["g1", "g2"]}).status_code == 200
    refused = api.submit("gus", {"id": "p2", "type": "post", "post": "gate", "off_duty": ["g2"]})
    assert refused.status_code == 403 and refused.json()["field"] == "off_duty"
    assert api.submit("gus", {"id": "p3", "type": "post", "post": "gate", "off_duty": ["g1"]}).status_code == 200
    assert api.submit("lena", {"id": "p4", "type": "post", "post": "gate", "off_duty": ["g2"]}).status_code == 200


def test_the_attackers_failures_at_the_desk_do_not_stop_a_leads_approval(api: Api) -> None:
    for attempt in range(20):
        name = ("lena", "gus", "ada", "root")[attempt % 4]
        failed = api.client.post("/v1/login", json={"name": name, "password": "guess"})
        assert failed.status_code in {401, 429}
    api.submit("gus", ARRIVE)
    api.submit("gus", REQUEST)
    signed = api.submit("gus", {**OVERRIDE, "approved_by": "lead"}, **{"X-Approver-Authorization": basic("lena")})
    assert signed.status_code == 200, signed.text
    assert [a["code"] for a in signed.json()["outcome"]["alerts"]] == ["OVERRIDE"]


def test_a_logout_ends_a_session_but_never_an_api_token(api: Api) -> None:
    token = api.services.gatekeeper.api_token("gus")
    bearer = {"Authorization": f"Bearer {token}"}
    refused = api.client.post("/v1/logout", headers=bearer)
    assert refused.status_code == 400
    assert "API token" in refused.json()["detail"] and "gatewatch user" in refused.json()["detail"]
    assert api.client.get("/v1/me", headers=bearer).status_code == 200
    assert api.client.post("/v1/logout", headers=api.headers("lena")).status_code == 204
    assert api.client.get("/v1/me", headers=api.headers("lena")).status_code == 401
