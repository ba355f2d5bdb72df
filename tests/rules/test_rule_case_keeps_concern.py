"""A concern is not cleared while a case on the person is open: the desk refuses the clear naming
the case; in a drill or an imported record the clear takes the other reasons away, the open case
keeps the person of concern, and a warning says so."""

from __future__ import annotations

from gatewatch.core.errors import InvalidInput
from gatewatch.core.events import Concern
from gatewatch.core.rules import case_keeps_concern
from support import codes, events, play

OPEN = """
- {id: x0, at: '2024-06-03T08:00', type: concern, person: vic, by: lead, open: true}
- {id: k1, at: '08:30', type: case_open, case: c1, person: vic, by: lead, reason: waits at the gate}
"""
CLEAR = "- {id: x1, at: '09:00', type: concern, person: vic, by: lead, open: false}\n"


def test_fires_in_the_engine_keeping_the_case_s_concern_and_saying_so() -> None:
    state, out = play(OPEN + CLEAR)
    assert state.concerns["vic"] == ("case c1 opened by lead at k1",)
    (alert,) = out[-1].alerts
    assert (alert.code.value, alert.severity.label) == ("NOT_PERMITTED", "warning")
    assert "case c1 on vic is open: close it to clear the concern" in alert.message
    assert "Lena Lead" in alert.message and "still a person of concern" in alert.message


def test_fires_at_the_desk_naming_every_open_case() -> None:
    state, _ = play(OPEN + "- {id: k2, at: '08:40', type: case_open, case: c2, person: vic, by: lead}\n")
    (clear,) = events("- {id: x1, at: '2024-06-03T09:00', type: concern, person: vic, by: lead, open: false}")
    assert isinstance(clear, Concern)
    found = case_keeps_concern.problem(state, clear)
    assert isinstance(found, InvalidInput) and found.field == "open" and "x1" in found.where
    assert "cases c1 and c2 on vic are open: close them to clear the concern" in found.problem


def test_near_miss_once_the_case_is_closed_the_clear_clears() -> None:
    closed = OPEN + "- {id: k2, at: '08:40', type: case_close, case: c1, by: lead, reason: done}\n"
    reopened = closed + "- {id: x2, at: '08:50', type: concern, person: vic, by: lead, open: true}\n"
    state, out = play(reopened + CLEAR)
    assert codes(out[-1]) == [] and not state.of_concern("vic")
    (clear,) = events("- {id: x1, at: '2024-06-03T09:00', type: concern, person: vic, by: lead, open: false}")
    assert isinstance(clear, Concern) and case_keeps_concern.problem(state, clear) is None


def test_near_miss_a_case_on_someone_else_and_an_opening_are_left_alone() -> None:
    state, out = play(
        OPEN
        + "- {id: x2, at: '08:50', type: concern, person: cook, by: lead, open: true}\n"
        + "- {id: x3, at: '08:55', type: concern, person: vic, by: lead, open: true}\n"
        + "- {id: x4, at: '09:00', type: concern, person: cook, by: lead, open: false}\n"
    )
    assert codes(out[-1]) == [] and codes(out[-2]) == [] and not state.of_concern("cook")
