"""Cases in the engine: a case makes its person of concern until it closes; an event that does
not fit its case changes nothing and says why. Each rule fires, and its near miss does not."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gatewatch.core import snapshot, wording
from gatewatch.core.errors import InvalidInput
from gatewatch.core.events import CaseNote
from gatewatch.core.rules import case_action
from support import alerts_named, codes, events, play, start_state

NOTE = "{key: 0123456789abcdef, nonce: AAAAAAAAAAAAAAAA, text: c2VhbGVk}"
OPEN = (
    "- {id: k1, at: '2024-06-03T09:00', type: case_open, case: c1, person: vic, by: lead, reason: waits at the gate}\n"
)


def test_opening_a_case_makes_its_person_of_concern() -> None:
    state, out = play(OPEN)
    assert codes(out[0]) == []
    assert state.concerns["vic"] == ("case c1 opened by lead at k1",)
    record = state.cases["c1"]
    assert (record.person, record.status, record.opened, record.by, record.is_open) == (
        "vic",
        "open",
        "k1",
        "lead",
        True,
    )
    assert state.open_cases["vic"] == ("c1",)


def test_a_case_on_someone_else_leaves_a_person_alone() -> None:
    state, _ = play(OPEN)
    assert not state.of_concern("cook") and "cook" not in state.open_cases


def test_a_person_with_an_open_case_is_stopped_at_an_inner_door() -> None:
    _, out = play(
        OPEN
        + """
- {id: a1, at: "09:01", type: arrive, people: [vic], door: side}
- {id: r1, at: "09:02", type: request, door: side, by: lead, for: [vic]}
"""
    )
    assert out[-1].decision == "deny" and "PERSON_OF_CONCERN" in out[-1].reason_codes


def test_closing_the_only_case_clears_the_concern_and_says_why() -> None:
    state, out = play(
        OPEN + "- {id: k2, at: '10:00', type: case_close, case: c1, by: lead, reason: he left the country}\n"
    )
    (alert,) = out[-1].alerts
    assert (alert.code.value, alert.severity.label, alert.people) == ("CASE_CLOSED", "info", ("vic",))
    assert "he left the country" in alert.message and "no longer a person of concern" in alert.message
    assert not state.of_concern("vic") and "vic" not in state.open_cases
    assert (state.cases["c1"].status, state.cases["c1"].closed) == ("closed", "k2")


def test_closing_one_of_two_cases_keeps_the_person_of_concern() -> None:
    state, out = play(
        OPEN
        + """
- {id: k2, at: "09:30", type: case_open, case: c2, person: vic, by: aide}
- {id: k3, at: "10:00", type: case_close, case: c1, by: lead, reason: merged into c2}
"""
    )
    (alert,) = out[-1].alerts
    assert "case c2 stays open" in alert.message and "still a person of concern" in alert.message
    assert state.concerns["vic"] == ("case c2 opened by aide at k2",)
    assert state.open_cases["vic"] == ("c2",)


def test_closing_one_case_keeps_the_person_of_concern_while_another_stays_open() -> None:
    """Even when a lead cleared the concern the first case gave, before the second was opened."""
    state, out = play(
        OPEN
        + """
- {id: x1, at: "09:10", type: concern, person: vic, by: lead, open: false}
- {id: k2, at: "09:20", type: case_open, case: c2, person: vic, by: aide}
- {id: k3, at: "10:00", type: case_close, case: c2, by: lead, reason: opened twice}
"""
    )
    (alert,) = out[-1].alerts
    assert "case c1 stays open" in alert.message and "still a person of concern" in alert.message
    assert state.of_concern("vic") and state.concerns["vic"] == ("case c1 opened by lead at k1",)


def test_closing_a_case_clears_a_concern_as_a_lead_clears_one() -> None:
    state, _ = play(
        """
