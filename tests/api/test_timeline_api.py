"""A person's timeline and assessment over HTTP: leads, analysts and admins read them, a guard is
refused, an unknown person is 404, and the bounds are held (422)."""

from __future__ import annotations

import pytest

from api.conftest import Api
from gatewatch.core.timeline import MOST_ROWS

DAY = "2024-06-03T{}:00+00:00"
VISIT = [
    {"id": "i1", "at": DAY.format("08:56"), "type": "invite", "by": "lead", "person": "vic", "purpose": "tea"},
    {"id": "a1", "at": DAY.format("09:00"), "type": "arrive", "people": ["vic"], "door": "side", "wearing": ["coat"]},
    {"id": "s1", "at": DAY.format("09:01"), "type": "screen", "person": "vic", "by": "lead", "result": "clear",
     "surrendered": ["coat"]},
    {"id": "r1", "at": DAY.format("09:01"), "type": "request", "door": "side", "by": "lead", "for": ["vic"]},
    {"id": "o1", "at": DAY.format("09:01"), "type": "open", "door": "side"},
    {"id": "m1", "at": DAY.format("09:02"), "type": "move", "people": ["vic", "lead"], "to": "yard"},
    {"id": "c1", "at": DAY.format("09:02"), "type": "close", "door": "side"},
    {"id": "r2", "at": DAY.format("09:10"), "type": "request", "door": "office-door", "by": "lead", "for": ["vic"]},
    {"id": "w1", "at": DAY.format("09:12"), "type": "observe", "person": "vic", "by": "lead",
     "indicators": ["fixation"]},
    {"id": "l1", "at": DAY.format("10:02"), "type": "leave", "people": ["vic"]},
]  # fmt: skip


@pytest.fixture
def visited(api: Api) -> Api:
    for event in VISIT:
        answer = api.submit("lena", event)
        assert answer.status_code == 200, answer.text
    return api


def test_a_lead_reads_the_timeline_newest_first_with_the_visit_in_one_row(visited: Api) -> None:
    answer = visited.get("lena", "/v1/people/vic/timeline")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    rows = body["rows"]
    assert [r["seq"] for r in rows] == sorted((r["seq"] for r in rows), reverse=True)
    kinds = {r["event"]: r["kind"] for r in rows if r["kind"] != "alert"}
    assert kinds == {  # the leave is in the visit's row; moves, doors and the like are not rows of vic's
        "w1": "observation",
        "r2": "denied request",
        "r1": "request",
        "s1": "screening",
        "a1": "visit",
        "i1": "invitation",
    }
    visit = next(r for r in rows if r["event"] == "a1")
    line = visit["visit"]  # as the engine traced it: the deepest level, escort and screening
    assert (line["deepest"], line["deepest_zone"], line["escorted"], line["screening"]) == (2, "yard", True, "clear")
    assert (line["time_of_day"], line["surrendered"], line["left_event"]) == ("09:00", ["coat"], "l1")
    assert visit["visit"]["minutes"] == 62 and len(visit["hash"]) == 64  # a lead is shown the entry's hash
    assert any(r["kind"] == "alert" and r["alert"]["code"] == "CONCERNING_BEHAVIOR" for r in rows)
    assert not body["more"] and body["before"] is None
    assert [r.user for r in visited.services.accounts.reads_of("vic")] == ["lena"]  # the read is recorded


def test_pages_of_the_timeline_follow_one_another(visited: Api) -> None:
    whole = visited.get("lena", "/v1/people/vic/timeline").json()["rows"]
    first = visited.get("ada", "/v1/people/vic/timeline", limit=2).json()
    assert first["more"] and first["rows"] == [{**r, "hash": ""} for r in whole[: len(first["rows"])]]
    rest = visited.get("ada", "/v1/people/vic/timeline", before=first["before"]).json()
    assert [r["seq"] for r in first["rows"] + rest["rows"]] == [r["seq"] for r in whole]


def test_a_lead_reads_the_assessment_and_a_guard_is_scored_false(visited: Api) -> None:
    answer = visited.get("root", "/v1/people/vic/assessment")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["scored"] and body["score"] >= 0 and body["threshold"] > 0
    assert [b["name"] for b in body["behaviours"]][:2] == ["pathway", "fixation"] and len(body["behaviours"]) == 8
    fixation = next(b for b in body["behaviours"] if b["name"] == "fixation")
    assert fixation["present"] and [e["event"] for e in fixation["events"]] == ["w1"]
    assert fixation["events"][0]["seq"] == 9 and fixation["events"][0]["type"] == "observe"
    indicators = next(s for s in body["signals"] if s["code"] == "indicators")
    assert indicators["points"] > 0 and [e["event"] for e in indicators["events"]] == ["w1"]
    staff = visited.get("lena", "/v1/people/g1/assessment").json()
    assert staff["scored"] is False and staff["signals"] == [] and not any(b["present"] for b in staff["behaviours"])


@pytest.mark.parametrize("path", ["/v1/people/vic/timeline", "/v1/people/vic/assessment"])
def test_a_guard_is_refused_and_an_unknown_person_is_not_found(visited: Api, path: str) -> None:
    refused = visited.get("gus", path)
    assert refused.status_code == 403 and "guard" in refused.json()["detail"]
    assert visited.get("lena", path.replace("vic", "nobody")).status_code == 404
    assert visited.client.get(path).status_code == 401


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": MOST_ROWS + 1}, "limit"),
        ({"before": 0}, "before"),
        ({"limit": "x"}, "limit"),
    ],
)
def test_the_bounds_are_held(visited: Api, params: dict[str, object], field: str) -> None:
    answer = visited.get("lena", "/v1/people/vic/timeline", **params)
    assert answer.status_code == 422 and field in answer.text
    assert visited.get("lena", "/v1/people/" + "x" * 201 + "/timeline").status_code == 422
