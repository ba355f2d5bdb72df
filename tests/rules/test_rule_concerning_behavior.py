"""CONCERNING_BEHAVIOR: one indicator is a warning; they grow high when they gather."""

from support import codes, play


def observe(at: str, indicators: str, ident: str = "b1") -> str:
    return f'- {{id: {ident}, at: "{at}", type: observe, person: vic, by: g1, indicators: [{indicators}]}}\n'


def test_one_ordinary_indicator_is_a_warning() -> None:
    state, out = play(observe("2024-06-03T09:00", "nervous"))
    assert out[0].alerts[0].severity.label == "warning" and not state.of_concern("vic")


def test_two_distinct_indicators_within_30_days_are_high() -> None:
    state, out = play(observe("2024-06-03T09:00", "nervous") + observe("2024-06-20T09:00", "sweating", "b2"))
    assert out[1].alerts[0].severity.label == "high" and state.of_concern("vic")


def test_the_same_indicator_twice_stays_a_warning() -> None:
    _, out = play(observe("2024-06-03T09:00", "nervous") + observe("2024-06-20T09:00", "nervous", "b2"))
    assert out[1].alerts[0].severity.label == "warning"


def test_indicators_more_than_30_days_apart_do_not_add_up() -> None:
    _, out = play(observe("2024-06-03T09:00", "nervous") + observe("2024-07-10T09:00", "sweating", "b2"))
    assert out[1].alerts[0].severity.label == "warning"


def test_a_threat_is_high_at_once() -> None:
    _, out = play(observe("2024-06-03T09:00", "threat"))
    assert out[0].alerts[0].severity.label == "high"


def test_a_raincoat_on_a_hot_day() -> None:
    _, out = play("""
- {id: w1, at: "2024-06-03T12:00", type: weather, temp_c: 31}
- {id: a1, at: "13:00", type: arrive, people: [vic], door: outer, wearing: [raincoat]}
""")
    assert codes(out[-1]) == ["CONCERNING_BEHAVIOR"]
    assert "outerwear_inconsistent_with_weather" in out[-1].alerts[0].message


def test_a_raincoat_on_a_cool_day_or_with_yesterdays_heat() -> None:
    _, out = play("""
- {id: w1, at: "2024-06-03T12:00", type: weather, temp_c: 31}
- {id: a1, at: "2024-06-04T13:00", type: arrive, people: [vic], door: outer, wearing: [raincoat]}
- {id: w2, at: "14:00", type: weather, temp_c: 18}
- {id: a2, at: "15:00", type: arrive, people: [vic], door: outer, wearing: [raincoat]}
""")
    assert codes(out[1]) == [] and codes(out[3]) == []