- {id: x1, at: '2024-06-03T08:00', type: concern, person: vic, by: lead, open: true}
"""
        + OPEN
        + "- {id: k2, at: '10:00', type: case_close, case: c1, by: lead, reason: cleared by the investigation}\n"
    )
    assert not state.of_concern("vic")


def test_an_update_changes_the_case_and_notes_are_counted() -> None:
    state, out = play(
        OPEN
        + f"""
- {{id: k2, at: "09:10", type: case_update, case: c1, by: aide, status: investigating, assignee: aide,
     review: 2024-07-01}}
- {{id: k3, at: "09:20", type: case_note, case: c1, by: aide, sealed: {NOTE}}}
- {{id: k4, at: "09:30", type: case_note, case: c1, by: lead, sealed: {NOTE}}}
- {{id: k5, at: "09:40", type: case_update, case: c1, by: lead, status: monitoring}}
"""
    )
    assert all(codes(o) == [] for o in out)
    record = state.cases["c1"]
    assert (record.status, record.assignee, record.review, record.notes) == ("monitoring", "aide", date(2024, 7, 1), 2)
    assert state.of_concern("vic")


REFUSED = [
    ("- {id: k2, at: '09:10', type: case_open, case: c1, person: cook, by: lead}", "opened already"),
    ("- {id: k2, at: '09:10', type: case_update, case: c9, by: lead, status: monitoring}", 'unknown case "c9"'),
    ("- {id: k2, at: '09:10', type: case_update, case: c1, by: lead}", "an update changes"),
    ("- {id: k2, at: '09:10', type: case_update, case: c1, by: lead, assignee: stranger}", "is not known"),
    ("- {id: k2, at: '09:10', type: case_close, case: c1, by: lead, reason: ' '}", "say why"),
    ("- {id: k2, at: '09:10', type: case_close, case: c1, by: vic2, reason: done}", "a visitor may not"),
    ("- {id: k2, at: '09:10', type: case_open, case: 2024/17, person: cook, by: lead}", 'no "/"'),
    ("- {id: k2, at: '09:10', type: case_open, case: '..', person: cook, by: lead}", "web address"),
    (
        "- {id: k2, at: '09:10', type: case_open, case: c2, person: cook, by: lead, review: 2024-06-02}",
        "review on 2024-06-02 is before the case was opened (2024-06-03)",
    ),
    (
        "- {id: k2, at: '09:10', type: case_update, case: c1, by: lead, review: 2024-05-31}",
        "review on 2024-05-31 is before the case was opened (2024-06-03)",
    ),
]


@pytest.mark.parametrize(("event", "said"), REFUSED)
def test_an_event_that_does_not_fit_its_case_changes_nothing(event: str, said: str) -> None:
    before, _ = play(OPEN)
    state, out = play(OPEN + event + "\n")
    (alert,) = out[-1].alerts
    assert (alert.code.value, alert.severity.label) == ("NOT_PERMITTED", "warning")
    assert said in alert.message
    assert state.cases == before.cases and state.concerns == before.concerns


@pytest.mark.parametrize(
    "event",
    [
        "- {id: k3, at: '10:10', type: case_close, case: c1, by: lead, reason: again}",
        f"- {{id: k3, at: '10:10', type: case_note, case: c1, by: lead, sealed: {NOTE}}}",
        "- {id: k3, at: '10:10', type: case_update, case: c1, by: lead, status: investigating}",
    ],
)
def test_a_closed_case_takes_nothing_more(event: str) -> None:
    closed = OPEN + "- {id: k2, at: '10:00', type: case_close, case: c1, by: lead, reason: done}\n"
    before, _ = play(closed)
    state, out = play(closed + event + "\n")
    assert [a.code.value for a in out[-1].alerts] == ["NOT_PERMITTED"]
    assert "was closed at k2" in out[-1].alerts[0].message
    assert state.cases == before.cases


def test_the_notes_of_a_closed_case_may_still_be_read() -> None:
    _, out = play(
        OPEN
        + f"""
