"""WATCHLIST_MATCH: nobody on the watchlist is admitted under any spelling or alias."""

from gatewatch.core.state import WatchEntry
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
