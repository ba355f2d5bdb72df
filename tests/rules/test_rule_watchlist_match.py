"""WATCHLIST_MATCH: nobody on the watchlist is admitted under any spelling or alias."""

from gatewatch.core.watchlist import WatchEntry
from support import codes, play, start_state

WATCHLIST = [
    WatchEntry("Ramón Mercader", aliases=("Jacques Mornard", "Frank Jacson"), note="wanted", list="court orders")
]


def test_fires_on_an_alias_under_a_variant_spelling() -> None:
    state, out = play(
        '- {id: i1, at: "2024-06-03T09:00", type: identify, person: vic, name: Frank Jackson}\n',
        start_state(watchlist=WATCHLIST),
    )
    (alert,) = out[0].alerts
    assert (alert.code, alert.severity.label) == ("WATCHLIST_MATCH", "high")
    assert '"Ramón Mercader" under the alias "Frank Jacson" on the court orders watchlist' in alert.message
    assert state.of_concern("vic")


def test_fires_for_a_registered_person_the_first_time_they_appear() -> None:
    people = [{"id": "ramon", "name": "Ramon Mercader", "role": "visitor"}]
    _, out = play(
        '- {id: a1, at: "2024-06-03T09:00", type: arrive, people: [ramon], door: outer}\n',
        start_state(people=people, watchlist=WATCHLIST),
    )
    assert codes(out[0]) == ["WATCHLIST_MATCH"]


def test_quiet_for_an_unrelated_name() -> None:
    _, out = play(
        '- {id: i1, at: "2024-06-03T09:00", type: identify, person: vic, name: Frank Miller}\n',
        start_state(watchlist=WATCHLIST),
    )
    assert codes(out[0]) == []


CHECK = """
- id: w1
  at: "2024-06-03T09:01"
  type: watchlist_check
  screened_by: ada
  names: [Frank Jackson]
  {person}
  lists: [{{list: court orders, version: 3}}]
  candidates:
    - {{list: court orders, entry: co-17, name: Ramón Mercader, alias: Frank Jacson, against: Frank Jackson,
        score: {score}, reasons: ["frank = frank; jackson ≈ jacson (spelling)"], note: wanted}}
"""


def test_fires_from_a_recorded_screening_of_a_person_naming_list_entry_and_alias() -> None:
    state, out = play(CHECK.format(person="person: vic", score=0.925))
    (alert,) = out[0].alerts
    assert alert.code.value == "WATCHLIST_MATCH" and alert.people == ("vic",)
    assert '"Ramón Mercader" under the alias "Frank Jacson" on the court orders watchlist (wanted)' in alert.message
    assert state.of_concern("vic")


def test_quiet_for_a_screening_whose_best_candidate_is_below_a_match() -> None:
    _, out = play(CHECK.format(person="person: vic", score=0.7))
    assert codes(out[0]) == []


def test_quiet_for_a_name_screened_on_demand_with_nobody_on_site() -> None:
    state, out = play(CHECK.format(person="", score=0.925))
    assert codes(out[0]) == [] and not state.people.get("ada")