- {{id: k2, at: "09:10", type: case_note, case: c1, by: lead, sealed: {NOTE}}}
- {{id: k3, at: "10:00", type: case_close, case: c1, by: lead, reason: done}}
- {{id: k4, at: "10:10", type: note_read, case: c1, note: k2, by: aide}}
"""
    )
    assert codes(out[-1]) == []


def test_the_problem_names_the_field_for_the_intake() -> None:
    state, _ = play(OPEN)
    (event,) = events("- {id: k2, at: '2024-06-03T09:10', type: case_close, case: c9, by: lead, reason: done}")
    found = case_action.problem(state, event)  # type: ignore[arg-type]
    assert isinstance(found, InvalidInput) and found.field == "case" and "k2" in found.where


def test_a_review_date_out_of_range_is_refused_naming_it() -> None:
    with pytest.raises(InvalidInput, match="review") as error:
        events(
            "- {id: k1, at: '2024-06-03T09:00', type: case_open, case: c1, person: vic, by: lead, review: 3024-01-01}"
        )
    assert error.value.field == "review"


def test_links_are_bounded() -> None:
    links = ", ".join(f"e{i}" for i in range(51))
    with pytest.raises(InvalidInput, match="at most 50") as error:
        events(
            f"- {{id: k1, at: '2024-06-03T09:00', type: case_open, case: c1, person: vic, by: lead, links: [{links}]}}"
        )
    assert error.value.field == "links"


def test_a_sealed_note_must_look_sealed() -> None:
    with pytest.raises(InvalidInput) as error:
        events(
            "- {id: k1, at: '2024-06-03T09:00', type: case_note, case: c1, by: lead, "
            "sealed: {key: 0123456789abcdef, nonce: AAAAAAAAAAAAAAAA, text: 'plain words'}}"
        )
    assert error.value.field == "text"


def test_cases_survive_a_snapshot() -> None:
    state, _ = play(OPEN + "- {id: k2, at: '09:10', type: case_update, case: c1, by: lead, review: 2024-07-01}\n")
    again = snapshot.load(snapshot.dump(state), state.site)
    assert again.cases == state.cases and again.open_cases == state.open_cases


CASES = ("c1", "c2", "c3", "c4")
PEOPLE = ("vic", "v2", "v3")
action = st.tuples(st.sampled_from(("open", "close")), st.sampled_from(CASES), st.sampled_from(PEOPLE))


@settings(max_examples=60, deadline=None)
@given(st.lists(action, max_size=14))
def test_a_person_is_of_concern_exactly_while_a_case_on_them_is_open(actions: list[tuple[str, str, str]]) -> None:
    """Whatever the order of openings and closings (those that do not fit change nothing)."""
    lines = []
    for i, (kind, case, person) in enumerate(actions):
        if kind == "open":
            lines.append(
                f"- {{id: x{i}, at: '2024-06-03T09:{i:02d}', type: case_open, case: {case}, person: {person}, "
                "by: lead}"
            )
        else:
            lines.append(
                f"- {{id: x{i}, at: '2024-06-03T09:{i:02d}', type: case_close, case: {case}, by: lead, reason: done}}"
            )
    state, out = play("\n".join(lines) + "\n" if lines else "[]\n", start_state())
    open_on = {p: sorted(c for c, r in state.cases.items() if r.is_open and r.person == p) for p in PEOPLE}
    for person in PEOPLE:
        assert state.of_concern(person) == bool(open_on[person])
        assert sorted(state.open_cases.get(person, ())) == open_on[person]
    assert len(alerts_named(out, "CASE_CLOSED")) == sum(1 for r in state.cases.values() if not r.is_open)


def test_a_sealed_note_is_described_by_its_key_never_by_its_ciphertext() -> None:
    note = next(
        e
        for e in events(OPEN + f'- {{id: k3, at: "09:20", type: case_note, case: c1, by: aide, sealed: {NOTE}}}\n')
        if e.id == "k3"
    )
    said = wording.describe(note)
    assert isinstance(note, CaseNote)
    assert "sealed with key" in said and note.sealed.text not in said and note.sealed.nonce not in said


def test_a_review_on_the_day_the_case_opens_is_taken() -> None:
    state, out = play(OPEN + "- {id: k2, at: '09:10', type: case_update, case: c1, by: lead, review: 2024-06-03}\n")
    assert codes(out[-1]) == [] and state.cases["c1"].review == date(2024, 6, 3)


def test_a_case_on_a_person_the_site_does_not_know_is_refused_naming_the_nearest() -> None:
    state = start_state(people=[{"id": "jacson", "name": "Frank Jacson", "role": "visitor"}])
    (event,) = events("- {id: k1, at: '2024-06-03T09:00', type: case_open, case: c1, person: jackson, by: lead}")
    found = case_action.problem(state, event)  # type: ignore[arg-type]
    assert isinstance(found, InvalidInput) and found.field == "person" and "k1" in found.where
    assert '"jackson" is not known on this site' in found.problem and 'did you mean "jacson"?' in found.problem


@pytest.mark.parametrize("person", ["jacson", "g1", "cook", "lead"])
def test_a_case_on_any_known_person_is_taken_staff_and_guards_too(person: str) -> None:
    """A case on one of the site's own people is an insider case: it is opened like any other."""
    state = start_state(people=[{"id": "jacson", "name": "Frank Jacson", "role": "visitor"}])
    (event,) = events(f"- {{id: k1, at: '2024-06-03T09:00', type: case_open, case: c1, person: {person}, by: lead}}")
    assert case_action.problem(state, event) is None  # type: ignore[arg-type]


