"""PATHWAY_RISING as a guard meets it: the desk is told a visitor's pathway has reached the
threshold (the alert is no discreet one), but not what made it: the signals are the
assessment's, which a guard is refused."""

from __future__ import annotations

from api.conftest import Api

DAY = "2024-06-03T{}:00+00:00"
CROSSING = [
    {"id": "a1", "at": DAY.format("09:00"), "type": "arrive", "people": ["vic"], "door": "outer"},
    {"id": "w1", "at": DAY.format("09:01"), "type": "observe", "person": "vic", "by": "lead",
     "indicators": ["threat", "leakage", "weapon"]},
    {"id": "r1", "at": DAY.format("09:02"), "type": "request", "door": "outer", "by": "lead", "for": ["vic"]},
]  # fmt: skip
"""Three high indicators (9 points), then a request denied at the street door (2): 11, over 10."""

SIGNAL_WORDS = ("behaviour observed", "denied at doors", "threat", "leakage", "weapon", "indicator")


def crossed(api: Api) -> None:
    for event in CROSSING:
        answer = api.submit("lena", event)
        assert answer.status_code == 200, answer.text


def test_a_guard_is_told_of_the_crossing_but_not_of_the_signals(api: Api) -> None:
    crossed(api)
    (alert,) = api.get("gus", "/v1/alerts", code="PATHWAY_RISING").json()
    assert alert["subjects"][:1] == ["vic"] and "threshold 10" in alert["message"]
    file = api.get("gus", "/v1/people/vic").json()
    messages = [a["message"] for a in file["alerts"] if a["code"] == "PATHWAY_RISING"]
    assert messages == [alert["message"]]
    for word in SIGNAL_WORDS:
        assert word not in alert["message"].lower(), word
    assessment = api.get("lena", "/v1/people/vic/assessment").json()  # a lead reads what made it there
    assert {s["code"] for s in assessment["signals"]} == {"indicators", "denied_requests"}
