"""Submitting events over HTTP: decisions, resends, conflicts, and errors that name the field."""

from __future__ import annotations

from api.conftest import Api

ARRIVE = {"id": "a1", "at": "2024-06-03T09:00:00Z", "type": "arrive", "people": ["vic"], "door": "outer"}
REQUEST = {"id": "r1", "at": "2024-06-03T09:01:00Z", "type": "request", "door": "inner", "by": "g1", "for": ["vic"]}


def test_a_request_is_decided_and_recorded(api: Api) -> None:
    assert api.submit("gus", ARRIVE).status_code == 200
    answer = api.submit("gus", REQUEST)
    assert answer.status_code == 200
    body = answer.json()
    assert body["outcome"]["decision"] == "deny"
    assert "NOT_SCREENED" in body["outcome"]["reasons"]
    assert body["seq"] == 2 and not body["duplicate"]
    recorded = api.get("gus", "/v1/events/r1").json()
    assert recorded["submitted_by"] == "gus" and recorded["hash"] == body["hash"]


def test_a_resent_event_returns_the_first_outcome(api: Api) -> None:
    first = api.submit("gus", ARRIVE).json()
    api.submit("gus", REQUEST)
    again = api.submit("gus", ARRIVE).json()
    assert again["duplicate"] is True
    assert again["seq"] == first["seq"] and again["outcome"] == first["outcome"]
    assert api.services.log.head()[0] == 2


def test_an_id_reused_for_other_content_is_a_conflict(api: Api) -> None:
    api.submit("gus", ARRIVE)
    other = api.submit("gus", {**ARRIVE, "door": "side"})
    assert other.status_code == 409
    assert other.json()["field"] == "id"


def test_an_event_reported_after_a_later_one_is_dated_with_the_last_one(api: Api) -> None:
    """A live event is never refused for its date: one that reaches the desk late takes the last time."""
    api.submit("gus", REQUEST)
    late = api.submit("gus", {**ARRIVE, "id": "a2"})
    assert late.status_code == 200
    assert late.json()["outcome"]["at"] == "2024-06-03T09:01:00+00:00"
    assert api.services.log.verify().count == 2


def test_an_unknown_door_is_named_with_the_nearest_one(api: Api) -> None:
    answer = api.submit("gus", {**REQUEST, "door": "iner"})
    assert answer.status_code == 422
    assert answer.json() == {
        "detail": 'event r1, field \'door\': unknown door "iner", did you mean "inner"?',
        "field": "door",
        "where": "event r1",
    }


def test_bad_shapes_name_the_problem(api: Api) -> None:
    no_id = api.submit("gus", {"type": "weather", "temp_c": 30})
    assert no_id.status_code == 422 and no_id.json()["field"] == "id"
    bad_type = api.submit("gus", {"id": "w1", "type": "wether", "temp_c": 30})
    assert 'did you mean "weather"' in bad_type.json()["detail"]
    wrong = api.submit("gus", {"id": "w1", "type": "weather", "temp_c": "hot"})
    assert wrong.status_code == 422 and wrong.json()["field"] == "temp_c"
    not_json = api.client.post("/v1/events", content=b"{", headers=api.headers("gus"))
    assert not_json.status_code == 422
    listed = api.client.post("/v1/events", json=[1, 2], headers=api.headers("gus"))
    assert listed.status_code == 422


def test_an_override_must_name_a_denied_request(api: Api) -> None:
    answer = api.submit("lena", {"id": "o1", "type": "override", "request": "r9", "by": "lead"})
    assert answer.status_code == 422
    assert answer.json()["field"] == "request"


def test_without_a_token_nothing_is_answered(api: Api) -> None:
    assert api.client.post("/v1/events", json=ARRIVE).status_code == 401
    assert api.client.get("/v1/state").status_code == 401
    assert api.client.get("/v1/state", headers={"Authorization": "Bearer nonsense"}).status_code == 401
    assert api.services.log.head()[0] == 0


def test_an_override_after_the_window_is_refused_with_the_reason(api: Api) -> None:
    api.submit("gus", ARRIVE)
    api.submit("gus", REQUEST)
    late = api.submit(
        "lena", {"id": "o1", "at": "2024-06-03T10:30:00Z", "type": "override", "request": "r1", "by": "lead"}
    )
    assert late.status_code == 422
    assert "denied more than 60 minutes ago" in late.json()["detail"]


def test_numbers_beyond_the_record_are_refused_not_crashed_on(api: Api) -> None:
    assert api.get("gus", "/v1/alerts", before=2**63).status_code == 422
    assert api.submit("gus", {"id": "x", "type": {}}).status_code == 422