concern_action = st.tuples(
    st.sampled_from(("open", "close", "concern", "clear")), st.sampled_from(CASES), st.sampled_from(PEOPLE)
)


@settings(max_examples=80, deadline=None)
@given(st.lists(concern_action, max_size=16))
def test_a_lead_s_clear_never_takes_away_the_concern_an_open_case_gives(
    actions: list[tuple[str, str, str]],
) -> None:
    """Cases opened and closed, concerns opened and cleared by a lead, in any order: a person is of
    concern while a case on them is open, or a lead's concern stands (opened since the last clear,
    and since their last case closed); their reasons say exactly that."""
    lines: list[str] = []
    opened: dict[str, set[str]] = {p: set() for p in PEOPLE}
    lead: dict[str, set[str]] = {p: set() for p in PEOPLE}
    on: dict[str, str] = {}
    for i, (kind, case, person) in enumerate(actions):
        at = f"'2024-06-03T09:{i:02d}'"
        if kind == "open":
            lines.append(f"- {{id: x{i}, at: {at}, type: case_open, case: {case}, person: {person}, by: lead}}")
            if case not in on:
                on[case] = person
                opened[person].add(case)
        elif kind == "close":
            lines.append(f"- {{id: x{i}, at: {at}, type: case_close, case: {case}, by: lead, reason: done}}")
            owner = on.get(case)
            if owner is not None and case in opened[owner]:
                opened[owner].discard(case)
                if not opened[owner]:
                    lead[owner] = set()
        else:
            opening = kind == "concern"
            lines.append(f"- {{id: x{i}, at: {at}, type: concern, person: {person}, by: lead, open: {opening}}}")
            lead[person] = lead[person] | {f"concern opened by lead at x{i}"} if opening else set()
    state, _ = play("\n".join(lines) + "\n" if lines else "[]\n", start_state())
    for person in PEOPLE:
        given = {f"case {c} opened by lead at {state.cases[c].opened}" for c in opened[person]}
        expected = given | lead[person]
        assert set(state.concerns.get(person, ())) == expected
        assert state.of_concern(person) == bool(expected)
