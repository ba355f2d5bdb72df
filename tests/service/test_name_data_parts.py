"""Which names the engine may compare for an event, and their parts looked up in one batch before
the desk's lock (by whichever lookup is installed)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

import pytest
from msgspec.structs import replace

from gatewatch.core import name_symbols
from gatewatch.core.events import Event
from gatewatch.core.name_symbols import NOTHING, PartSymbols
from gatewatch.core.names import compare_names
from gatewatch.core.state import Identity, State
from gatewatch.core.watchlist import WatchEntry
from gatewatch.service.name_parts import names_compared, parts_of, prepare, prepare_names
from support import events, play, start_state

TD3 = '["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]'
_ids = itertools.count()


class Asked:
    """A lookup that answers nothing known and keeps each batch it was asked (the core remembers answers)."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def __call__(self, parts: Sequence[str]) -> dict[str, PartSymbols]:
        self.batches.append(list(parts))
        return dict.fromkeys(parts, NOTHING)


@pytest.fixture
def asked() -> Iterator[Asked]:
    found = Asked()
    name_symbols.install(found)
    try:
        yield found
    finally:
        name_symbols.install(None)


def one(text: str, state: State) -> Event:
    return events(text, state.site)[0]


def vic_named(*names: str) -> State:
    """The test site where vic has given ``names`` (set in the state: no name is compared here)."""
    state, _ = play('- {id: v0, at: "2024-06-03T09:00", type: invite, by: res, person: vic}')
    return replace(state, identities=state.identities.set("vic", Identity(names=names)))


def test_an_identity_compares_the_name_given_the_names_given_before_and_the_zone_name() -> None:
    state = vic_named("Robert Smith", "Bob Smith")
    event = one(
        '- {id: n9, at: "2024-06-03T10:00", type: identify, person: vic, name: "Anna Eriksson",'
        f" document: {{kind: passport, country: UTO, number: L898902C3, mrz: {TD3}}}}}",
        state,
    )
    found = names_compared(state, event)
    assert found[:3] == ("Anna Eriksson", "Robert Smith", "Bob Smith")
    assert [n.lower() for n in found[3:]] == ["anna maria eriksson"]


def test_events_without_names_compare_nothing() -> None:
    state = vic_named("Robert Smith")
    for text in (
        '- {id: x1, at: "2024-06-03T10:00", type: identify, person: vic, phone: "+1 555 0100"}',
        '- {id: x2, at: "2024-06-03T10:00", type: invite, by: res, person: vic}',
        '- {id: x3, at: "2024-06-03T10:00", type: arrive, people: [vic], door: outer}',
    ):
        assert names_compared(state, one(text, state)) == ()


def test_with_a_watchlist_the_names_screened_and_the_entries_are_compared() -> None:
    watchlist = (WatchEntry(name="Ramon Mercader", aliases=("Jacques Mornard",)),)
    state = start_state(watchlist=watchlist)
    register = one(
        '- {id: r1, at: "2024-06-03T09:00", type: register, person: {id: vic, role: visitor, name: Frank Jacson}}',
        state,
    )
    assert names_compared(state, register) == ("Frank Jacson", "Ramon Mercader", "Jacques Mornard")
    arrive = one('- {id: a1, at: "2024-06-03T09:00", type: arrive, people: [res], door: outer}', state)
    assert names_compared(state, arrive) == ("Ruth Resident", "Ramon Mercader", "Jacques Mornard")
    screened = replace(state, screened_names=state.screened_names.set("res", True))
    assert names_compared(screened, arrive) == ()


def test_prepare_asks_for_the_parts_in_one_batch_and_the_comparison_then_for_nothing(asked: Asked) -> None:
    first, second = (f"Zq{next(_ids)}ward", f"Zq{next(_ids)}mann")
    state = vic_named(f"Robert {first}")
    event = one(f'- {{id: p1, at: "2024-06-03T10:00", type: identify, person: vic, name: "Bob {second}"}}', state)
    parts = {*parts_of(f"Robert {first}"), *parts_of(f"Bob {second}")}
    unknown = {part for part in parts if not name_symbols.is_known(part)}
    assert {first.lower(), second.lower()} <= unknown
    assert prepare(state, event) == len(unknown)
    assert set(asked.batches[0]) == unknown  # then what the matcher looks up besides (nicknames' full names)
    assert all(name_symbols.is_known(part) for part in parts)
    batches = len(asked.batches)
    assert prepare(state, event) == 0
    assert len(asked.batches) == batches
    assert compare_names(f"Robert {first}", f"Bob {second}") is not None
    assert len(asked.batches) == batches  # deciding the event asks for nothing more


def test_parts_are_cut_as_the_matcher_cuts_them_and_each_asked_for_once(asked: Asked) -> None:
    assert set(parts_of("AGELOFF, Sylvia")) == {"ageloff", "sylvia"}
    assert set(parts_of("Лев Троцкий")) == {"lev", "trotsky"}
    given, family = f"Zq{next(_ids)}a", f"Zq{next(_ids)}b"
    assert prepare_names([f"{given} {family}", f"{family}, {given}"]) == 2
    assert [set(batch) for batch in asked.batches] == [{given.lower(), family.lower()}]
    assert prepare_names([f"{family} {given}"]) == 0
